#pragma once
// When requests arrive: the arrivals part of a scenario, and the generator that turns it into a
// sorted list of arrival offsets (from the start of the simulation) for a given seed.
//
// A spec is a list of components whose arrivals are merged:
//   explicit   given times                          `0, 0, 10ms`          YAML `[0, 0, 10ms]` or {at: […]}
//   rate       `rate` per second over `duration`,  `poisson(50, 10s)`    YAML {rate: 50, duration: 10s,
//              from `start`; process poisson        `uniform(50/s, 10s, 1s)`    process: uniform, start: 1s}
//              (default) or uniform (evenly spaced)
//   burst      `size` requests at each of the      `burst(6, 1s)`        YAML {burst: 6, at: [0, 1s]}
//              times `at`, and/or `count` bursts    `bursts(6, 1s, 3)`    YAML {burst: 6, every: 1s, count: 3}
//              `every` apart from `start`           (bursts(size, every, count[, start]))
// In text, components are joined with `+`: `poisson(5, 60s) + burst(20, 30s)`. A rate may carry a
// unit: `50` = `50/s`, `300/m`, `3600/h`.
#include "emulator/sim/result.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lambkin::sim {

/// Requests at exactly these offsets (any order; duplicates are simultaneous requests).
struct explicit_arrivals {
  std::vector<duration> times{};
  bool operator==(const explicit_arrivals&) const = default;
};

enum class arrival_process : std::uint8_t { poisson, uniform };

/// `rate_per_s` requests per second during [start, start + length).
/// uniform: floor(rate × length) requests at start + i/rate (the first exactly at `start`).
/// poisson: exponential gaps with mean 1/rate from `start`; the count varies around rate × length.
struct rate_arrivals {
  arrival_process process = arrival_process::poisson;
  double rate_per_s = 0;
  duration length{};
  duration start{};
  bool operator==(const rate_arrivals&) const = default;
};

/// `size` simultaneous requests at each time in `at`, plus `count` more bursts at
/// start, start + every, … (when count > 0).
struct burst_arrivals {
  std::uint64_t size = 0;
  std::vector<duration> at{};
  duration every{};
  std::uint64_t count = 0;
  duration start{};
  bool operator==(const burst_arrivals&) const = default;
};

using arrival_component = std::variant<explicit_arrivals, rate_arrivals, burst_arrivals>;

struct arrivals_spec {
  std::vector<arrival_component> components{};

  bool empty() const noexcept { return components.empty(); }
  /// The exact count for explicit, uniform and burst components, the mean for Poisson ones:
  /// what to `reserve` before generating or simulating.
  std::uint64_t expected_count() const noexcept;
  bool operator==(const arrivals_spec&) const = default;
};

/// Sorted arrival offsets. Component i draws from `rng{derive_seed(derive_seed(seed, stream::arrivals), i)}`,
/// so components are independent and adding one never changes the others. Offsets at or after
/// `horizon` are dropped.
std::vector<duration> generate_arrivals(const arrivals_spec& spec, std::uint64_t seed,
                                        std::optional<duration> horizon = std::nullopt);

/// Parses the text syntax (flag `--arrivals`, or a YAML scalar). Errors carry only a message.
result<arrivals_spec> parse_arrivals(std::string_view text);

/// A rate in requests per second: `50`, `50/s`, `300/m`, `3600/h`. Errors carry only a message.
result<double> parse_rate(std::string_view text);

/// Checks one component's parameters (positive rate, positive size, …); empty when valid.
/// Used by the text parser and the YAML reader. `field` receives the offending key
/// (`rate`, `duration`, `burst`, `count`) so the YAML reader can point at it.
std::string check(const arrival_component& c, std::string* field = nullptr);

/// A short description in the text syntax; explicit lists longer than 8 are abbreviated
/// (`0, 0, 0, 0, 0, 0, 0, 0, … (1000 times)`), so it is for display, not a round trip.
std::string describe(const arrivals_spec& spec);

}  // namespace lambkin::sim
