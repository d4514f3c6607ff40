#pragma once
// A Prometheus-style cumulative histogram of seconds with fixed buckets suited to Lambda: from a
// millisecond (a warm no-op) to 900 s (the longest timeout).
#include <array>
#include <cstdint>

namespace lambkin::io::observe {

class seconds_histogram {
 public:
  static constexpr std::array<double, 16> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                 0.5,   1,      2.5,   5,    10,    30,   60,  900};

  void observe(double seconds) noexcept {
    for (std::size_t i = 0; i < bounds.size(); ++i)
      if (seconds <= bounds[i]) ++counts_[i];
    ++count_;
    sum_ += seconds;
  }
  /// Observations ≤ bounds[i] (cumulative, as Prometheus' `le` buckets are).
  std::uint64_t cumulative(std::size_t i) const noexcept { return counts_[i]; }
  std::uint64_t count() const noexcept { return count_; }
  double sum() const noexcept { return sum_; }

 private:
  std::array<std::uint64_t, bounds.size()> counts_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace lambkin::io::observe
