#pragma once
// Wall-clock times (Unix epoch milliseconds) broken down into UTC calendar fields and printed
// the way Lambda prints them. Pure arithmetic: the caller supplies the time.
#include "lambkin/clock.hpp"

#include <cstdint>
#include <string>

namespace lambkin::lambda {

/// A UTC date and time of day (proleptic Gregorian calendar).
struct civil_time {
  std::int64_t year = 1970;
  unsigned month = 1;  ///< 1–12
  unsigned day = 1;    ///< 1–31
  unsigned hour = 0, minute = 0, second = 0, millisecond = 0;

  friend constexpr bool operator==(const civil_time&, const civil_time&) = default;
};

/// `t` in UTC; negative times (before 1970) work too.
civil_time to_civil(epoch_ms t) noexcept;

/// ISO 8601 with milliseconds, as Lambda and `Date.prototype.toISOString` print it:
/// `2020-11-10T05:46:57.874Z`.
std::string format_iso8601(epoch_ms t);

}  // namespace lambkin::lambda
