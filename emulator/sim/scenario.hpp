#pragma once
// A simulation scenario: who calls, how long the function takes, and the pool's settings — read
// from YAML, overridden by `lambkin simulate` flags, validated, then handed to the driver.
//
// YAML format (every key optional except `arrivals`; unknown keys are errors):
//
//   name: Six simultaneous requests
//   description: No environment is warm, so each request needs its own.
//   arrivals: [0, 0, 0, 0, 0, 0]     # or one component map, a list of them, or the text syntax:
//                                    #   {rate: 50, duration: 10s, process: poisson, start: 0}
//                                    #   {burst: 6, at: [0, 1s]}   {burst: 6, every: 1s, count: 3}
//                                    #   "poisson(50, 10s) + burst(20, 5s)"   (see arrivals.hpp)
//   init: 250ms                      # init duration distribution (see distribution.hpp), either
//   duration: uniform(80ms, 120ms)   #   text or {dist: uniform, min: 80ms, max: 120ms}
//   invocation: sync                 # sync | async (also RequestResponse | Event)
//   reserved: 10                     # reserved concurrency; absent = unreserved
//   provisioned: 0                   # provisioned concurrency (environments kept initialised)
//   account: 1000                    # account concurrency limit
//   idle_retention: 10m              # how long an idle environment lives: fixed or uniform(5m, 15m)
//   timeout: 3s                      # function timeout, 1s–900s
//   error_rate: 0                    # probability that an invocation fails, [0, 1]
//   max_retry_attempts: 2            # async retries after a function error, 0–2
//   retry_delays: [1m, 2m]           # delay before the 1st and 2nd async retry
//   max_event_age: 6h                # async events older than this are dropped, 60s–6h
//   seed: 7                          # all randomness derives from it
//   horizon: 10s                     # stop the simulation here (default: when all work is done)
//   expect: {cold_starts: 6, environments: 6, warm_starts: 0}
//
// Errors name file, 1-based line and column, and the field: `s.yaml:4:11: arrivals.rate: must be a
// positive number`. Flags (`scenario_overrides`) replace file values; `validate` runs after both.
#include "emulator/sim/arrivals.hpp"
#include "emulator/sim/distribution.hpp"
#include "emulator/sim/expectation.hpp"
#include "emulator/sim/result.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::sim {

enum class invocation_mode : std::uint8_t { sync, async };

std::string_view to_string(invocation_mode m) noexcept;
/// `sync`/`RequestResponse` or `async`/`Event`.
std::optional<invocation_mode> parse_invocation_mode(std::string_view s) noexcept;

/// The pool's settings as plain values, mirrored on AWS's (defaults are AWS's defaults).
struct pool_settings {
  std::optional<std::uint32_t> reserved_concurrency{};  ///< absent = draws on the unreserved pool
  std::uint32_t provisioned_concurrency = 0;
  std::uint32_t account_concurrency = 1000;
  /// Fixed or uniform(min, max), above 0. AWS does not specify it; 10 minutes matches the pool
  /// core's `aws` timing default (emulator/core/lambda/pool_settings.hpp).
  distribution idle_retention = distribution::fixed(minutes(10));
  duration timeout = seconds(3);
  std::uint32_t max_retry_attempts = 2;
  /// Delay before async retry i (0-based), one or two entries; a second retry without its own
  /// entry reuses the first.
  std::vector<duration> retry_delays{minutes(1), minutes(2)};
  duration max_event_age = hours(6);
  bool operator==(const pool_settings&) const = default;
};

struct scenario {
  std::string name{};
  std::string description{};
  std::string file{};                       ///< where it was read from; empty for flags only
  arrivals_spec arrivals{};
  distribution init = distribution::fixed(milliseconds(250));
  distribution handler = distribution::fixed(milliseconds(100));
  double error_rate = 0;
  invocation_mode invocation = invocation_mode::sync;
  pool_settings pool{};
  std::uint64_t seed = 1;
  std::optional<duration> horizon{};
  std::vector<expectation> expect{};
  bool operator==(const scenario&) const = default;
};

/// Command-line values; each one set replaces the scenario's (flags win over the file).
struct scenario_overrides {
  std::optional<arrivals_spec> arrivals{};              ///< --arrivals (text syntax, parse_arrivals)
  std::optional<distribution> init{};                   ///< --init
  std::optional<distribution> handler{};                ///< --duration
  std::optional<double> error_rate{};                   ///< --error-rate
  std::optional<invocation_mode> invocation{};          ///< --async / --sync
  std::optional<std::uint32_t> reserved_concurrency{};  ///< --reserved
  std::optional<std::uint32_t> provisioned_concurrency{};  ///< --provisioned
  std::optional<std::uint32_t> account_concurrency{};   ///< --account
  std::optional<distribution> idle_retention{};         ///< --idle-retention
  std::optional<duration> timeout{};                    ///< --timeout
  std::optional<std::uint32_t> max_retry_attempts{};    ///< --max-retry-attempts
  std::optional<std::uint64_t> seed{};                  ///< --seed
  std::optional<duration> horizon{};                    ///< --horizon
};

/// Reads and validates a scenario file. The file name in errors is `path` as given.
result<scenario> load_scenario(const std::filesystem::path& path);

/// Parses and validates YAML text; `file` only names it in errors.
result<scenario> parse_scenario(std::string_view yaml, std::string_view file = "scenario.yaml");

/// Applies the overrides, then validates. Errors from a flag name the scenario field
/// (`reserved: …`) without a file position.
result<scenario> apply_overrides(scenario s, const scenario_overrides& o);

/// Cross-field and range checks, matching what the pool core accepts: arrivals present,
/// reserved ≤ account, provisioned ≤ reserved (or ≤ account), timeout 1s–900s, error_rate in
/// [0, 1], max_retry_attempts ≤ 2, one or two retry_delays, max_event_age 60s–6h, idle_retention
/// fixed or uniform and above 0, valid distributions.
/// The error's `field` is the scenario key; file and position are left for the caller.
std::optional<config_error> validate(const scenario& s);

}  // namespace lambkin::sim
