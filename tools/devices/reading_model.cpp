#include "tools/devices/reading_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace lambkin::devices {
namespace {

/// Mixes the seed and the device index into one well-spread 64-bit seed (splitmix64's finaliser),
/// so device 1 and device 2 of one seed are unrelated series.
std::uint64_t mix(std::uint64_t seed, std::uint64_t device) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + device + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// A uniform double in [lo, hi). std::uniform_real_distribution's output is not specified across
/// standard libraries; this is, so a seed means the same series everywhere.
double uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// Roughly normal (sum of four uniforms), again portable.
double noise(std::mt19937_64& rng, double sigma) {
  double s = 0;
  for (int i = 0; i < 4; ++i) s += uniform(rng, -1, 1);
  return s * sigma * std::sqrt(3.0) / 2;
}

}  // namespace

std::string to_json(const reading& r) {
  char buf[128];
  const int n = std::snprintf(buf, sizeof buf, R"({"temperature":%.2f,"humidity":%.1f,"battery":%d,"seq":%llu})",
                              r.temperature, r.humidity, r.battery, static_cast<unsigned long long>(r.seq));
  return std::string(buf, static_cast<std::size_t>(n));
}

reading_model::reading_model(const model_options& options, std::uint64_t device_index)
    : rng_(mix(options.seed, device_index)), options_(options) {
  base_ = uniform(rng_, 17, 25);
  swing_ = uniform(rng_, 1.5, 3.5);
  phase_ = uniform(rng_, 0, 2 * std::numbers::pi);
  battery_ = uniform(rng_, 80, 100);
}

reading reading_model::next() {
  reading r;
  r.seq = seq_;
  const double day = std::max(options_.readings_per_day, 1);
  const double daily = swing_ * std::sin(2 * std::numbers::pi * static_cast<double>(seq_) / day + phase_);
  wander_ = std::clamp(wander_ * 0.98 + noise(rng_, 0.05), -2.0, 2.0);
  double t = base_ + daily + wander_ + noise(rng_, 0.1);

  if (spike_left_ == 0 && uniform(rng_, 0, 1) < options_.spike_probability) {
    spike_left_ = 3 + static_cast<int>(rng_() % 6);  // 3–8 readings
    spike_peak_ = uniform(rng_, 31, 38);
  }
  if (spike_left_ > 0) {
    t = spike_peak_ + noise(rng_, 0.3);
    t = std::max(t, 30.5);  // a spike is over 30 °C whatever the noise
    --spike_left_;
  }
  r.temperature = std::round(t * 100) / 100;
  r.humidity = std::round(std::clamp(50 - (t - base_) * 2 + noise(rng_, 0.8), 30.0, 70.0) * 10) / 10;
  battery_ = std::max(5.0, battery_ - 0.002);
  r.battery = static_cast<int>(std::lround(battery_));
  ++seq_;
  return r;
}

}  // namespace lambkin::devices
