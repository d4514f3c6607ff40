#include "emulator/sim/arrivals.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace lambkin;
using namespace lambkin::sim;
using namespace std::chrono_literals;

namespace {
arrivals_spec spec_of(std::string_view text) {
  auto r = parse_arrivals(text);
  REQUIRE_MESSAGE(r, r.error().message);
  return *r;
}
}  // namespace

TEST_CASE("explicit arrivals come out sorted, duplicates kept") {
  const auto a = generate_arrivals(spec_of("30ms, 0, 0, 10ms"), 1);
  CHECK(a == std::vector<duration>{0ms, 0ms, 10ms, 30ms});
  CHECK(generate_arrivals(spec_of("0,0,0,0,0,0"), 1).size() == 6);
}

TEST_CASE("uniform arrivals: exact count and even spacing") {
  const auto a = generate_arrivals(spec_of("uniform(50, 1s)"), 1);
  REQUIRE(a.size() == 50);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == 20ms * static_cast<int>(i));
  const auto b = generate_arrivals(spec_of("uniform(3/s, 1s, 500ms)"), 1);
  REQUIRE(b.size() == 3);
  CHECK(b[0] == 500ms);
  CHECK(b[1] == duration(833'333'333));
  CHECK(b[2] == duration(1'166'666'667));
  CHECK(generate_arrivals(spec_of("uniform(300/m, 2s)"), 1).size() == 10);
}

TEST_CASE("poisson arrivals: seeded, in the window, count within statistical bounds") {
  const auto spec = spec_of("poisson(50, 100s)");
  const auto a = generate_arrivals(spec, 7);
  CHECK(a == generate_arrivals(spec, 7));
  CHECK(a != generate_arrivals(spec, 8));
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(a.front() >= 0ms);
  CHECK(a.back() < 100s);
  // Mean 5000, standard deviation √5000 ≈ 71: ±4σ.
  CHECK(a.size() > 5000 - 283);
  CHECK(a.size() < 5000 + 283);
  // Gaps are exponential: their mean is 1/rate = 20ms.
  const double mean_gap_ms = to_ms(a.back() - a.front()) / static_cast<double>(a.size() - 1);
  CHECK(mean_gap_ms == doctest::Approx(20.0).epsilon(0.05));
}

TEST_CASE("bursts, combinations and the horizon") {
  CHECK(generate_arrivals(spec_of("burst(3, 1s)"), 1) == std::vector<duration>{1s, 1s, 1s});
  CHECK(generate_arrivals(spec_of("bursts(2, 1s, 3)"), 1) == std::vector<duration>{0s, 0s, 1s, 1s, 2s, 2s});
  CHECK(generate_arrivals(spec_of("bursts(1, 1s, 2, 500ms)"), 1) == std::vector<duration>{500ms, 1500ms});
  const auto mixed = generate_arrivals(spec_of("uniform(2, 2s) + burst(2, 750ms) + 100ms"), 1);
  CHECK(mixed == std::vector<duration>{0ms, 100ms, 500ms, 750ms, 750ms, 1000ms, 1500ms});
  CHECK(generate_arrivals(spec_of("uniform(2, 2s) + burst(2, 750ms)"), 1, 1s) ==
        std::vector<duration>{0ms, 500ms, 750ms, 750ms});
}

TEST_CASE("adding a component does not change the draws of the others") {
  const auto alone = generate_arrivals(spec_of("poisson(10, 10s)"), 3);
  const auto with_burst = generate_arrivals(spec_of("poisson(10, 10s) + burst(5, 20s)"), 3);
  CHECK(std::vector<duration>(with_burst.begin(), with_burst.end() - 5) == alone);
}

TEST_CASE("expected_count and describe") {
  const auto spec = spec_of("uniform(50, 1s) + bursts(6, 1s, 2) + 0, 5ms");
  CHECK(spec.expected_count() == 50 + 12 + 2);
  CHECK(describe(spec) == "uniform(50/s, 1s) + bursts(6, 1s, 2, 0) + 0, 5ms");
  CHECK(describe(spec_of("poisson(50, 10s, 1s)")) == "poisson(50/s, 10s, 1s)");
}

TEST_CASE("parse_arrivals errors name the problem") {
  CHECK(parse_arrivals("poisson(-5, 10s)").error().message == "rate must be a positive number");
  CHECK(parse_arrivals("poisson(5)").error().message == "expected poisson(rate, duration[, start]), got 'poisson(5)'");
  CHECK(parse_arrivals("burst(0, 1s)").error().message == "burst must be a positive whole number");
  CHECK(parse_arrivals("0, soon").error().message ==
        "expected a duration such as 250ms, 1.5s, 2m or 100us, got 'soon'");
  CHECK(parse_arrivals("storm(5)").error().message ==
        "unknown arrival pattern 'storm' (expected a list of times, poisson(…), uniform(…), burst(…) or bursts(…))");
  CHECK(parse_arrivals("uniform(5, 1s) + ").error().message == "empty arrival pattern in 'uniform(5, 1s) + '");
  CHECK(parse_rate("5/fortnight").error().message == "expected a rate such as 50 or 50/s, got '5/fortnight'");
}
