#pragma once
// Everything a function pool is configured with, and the timing-profile defaults.
#include "emulator/core/lambda/invocation.hpp"
#include "emulator/core/lambda/retention.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"
#include "lambkin/timing.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <system_error>

namespace lambkin::lambda {

/// N environments kept initialised for one published version (or the version an alias points to).
struct provisioned_config {
  version_id version;
  std::uint32_t count = 0;
  friend constexpr bool operator==(const provisioned_config&, const provisioned_config&) = default;
};

/// Async invocation settings (`PutFunctionEventInvokeConfig`) and the platform's retry timing.
struct async_settings {
  /// MaximumRetryAttempts, 0–2: retries after function errors.
  std::uint32_t max_retry_attempts = 2;
  /// MaximumEventAgeInSeconds, 60 s – 6 h.
  duration max_event_age = hours(6);
  /// Wait before the 2nd and the 3rd attempt after a function error (AWS: 1 and 2 minutes).
  std::array<duration, 2> retry_delays{minutes(1), minutes(2)};
  /// Throttle backoff: starts here and doubles up to `throttle_backoff_max` (AWS: 1 s … 5 min).
  duration throttle_backoff_initial = seconds(1);
  duration throttle_backoff_max = minutes(5);
};

/// The delays a timing profile sets (platform behaviour, not function configuration):
///
/// | setting                 | aws            | fast             |
/// |-------------------------|----------------|------------------|
/// | idle retention          | 10 min fixed   | 10 s fixed       |
/// | async retry delays      | 1 min, 2 min   | 1 s, 2 s         |
/// | throttle backoff        | 1 s … 5 min    | 100 ms … 5 s     |
///
/// `fast` divides AWS's delays by 60 (a minute becomes a second) so retries and reaping are
/// observable in a test or a demo; the backoff starts at 100 ms rather than 17 ms so a throttled
/// queue doesn't spin. Limits that are AWS configuration or hard quotas (function timeout, init
/// limit 10 s, maximum event age) are the same in both profiles.
struct timing_defaults {
  idle_retention retention;
  std::array<duration, 2> retry_delays;
  duration throttle_backoff_initial;
  duration throttle_backoff_max;
};

timing_defaults defaults_for(timing_profile profile) noexcept;

struct pool_settings {
  function_name function;
  /// Reserved concurrency: caps the function and guarantees it (0 throttles every invoke).
  /// nullopt = the function shares the account's unreserved pool.
  std::optional<std::uint32_t> reserved_concurrency;
  /// Provisioned concurrency on one version; counts within reserved concurrency when set.
  std::optional<provisioned_config> provisioned;
  /// Function timeout, 1–900 s.
  duration timeout = seconds(3);
  /// Memory size, 128–10,240 MB (the shell enforces it; kept here for reports).
  std::uint32_t memory_mb = 128;
  idle_retention retention = idle_retention::fixed(minutes(10));
  /// On-demand init limit (AWS: 10 s); past it the init is retried inside the first invoke.
  duration init_limit = seconds(10);
  /// Provisioned init limit; the effective one is max(this, timeout) (AWS: max(130 s, timeout)).
  duration provisioned_init_limit = seconds(130);
  async_settings async;
};

/// A function's settings with AWS's defaults and `profile`'s delays (see `timing_defaults`).
pool_settings default_pool_settings(function_name function, timing_profile profile);

/// errc::invalid_parameter_value unless: timeout 1–900 s; memory 128–10,240 MB; retention
/// 0 < min ≤ max; init limits > 0; max_retry_attempts ≤ 2; max_event_age 60 s – 6 h; retry delays
/// ≥ 0; 0 < backoff initial ≤ backoff max; provisioned count ≥ 1 and ≤ reserved concurrency
/// when both are set. (Account-wide limits are checked by `function_pool::validate`.)
std::error_code validate(const pool_settings& s);

/// What the pool takes out of the account's unreserved pool: its reserved concurrency, or, for an
/// unreserved function, its provisioned concurrency (AWS subtracts both from unreserved concurrency).
std::uint32_t carve_out(std::optional<std::uint32_t> reserved,
                        const std::optional<provisioned_config>& provisioned) noexcept;

}  // namespace lambkin::lambda
