#pragma once
// Durations as people write them in scenarios and flags, and as the reports print them.
//
//   parse:  `250ms`, `1.5s`, `2m`, `100us`, `3h`, `20ns`, `0.5` (a plain number is milliseconds).
//           Units: ns, us, ms, s, m (minutes; `min` also accepted), h. Spaces around are ignored,
//           and between number and unit too (`250 ms`). Negative values are rejected.
//   format: the shortest readable form with at most three decimals: `0`, `100us`, `250ms`,
//           `1.5s`, `90s`, `2.5m`, `3h` (seconds up to 2 minutes, minutes up to 2 hours).
#include "emulator/sim/result.hpp"
#include "lambkin/clock.hpp"

#include <string>
#include <string_view>

namespace lambkin::sim {

/// Parses one non-negative duration (see the file comment). Values above 10,000 hours are
/// rejected as almost certainly a typo. The error has only `message` set.
result<duration> parse_duration(std::string_view text);

/// The duration in the style `parse_duration` reads. Rounded to three decimals of the unit it
/// picks, so `parse_duration(format_duration(d)) == d` whenever d has no finer digits than that.
std::string format_duration(duration d);

/// `value` with up to `max_decimals` decimals, trailing zeros (and a trailing point) removed:
/// 350 → "350", 0.5 → "0.5", 12.3456 (3) → "12.346". NaN and infinities print as "0".
std::string format_decimal(double value, int max_decimals = 3);

}  // namespace lambkin::sim
