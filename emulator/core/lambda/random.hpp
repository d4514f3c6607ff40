#pragma once
// A small deterministic generator for the pool's random choices (seeded idle retention).
//
// Written out instead of <random>'s distributions, whose algorithms differ between standard
// libraries: the same seed must give the same reaping times on every platform.
#include <cstdint>

namespace lambkin::lambda {

/// splitmix64 (Steele, Lea, Flood 2014): 64 bits of state, period 2^64, passes BigCrush.
/// Thread safety: a value type; one instance must not be shared between threads.
class splitmix64 {
 public:
  explicit constexpr splitmix64(std::uint64_t seed) noexcept : state_(seed) {}

  /// Advances and returns the next 64 random bits.
  constexpr std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

namespace detail {
/// The 128-bit product of a and b as {high, low}, from 32-bit halves (portable, no __int128).
struct u128 {
  std::uint64_t high, low;
};
constexpr u128 multiply(std::uint64_t a, std::uint64_t b) noexcept {
  const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
  const std::uint64_t hi_hi = a_hi * b_hi;
  const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
  return {hi_hi + (hi_lo >> 32) + (cross >> 32), (cross << 32) | (lo_lo & 0xffffffffULL)};
}
}  // namespace detail

/// Uniform in [0, bound) without bias (Lemire 2019, "Fast random integer generation in an
/// interval"); `bound == 0` means the full 64-bit range.
constexpr std::uint64_t uniform_below(splitmix64& rng, std::uint64_t bound) noexcept {
  if (bound == 0) return rng.next();
  auto m = detail::multiply(rng.next(), bound);
  if (m.low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    while (m.low < threshold) m = detail::multiply(rng.next(), bound);
  }
  return m.high;
}

/// Uniform in [lo, hi] (inclusive); `hi < lo` returns `lo`.
constexpr std::uint64_t uniform_between(splitmix64& rng, std::uint64_t lo, std::uint64_t hi) noexcept {
  if (hi <= lo) return lo;
  return lo + uniform_below(rng, hi - lo + 1);  // hi - lo + 1 == 0 ⇔ the full range
}

}  // namespace lambkin::lambda
