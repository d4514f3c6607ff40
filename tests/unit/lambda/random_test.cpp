#include "emulator/core/lambda/random.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>

using namespace lambkin::lambda;

TEST_CASE("splitmix64 reproduces the reference sequence") {
  // First outputs for seed 0 of the reference implementation (Vigna, splitmix64.c).
  splitmix64 rng{0};
  CHECK(rng.next() == 0xe220a8397b1dcdafULL);
  CHECK(rng.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(rng.next() == 0x06c45d188009454fULL);
}

TEST_CASE("uniform_below stays below its bound and hits every value") {
  splitmix64 rng{99};
  std::array<int, 6> seen{};
  for (int i = 0; i < 6000; ++i) {
    const auto x = uniform_below(rng, 6);
    REQUIRE(x < 6);
    ++seen[x];
  }
  for (int n : seen) {
    CHECK(n > 800);  // ~1000 each
    CHECK(n < 1200);
  }
}

TEST_CASE("uniform_between is inclusive and handles degenerate and full ranges") {
  splitmix64 rng{5};
  CHECK(uniform_between(rng, 7, 7) == 7);
  CHECK(uniform_between(rng, 9, 3) == 9);
  bool low = false, high = false;
  for (int i = 0; i < 1000; ++i) {
    const auto x = uniform_between(rng, 10, 12);
    CHECK(x >= 10);
    CHECK(x <= 12);
    low = low || x == 10;
    high = high || x == 12;
  }
  CHECK(low);
  CHECK(high);
  (void)uniform_between(rng, 0, UINT64_MAX);  // the full range must not divide by zero
}

TEST_CASE("the 128-bit product is exact") {
  const auto p = detail::multiply(0xffffffffffffffffULL, 0xffffffffffffffffULL);
  CHECK(p.high == 0xfffffffffffffffeULL);
  CHECK(p.low == 1);
  const auto q = detail::multiply(1ULL << 32, 1ULL << 32);
  CHECK(q.high == 1);
  CHECK(q.low == 0);
}
