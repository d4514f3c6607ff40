#include "lambkin/fake_clock.hpp"

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("fake_clock moves only when told, and never backwards") {
  lambkin::fake_clock clock;
  const auto t0 = clock.now();
  CHECK(clock.now() == t0);
  clock.advance(250ms);
  CHECK(clock.now() - t0 == 250ms);
  clock.advance(-1s);
  CHECK(clock.now() - t0 == 250ms);
  clock.set(t0);
  CHECK(clock.now() - t0 == 250ms);
  clock.set(t0 + 2s);
  CHECK(clock.now() - t0 == 2s);
  CHECK(lambkin::to_ms(1500us) == doctest::Approx(1.5));
}
