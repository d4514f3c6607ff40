#pragma once
// The time window a timeline shows, shared by the ASCII and SVG renderers.
//
// By default the window runs from the trace's origin to its last *activity* (the end of the last
// init or invoke, the last arrival or throttle), not to `end_time()`: a run usually ends when the
// last idle environment is reaped minutes later, and drawing those idle minutes would squash the
// interesting part into a column. Lanes still alive at the right edge simply run off it.
#include "emulator/sim/trace.hpp"

#include <optional>
#include <vector>

namespace lambkin::sim {

struct time_axis {
  time_point from{};
  duration span{1};  ///< always positive

  /// The default window described above, or [origin, origin + until] when `until` is given.
  static time_axis for_trace(const trace& t, std::optional<duration> until = std::nullopt);

  /// Position of `t` in the window: 0 at `from`, 1 at the right edge (not clamped).
  double fraction(time_point t) const noexcept {
    return static_cast<double>((t - from).count()) / static_cast<double>(span.count());
  }

  /// The smallest "round" step giving at most `max_ticks` intervals across the window:
  /// 1-2-5 × 10^k up to 500ms, then 1, 2, 5, 10, 15, 30, 60, 120, 300, 600 s, the same in
  /// minutes, then 1, 2, 4, … hours.
  duration tick_step(int max_ticks) const;

  /// Tick offsets from `from`: 0, step, 2·step, … up to the span.
  std::vector<duration> ticks(int max_ticks) const;
};

/// The latest moment anything happened: see the file comment.
time_point last_activity(const trace& t);

}  // namespace lambkin::sim
