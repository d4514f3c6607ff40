#include "emulator/io/lambda/handoff_signal.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace lambkin::io::lambda {

namespace {

std::chrono::microseconds read_spin_budget() {
  constexpr std::chrono::microseconds fallback{0};
  const char* v = std::getenv("LAMBKIN_INPROC_SPIN_US");
  if (!v || !*v) return fallback;
  long us = 0;
  const auto end = v + std::strlen(v);
  if (auto [p, ec] = std::from_chars(v, end, us); ec != std::errc{} || p != end || us < 0) return fallback;
  return std::chrono::microseconds{us};
}

inline void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#else
  std::this_thread::yield();
#endif
}

}  // namespace

std::chrono::microseconds handoff_signal::spin_budget() {
  static const auto budget = read_spin_budget();
  return budget;
}

void handoff_signal::wait_for_change(std::uint32_t seen) noexcept {
  if (spin_.count() > 0) {
    const auto until = std::chrono::steady_clock::now() + spin_;
    for (;;) {
      // The clock is read once per 64 pauses (~3 µs on current x86): cheap, and close enough.
      for (int i = 0; i < 64; ++i) {
        if (value_.load(std::memory_order_acquire) != seen) return;
        relax();
      }
      if (std::chrono::steady_clock::now() >= until) break;
    }
  }
  value_.wait(seen, std::memory_order_acquire);
}

}  // namespace lambkin::io::lambda
