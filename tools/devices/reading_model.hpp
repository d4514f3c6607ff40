#pragma once
// The readings one simulated device produces: a deterministic series (same seed and device index
// → same readings, on every machine), with no clock and no I/O.
//
// Per device, drawn from the seed: a base temperature (17–25 °C), a daily-like swing (±1.5–3.5 °C
// over `readings_per_day` readings, phase per device), a slow random wander, noise, and now and
// then a spike of a few readings at 31–38 °C (probability `spike_probability` per reading) so
// that a threshold of 30 °C fires alerts. Humidity moves against temperature (30–70 %), battery
// drains slowly from 80–100 % (never below 5).
#include <cstdint>
#include <random>
#include <string>

namespace lambkin::devices {

struct model_options {
  std::uint64_t seed = 1;
  /// How many readings make one simulated day (one reading = one simulated minute by default).
  int readings_per_day = 1440;
  /// Chance that a reading starts a spike above 30 °C.
  double spike_probability = 0.01;
};

struct reading {
  double temperature = 0;  // °C, two decimals
  double humidity = 0;     // %, one decimal
  int battery = 100;       // %
  std::uint64_t seq = 0;   // 0, 1, 2… per device
};

/// `{"temperature":21.53,"humidity":41.2,"battery":97,"seq":123}`.
std::string to_json(const reading& r);

/// One device's series. `next()` returns reading `seq` = 0, 1, 2…
class reading_model {
 public:
  reading_model(const model_options& options, std::uint64_t device_index);

  reading next();

 private:
  std::mt19937_64 rng_;
  model_options options_;
  double base_, swing_, phase_, wander_ = 0;
  double battery_;
  int spike_left_ = 0;
  double spike_peak_ = 0;
  std::uint64_t seq_ = 0;
};

}  // namespace lambkin::devices
