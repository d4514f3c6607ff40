#pragma once
// How long an idle on-demand environment is kept before it is reaped.
#include "emulator/core/lambda/random.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>

namespace lambkin::lambda {

/// Idle retention settings: fixed (min == max) or uniform in [min, max] from a seeded generator.
/// AWS only says the period is "non-deterministic"; lambkin is deterministic either way.
struct idle_retention {
  duration min{};
  duration max{};
  std::uint64_t seed = 0;

  static constexpr idle_retention fixed(duration d) noexcept { return {d, d, 0}; }
  static constexpr idle_retention uniform(duration lo, duration hi, std::uint64_t seed) noexcept {
    return {lo, hi, seed};
  }
  constexpr bool is_fixed() const noexcept { return min == max; }
  friend constexpr bool operator==(const idle_retention&, const idle_retention&) = default;
};

/// Draws one retention period each time an environment goes idle.
///  - fixed: always `min`;
///  - uniform: `min + k` nanoseconds, k uniform in [0, max − min] (unbiased), from splitmix64
///    seeded with `seed`: the same seed and the same sequence of idle transitions give the same
///    periods on every platform.
/// Thread safety: none; owned by one pool.
class retention {
 public:
  explicit retention(idle_retention settings) noexcept;

  /// The next idle period.
  duration next_period() noexcept;
  const idle_retention& settings() const noexcept { return settings_; }

 private:
  idle_retention settings_;
  splitmix64 rng_;
};

}  // namespace lambkin::lambda
