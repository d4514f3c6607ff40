#pragma once
// Date/time patterns for parse_time() (Joda-Time `DateTimeFormat` letters) and time_to_epoch()
// (JDK `DateTimeFormatter` letters), on the proleptic Gregorian calendar, pure arithmetic.
//
// Time zones: UTC and its aliases (UTC, GMT, UT, Z, Zulu, Etc/UTC, Etc/GMT) and fixed offsets
// (`+01:00`, `-0530`, `+02`, `UTC+01:00`, `GMT-05:00`). Region ids such as `America/Belize` need
// the tz database, which a pure core does not carry: they are not supported (the functions return
// Undefined). Week-based fields (w, W, Y as week-year, x as week-year in Joda) are not supported.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::rules::detail {

/// A zone lambkin understands: its offset from UTC and the short name Joda prints for `z`.
struct fixed_zone {
  int offset_seconds = 0;
  std::string name;  // "UTC", or the offset as "+01:00"
};
std::optional<fixed_zone> parse_zone(std::string_view id);

/// Formats `epoch_ms` with a Joda pattern in `zone`; nullopt for a letter it does not support.
std::optional<std::string> format_time(std::string_view pattern, std::int64_t epoch_ms, const fixed_zone& zone);

/// Parses `text` with a JDK pattern; UTC when the text names no zone. nullopt when the text does not
/// match the pattern or names an unsupported zone.
std::optional<std::int64_t> parse_time_text(std::string_view text, std::string_view pattern);

/// Days since 1970-01-01 of a civil date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);

}  // namespace lambkin::rules::detail
