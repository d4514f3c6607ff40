#include "emulator/core/lambda/retention.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;

TEST_CASE("fixed retention always gives the same period") {
  retention r{idle_retention::fixed(minutes(10))};
  CHECK(r.settings().is_fixed());
  for (int i = 0; i < 5; ++i) CHECK(r.next_period() == minutes(10));
}

TEST_CASE("uniform retention covers [min, max] and is reproducible from its seed") {
  const auto cfg = idle_retention::uniform(seconds(1), seconds(2), 123);
  retention a{cfg}, b{cfg};
  duration lowest = seconds(2), highest = seconds(1);
  for (int i = 0; i < 2000; ++i) {
    const auto p = a.next_period();
    CHECK(p == b.next_period());
    CHECK(p >= seconds(1));
    CHECK(p <= seconds(2));
    lowest = std::min(lowest, p);
    highest = std::max(highest, p);
  }
  // 2000 draws spread over the whole range, not stuck in a corner.
  CHECK(lowest < milliseconds(1010));
  CHECK(highest > milliseconds(1990));
}
