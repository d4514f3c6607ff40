#pragma once
// A clock for tests and the simulator: time moves only when told to.
#include "lambkin/clock.hpp"

namespace lambkin {

/// Starts at an arbitrary fixed origin (the steady clock's epoch) and advances only through
/// `advance` or `set`. Not thread-safe; one per test.
class fake_clock {
 public:
  fake_clock() = default;
  explicit fake_clock(time_point start) : now_(start) {}

  time_point now() const noexcept { return now_; }
  /// Moves time forward by `d` (negative durations are ignored: time never runs backwards).
  void advance(duration d) noexcept {
    if (d > duration::zero()) now_ += d;
  }
  /// Jumps to `t` if it is not in the past.
  void set(time_point t) noexcept {
    if (t > now_) now_ = t;
  }

 private:
  time_point now_{};
};

}  // namespace lambkin
