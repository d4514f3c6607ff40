#include "bench/concurrent_load.hpp"

#include "bench/bench_stats.hpp"
#include "bench/http_client.hpp"

#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace lambkin::bench {
namespace {

enum phase : int { warming, measuring, stopping };

}  // namespace

throughput_result run_concurrent(unsigned short port, int clients, double warmup_seconds, double seconds,
                                 const client_operation& op) {
  std::atomic<int> now{warming};
  std::atomic<std::uint64_t> done{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&] {
      try {
        http_client client(port);
        while (now.load(std::memory_order_relaxed) != stopping) {
          const bool ok = op(client);
          // Counted by the phase at completion: an operation straddling a boundary counts once.
          if (now.load(std::memory_order_relaxed) != measuring) continue;
          (ok ? done : failed).fetch_add(1, std::memory_order_relaxed);
        }
      } catch (const std::exception&) {
        failed.fetch_add(1);  // a broken connection ends this client; the others go on
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(warmup_seconds));
  const auto t0 = wall::now();
  now = measuring;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  now = stopping;
  const auto t1 = wall::now();
  for (auto& t : threads) t.join();
  return {done.load(), failed.load(), micros_between(t0, t1) / 1e6};
}

}  // namespace lambkin::bench
