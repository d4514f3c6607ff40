#include "emulator/sim/distribution.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::sim;
using namespace std::chrono_literals;

TEST_CASE("parse_distribution reads each form") {
  CHECK(*parse_distribution("250ms") == distribution::fixed(250ms));
  CHECK(*parse_distribution("fixed(1s)") == distribution::fixed(1s));
  CHECK(*parse_distribution("uniform(100ms, 300ms)") == distribution::uniform(100ms, 300ms));
  CHECK(*parse_distribution(" normal( 200ms ,20ms ) ") == distribution::normal(200ms, 20ms));
  CHECK(*parse_distribution("lognormal(180ms, 0.4)") == distribution::lognormal(180ms, 0.4));
  CHECK(*parse_distribution("exponential(100)") == distribution::exponential(100ms));
}

TEST_CASE("parse_distribution explains what is wrong") {
  CHECK(parse_distribution("uniform(300ms, 100ms)").error().message == "uniform: min is above max");
  CHECK(parse_distribution("uniform(100ms)").error().message == "expected uniform(min, max), got 'uniform(100ms)'");
  CHECK(parse_distribution("gamma(1, 2)").error().message ==
        "unknown distribution 'gamma' (expected fixed, uniform, normal, lognormal or exponential)");
  CHECK(parse_distribution("lognormal(100ms, wide)").error().message ==
        "lognormal: sigma must be a plain number such as 0.5, got 'wide'");
  CHECK(parse_distribution("normal(200ms, 20ms").error().message == "missing ')' in 'normal(200ms, 20ms'");
  CHECK(parse_distribution("normal(-1ms, 20ms)").error().message == "normal: must not be negative, got '-1ms'");
  CHECK_FALSE(parse_distribution("soon"));
}

TEST_CASE("to_string writes the text syntax back") {
  for (const char* text : {"250ms", "uniform(100ms, 300ms)", "normal(200ms, 20ms)", "lognormal(180ms, 0.4)",
                           "exponential(1.5s)"}) {
    CAPTURE(text);
    CHECK(to_string(*parse_distribution(text)) == text);
  }
}

TEST_CASE("sampling is deterministic, in range, and fixed values draw nothing") {
  rng a(11), b(11);
  const auto u = distribution::uniform(100ms, 300ms);
  for (int i = 0; i < 1000; ++i) {
    const auto x = u.sample(a);
    CHECK(x >= 100ms);
    CHECK(x < 300ms);
    CHECK(x == u.sample(b));
  }
  rng c(5), d(5);
  CHECK(distribution::fixed(250ms).sample(c) == 250ms);
  CHECK(c.next_u64() == d.next_u64());  // the fixed draw left the stream untouched
}

TEST_CASE("normal draws are clamped at zero, and means are as documented") {
  rng g(2);
  const auto wide = distribution::normal(1ms, 100ms);
  for (int i = 0; i < 1000; ++i) CHECK(wide.sample(g) >= 0ms);
  CHECK(distribution::uniform(100ms, 300ms).mean() == 200ms);
  CHECK(distribution::exponential(40ms).mean() == 40ms);
  duration total{};
  constexpr int n = 100000;
  const auto e = distribution::exponential(40ms);
  for (int i = 0; i < n; ++i) total += e.sample(g);
  CHECK(to_ms(total / n) == doctest::Approx(40.0).epsilon(0.02));
}
