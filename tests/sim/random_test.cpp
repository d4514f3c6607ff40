#include "emulator/sim/random.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

using namespace lambkin::sim;

TEST_CASE("splitmix64 reproduces the published sequence for seed 1234567") {
  splitmix64 g(1234567);
  CHECK(g.next() == 6457827717110365317ULL);
  CHECK(g.next() == 3203168211198807973ULL);
  CHECK(g.next() == 9817491932198370423ULL);
  CHECK(g.next() == 4593380528125082431ULL);
  CHECK(g.next() == 16408922859458223821ULL);
}

TEST_CASE("xoshiro256** reproduces the reference outputs from state 1, 2, 3, 4") {
  rng g(std::array<std::uint64_t, 4>{1, 2, 3, 4});
  CHECK(g.next_u64() == 11520ULL);
  CHECK(g.next_u64() == 0ULL);
  CHECK(g.next_u64() == 1509978240ULL);
  CHECK(g.next_u64() == 1215971899390074240ULL);
}

TEST_CASE("the same seed gives the same sequence, another seed another one") {
  rng a(7), b(7), c(8);
  bool all_equal = true, any_differs = false;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next_u64();
    all_equal = all_equal && x == b.next_u64();
    any_differs = any_differs || x != c.next_u64();
  }
  CHECK(all_equal);
  CHECK(any_differs);
  // Pinned values (computed by an independent Python transcription of the reference code):
  // any change to the seeding or the generator shows up here.
  rng pinned(7);
  CHECK(pinned.next_u64() == 12923355070828475994ULL);
  CHECK(pinned.next_u64() == 5142052590334782674ULL);
  CHECK(pinned.next_u64() == 15488392906492639638ULL);
  CHECK(rng(7).uniform01() == 0.7005764821796896);
  CHECK(derive_seed(7, 1) == 5034285472447030919ULL);
}

TEST_CASE("derived seeds are distinct per stream and stable") {
  CHECK(derive_seed(7, stream::arrivals) != derive_seed(7, stream::init));
  CHECK(derive_seed(7, 0) != derive_seed(7, 1));
  CHECK(derive_seed(7, 1) != derive_seed(8, 1));
  CHECK(derive_seed(7, stream::handler) == derive_seed(7, stream::handler));
}

TEST_CASE("uniform01 stays below 1, not below 0, and has the right mean") {
  rng g(42);
  double sum = 0, lo = 1, hi = 0;
  constexpr int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = g.uniform01();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(sum / n == doctest::Approx(0.5).epsilon(0.01));
}

TEST_CASE("exponential, normal and lognormal have their textbook moments") {
  rng g(3);
  constexpr int n = 200000;
  double e = 0, m = 0, m2 = 0, below_median = 0;
  for (int i = 0; i < n; ++i) {
    e += g.exponential(5.0);
    const double x = g.normal(10.0, 2.0);
    m += x;
    m2 += x * x;
    if (g.lognormal(100.0, 0.5) < 100.0) ++below_median;
  }
  CHECK(e / n == doctest::Approx(5.0).epsilon(0.02));
  const double mean = m / n;
  CHECK(mean == doctest::Approx(10.0).epsilon(0.01));
  CHECK(std::sqrt(m2 / n - mean * mean) == doctest::Approx(2.0).epsilon(0.02));
  CHECK(below_median / n == doctest::Approx(0.5).epsilon(0.02));
}

TEST_CASE("bernoulli respects its edge probabilities") {
  rng g(1);
  for (int i = 0; i < 100; ++i) {
    CHECK_FALSE(g.bernoulli(0.0));
    CHECK(g.bernoulli(1.0));
  }
}
