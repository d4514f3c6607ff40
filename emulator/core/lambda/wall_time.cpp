// Days → civil date after Howard Hinnant's `civil_from_days` (public-domain algorithm, written
// out here): exact for every 64-bit day count we can meet, with no time-zone database.
#include "emulator/core/lambda/wall_time.hpp"

#include <cstdio>

namespace lambkin::lambda {
namespace {

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

civil_time to_civil(epoch_ms t) noexcept {
  const std::int64_t days = floor_div(t, 86'400'000);
  std::int64_t ms_of_day = t - days * 86'400'000;

  // civil_from_days: eras of 400 years (146097 days) starting 0000-03-01.
  const std::int64_t z = days + 719'468;
  const std::int64_t era = floor_div(z, 146'097);
  const std::int64_t doe = z - era * 146'097;                                   // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11]

  civil_time c;
  c.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  c.hour = static_cast<unsigned>(ms_of_day / 3'600'000);
  ms_of_day %= 3'600'000;
  c.minute = static_cast<unsigned>(ms_of_day / 60'000);
  ms_of_day %= 60'000;
  c.second = static_cast<unsigned>(ms_of_day / 1000);
  c.millisecond = static_cast<unsigned>(ms_of_day % 1000);
  return c;
}

std::string format_iso8601(epoch_ms t) {
  const civil_time c = to_civil(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", static_cast<long long>(c.year), c.month,
                c.day, c.hour, c.minute, c.second, c.millisecond);
  return buf;
}

}  // namespace lambkin::lambda
