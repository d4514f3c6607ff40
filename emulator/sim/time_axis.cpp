#include "emulator/sim/time_axis.hpp"

#include <algorithm>
#include <array>

namespace lambkin::sim {

time_point last_activity(const trace& t) {
  time_point last = t.origin();
  const auto see = [&](time_point p) {
    if (p != never && p > last) last = p;
  };
  for (const auto& s : t.inits()) see(s.end == never ? s.start : s.end);
  for (const auto& s : t.invokes()) see(s.end == never ? s.start : s.end);
  for (const auto& th : t.throttles()) see(th.at);
  if (!t.requests().empty()) see(t.requests().back().arrival);
  return last;
}

time_axis time_axis::for_trace(const trace& t, std::optional<duration> until) {
  time_axis axis;
  axis.from = t.origin();
  const duration span = until ? *until : last_activity(t) - t.origin();
  // An empty trace (or one where everything happens at 0) still needs a drawable window.
  axis.span = span > duration::zero() ? span : milliseconds(1);
  return axis;
}

duration time_axis::tick_step(int max_ticks) const {
  const auto n = std::max(1, max_ticks);
  // Clock-friendly steps above a second, decimal 1-2-5 below.
  static constexpr std::array<std::int64_t, 10> above_second{1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
  for (std::int64_t decade = 1; decade <= 100'000'000; decade *= 10)
    for (std::int64_t m : {1, 2, 5})
      if (span.count() <= n * m * decade) return duration(m * decade);
  for (std::int64_t s : above_second)
    if (span <= seconds(s) * n) return seconds(s);
  for (std::int64_t m : above_second)
    if (span <= minutes(m) * n) return minutes(m);
  for (std::int64_t h = 1;; h *= 2)
    if (span <= hours(h) * n) return hours(h);
}

std::vector<duration> time_axis::ticks(int max_ticks) const {
  const duration step = tick_step(max_ticks);
  std::vector<duration> out;
  for (duration d{}; d <= span; d += step) out.push_back(d);
  return out;
}

}  // namespace lambkin::sim
