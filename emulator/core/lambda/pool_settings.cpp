#include "emulator/core/lambda/pool_settings.hpp"

#include "lambkin/error.hpp"

#include <utility>

namespace lambkin::lambda {

timing_defaults defaults_for(timing_profile profile) noexcept {
  if (profile == timing_profile::fast) {
    return {idle_retention::fixed(seconds(10)), {seconds(1), seconds(2)}, milliseconds(100), seconds(5)};
  }
  return {idle_retention::fixed(minutes(10)), {minutes(1), minutes(2)}, seconds(1), minutes(5)};
}

pool_settings default_pool_settings(function_name function, timing_profile profile) {
  const auto t = defaults_for(profile);
  pool_settings s;
  s.function = std::move(function);
  s.retention = t.retention;
  s.async.retry_delays = t.retry_delays;
  s.async.throttle_backoff_initial = t.throttle_backoff_initial;
  s.async.throttle_backoff_max = t.throttle_backoff_max;
  return s;
}

std::error_code validate(const pool_settings& s) {
  const auto bad = make_error_code(errc::invalid_parameter_value);
  if (s.timeout < seconds(1) || s.timeout > seconds(900)) return bad;
  if (s.memory_mb < 128 || s.memory_mb > 10240) return bad;
  if (s.retention.min <= duration::zero() || s.retention.max < s.retention.min) return bad;
  if (s.init_limit <= duration::zero() || s.provisioned_init_limit <= duration::zero()) return bad;
  const auto& a = s.async;
  if (a.max_retry_attempts > 2) return bad;
  if (a.max_event_age < seconds(60) || a.max_event_age > seconds(21600)) return bad;
  for (auto d : a.retry_delays)
    if (d < duration::zero()) return bad;
  if (a.throttle_backoff_initial <= duration::zero() ||
      a.throttle_backoff_max < a.throttle_backoff_initial)
    return bad;
  if (s.provisioned) {
    if (s.provisioned->count == 0) return bad;
    if (s.reserved_concurrency && s.provisioned->count > *s.reserved_concurrency) return bad;
  }
  return {};
}

std::uint32_t carve_out(std::optional<std::uint32_t> reserved,
                        const std::optional<provisioned_config>& provisioned) noexcept {
  if (reserved) return *reserved;
  return provisioned ? provisioned->count : 0;
}

}  // namespace lambkin::lambda
