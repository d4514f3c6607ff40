// handoff_signal: what an in-process environment's worker thread waits on (the next job, the
// answer of a `call_aws`), in place of a condition variable.
//
// Why not a condition variable: on a VM whose idle vCPUs halt (this project's machines, see
// bench/README.md "Why there are two configurations"), waking a thread that sleeps in the kernel
// costs the waker an inter-processor interrupt through the hypervisor, and an in-process invoke
// that stores a reading needs two such wakes (the event, then the PutItem's answer), both paid by
// the io thread. With `LAMBKIN_INPROC_SPIN_US` the waiter first spins that long before it sleeps,
// and a notify that finds nobody asleep costs no system call (libstdc++'s atomic wait counts its
// sleepers). The default is no spin: on 2 vCPUs the spinning workers took the CPU the io thread
// needed (pipeline_inproc_bench on a quiet machine: 11,100–12,400 stored/s at 20,000/s offered
// with 50 µs, 16,100 without; bench/README.md). It may pay off with cores to spare.
//
// Usage, with the guarded state changed under `mutex`:
//   waiter:   std::unique_lock lock(mutex); signal.wait(lock, [&] { return ready; });
//   notifier: { std::lock_guard lock(mutex); ready = true; signal.notify(); }
// `notify` must come after the change it announces (inside the lock or after it).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace lambkin::io::lambda {

class handoff_signal {
 public:
  /// How long a waiter spins before it sleeps: `LAMBKIN_INPROC_SPIN_US` (0 = sleep at once, the
  /// default). Read once.
  static std::chrono::microseconds spin_budget();

  explicit handoff_signal(std::chrono::microseconds spin = spin_budget()) : spin_(spin) {}

  void notify() noexcept {
    value_.fetch_add(1, std::memory_order_release);
    value_.notify_all();
  }

  /// Like condition_variable::wait(lock, pred): returns with `lock` held and `pred()` true.
  template <class Pred>
  void wait(std::unique_lock<std::mutex>& lock, Pred pred) {
    while (!pred()) {
      const auto seen = value_.load(std::memory_order_acquire);
      lock.unlock();
      wait_for_change(seen);
      lock.lock();
    }
  }

 private:
  void wait_for_change(std::uint32_t seen) noexcept;

  std::chrono::microseconds spin_;
  std::atomic<std::uint32_t> value_{0};
};

}  // namespace lambkin::io::lambda
