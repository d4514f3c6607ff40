#pragma once
// A distribution of durations (init time, handler time, idle retention) and its sampling.
//
// Text syntax (flags, and YAML scalars):
//   250ms                       fixed                (also `fixed(250ms)`)
//   uniform(100ms, 300ms)       uniform in [min, max)
//   normal(200ms, 20ms)         normal(mean, stddev), negative draws clamped to 0
//   lognormal(180ms, 0.4)       log-normal(median, sigma); sigma is unitless (σ of ln X)
//   exponential(100ms)          exponential(mean)
// Durations inside follow parse_duration (a plain number is milliseconds). Names are lower case.
// The YAML map form `{dist: uniform, min: 100ms, max: 300ms}` is read by the scenario parser into
// the same struct (fields: value | min, max | mean, stddev | median, sigma | mean).
#include "emulator/sim/random.hpp"
#include "emulator/sim/result.hpp"
#include "lambkin/clock.hpp"

#include <string>
#include <string_view>

namespace lambkin::sim {

enum class distribution_kind : std::uint8_t { fixed, uniform, normal, lognormal, exponential };

/// `fixed`, `uniform`, … as written in scenarios.
std::string_view to_string(distribution_kind k) noexcept;

struct distribution {
  distribution_kind kind = distribution_kind::fixed;
  duration a{};       ///< fixed: value; uniform: min; normal: mean; lognormal: median; exponential: mean
  duration b{};       ///< uniform: max; normal: stddev; otherwise unused
  double sigma = 0;   ///< lognormal only

  static distribution fixed(duration d) { return {distribution_kind::fixed, d, {}, 0}; }
  static distribution uniform(duration lo, duration hi) { return {distribution_kind::uniform, lo, hi, 0}; }
  static distribution normal(duration mean, duration sd) { return {distribution_kind::normal, mean, sd, 0}; }
  static distribution lognormal(duration median, double s) { return {distribution_kind::lognormal, median, {}, s}; }
  static distribution exponential(duration mean) { return {distribution_kind::exponential, mean, {}, 0}; }

  /// The mean of the distribution (normal: of the untruncated one), for reports and sanity checks.
  duration mean() const noexcept;

  /// One draw, rounded to the nanosecond and never negative. A fixed distribution does not touch
  /// the generator, so switching a value between fixed and random never shifts other streams.
  duration sample(rng& g) const noexcept;

  bool operator==(const distribution&) const = default;
};

/// Parses the text syntax above. Errors carry only a message (e.g. "uniform: min is above max").
result<distribution> parse_distribution(std::string_view text);

/// Checks parameters (min ≤ max); used by both the text parser and the YAML map form.
/// Returns an empty string when valid, otherwise the message.
std::string check(const distribution& d);

/// The text syntax: `250ms`, `uniform(100ms, 300ms)`, `lognormal(180ms, 0.4)`.
std::string to_string(const distribution& d);

}  // namespace lambkin::sim
