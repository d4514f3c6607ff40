#pragma once
// The simulator's random numbers: xoshiro256** seeded through splitmix64, and the few
// distributions the scenarios need, written out here rather than taken from <random>.
//
// Why not std::*_distribution: their algorithms are implementation-defined, so the same seed gives
// different runs on libstdc++ and libc++. Everything below is specified bit for bit (only the
// final `log`/`exp`/`sqrt`/`cos` calls go through libm), so a scenario with `seed: 7` produces the
// same timeline everywhere, and tests can assert exact outcomes.
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "emulator/core/lambda/random.hpp"

namespace lambkin::sim {

/// splitmix64 expands one 64-bit seed into xoshiro's 256-bit state and derives independent
/// seeds; it is the pool core's generator (core/lambda/random.hpp), shared rather than repeated.
using lambda::splitmix64;

/// A seed for an independent stream: `derive_seed(seed, k)` differs for every k, so adding a
/// stream (another arrival component, a new random choice) never shifts the numbers of the others.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
  splitmix64 mix(seed ^ (stream * 0xd1342543de82ef95ULL));
  mix.next();
  return mix.next();
}

/// The streams a simulation draws from; each gets `rng{derive_seed(scenario.seed, stream)}`.
enum class stream : std::uint64_t { arrivals = 1, init = 2, handler = 3, errors = 4, retention = 5 };

constexpr std::uint64_t derive_seed(std::uint64_t seed, stream s) noexcept {
  return derive_seed(seed, static_cast<std::uint64_t>(s));
}

/// xoshiro256** 1.0 (Blackman, Vigna 2018) plus the distributions the simulator samples.
/// Copyable value type; two copies continue the same sequence independently.
class rng {
 public:
  /// State from four splitmix64 outputs of `seed` (the authors' recommended seeding).
  explicit constexpr rng(std::uint64_t seed = 0) noexcept {
    splitmix64 mix(seed);
    for (auto& word : s_) word = mix.next();
  }
  /// Raw state, for reproducing the reference test vectors. Must not be all zero.
  explicit constexpr rng(const std::array<std::uint64_t, 4>& state) noexcept : s_(state) {}

  /// The next 64 random bits.
  constexpr std::uint64_t next_u64() noexcept {
    const std::uint64_t out = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return out;
  }

  /// Uniform in [0, 1): the top 53 bits scaled by 2^-53, so every value is exactly representable.
  constexpr double uniform01() noexcept {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  }

  /// Uniform in [lo, hi).
  constexpr double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform01(); }

  /// True with probability p (p ≤ 0 never draws true, p ≥ 1 always does; one draw either way).
  constexpr bool bernoulli(double p) noexcept { return uniform01() < p; }

  /// Exponential with the given mean, by inversion: -mean·ln(1 − U). 1 − U is in (0, 1], so the
  /// logarithm is finite.
  double exponential(double mean) noexcept { return -mean * std::log(1.0 - uniform01()); }

  /// Standard normal by the Box–Muller transform. Each transform yields two values; the second is
  /// kept for the next call, so consecutive calls cost one transform per two values.
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform01();  // (0, 1]: ln(u1) is finite
    const double u2 = uniform01();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 2.0 * std::numbers::pi * u2;
    spare_ = r * std::sin(theta);
    has_spare_ = true;
    return r * std::cos(theta);
  }

  /// Normal with the given mean and standard deviation.
  double normal(double mean, double stddev) noexcept { return mean + stddev * normal(); }

  /// Log-normal parameterised by its median (= e^μ) and σ of the underlying normal.
  double lognormal(double median, double sigma) noexcept { return median * std::exp(sigma * normal()); }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }

  std::array<std::uint64_t, 4> s_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace lambkin::sim
