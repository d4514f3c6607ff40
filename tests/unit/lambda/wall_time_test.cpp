#include "emulator/core/lambda/wall_time.hpp"

#include <doctest/doctest.h>

using namespace lambkin::lambda;

TEST_CASE("epoch milliseconds print as ISO 8601 UTC with milliseconds") {
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601(1605030417874) == "2020-11-10T17:46:57.874Z");
  CHECK(format_iso8601(951782400000) == "2000-02-29T00:00:00.000Z");   // leap day, century leap year
  CHECK(format_iso8601(4107542399999) == "2100-02-28T23:59:59.999Z");  // 2100 is not a leap year
  CHECK(format_iso8601(4107542400000) == "2100-03-01T00:00:00.000Z");
  CHECK(format_iso8601(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("civil fields") {
  CHECK(to_civil(1703635200123) == civil_time{2023, 12, 27, 0, 0, 0, 123});
  CHECK(to_civil(1709251199000) == civil_time{2024, 2, 29, 23, 59, 59, 0});
}
