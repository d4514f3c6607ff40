#include "emulator/io/busy_poll.hpp"

#include "emulator/io/log.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace lambkin::io::busy_poll {
namespace {

using clock = std::chrono::steady_clock;

struct demand {
  int in_flight = 0;
  clock::time_point since{};
  clock::time_point awake_until{};
};
thread_local demand current;

}  // namespace

void begin() noexcept {
  ++current.in_flight;
  current.since = clock::now();
}

void end() noexcept {
  if (current.in_flight > 0) --current.in_flight;
}

int in_flight() noexcept { return current.in_flight; }

void keep_awake(std::chrono::microseconds d) noexcept {
  current.awake_until = std::max(current.awake_until, clock::now() + d);
}

std::chrono::microseconds budget() {
  static const std::chrono::microseconds value = [] {
    constexpr std::chrono::microseconds fallback{100};
    const char* v = std::getenv("LAMBKIN_IO_BUSY_POLL_US");
    if (v == nullptr || *v == '\0') return fallback;
    const std::string_view text(v);
    long n = -1;
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (err != std::errc() || end != text.data() + text.size() || n < 0) {
      logger("lambda")->warn("LAMBKIN_IO_BUSY_POLL_US={}: not a number of microseconds; using {}", v, fallback.count());
      return fallback;
    }
    return std::chrono::microseconds(n);
  }();
  return value;
}

void run(boost::asio::io_context& ioc, std::chrono::microseconds budget) {
  if (budget.count() <= 0) {
    ioc.run();
    return;
  }
  for (;;) {
    const auto now = clock::now();
    if ((current.in_flight > 0 && now - current.since < budget) || now < current.awake_until) {
      if (ioc.poll() > 0) continue;
      if (ioc.stopped()) return;
      ::sched_yield();
      continue;
    }
    if (ioc.run_one() == 0) return;
  }
}

}  // namespace lambkin::io::busy_poll
