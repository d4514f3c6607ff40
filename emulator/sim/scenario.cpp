// The scenario's plain-value half: invocation modes, flag overrides, validation.
// YAML reading lives in scenario_yaml.cpp so this file does not depend on yaml-cpp.
#include "emulator/sim/scenario.hpp"

#include <cmath>

namespace lambkin::sim {
namespace {

config_error field_error(std::string field, std::string message) {
  config_error e;
  e.field = std::move(field);
  e.message = std::move(message);
  return e;
}

template <class T>
void take(std::optional<T> from, T& to) {
  if (from) to = std::move(*from);
}

}  // namespace

std::string_view to_string(invocation_mode m) noexcept { return m == invocation_mode::async ? "async" : "sync"; }

std::optional<invocation_mode> parse_invocation_mode(std::string_view s) noexcept {
  if (s == "sync" || s == "RequestResponse") return invocation_mode::sync;
  if (s == "async" || s == "Event") return invocation_mode::async;
  return std::nullopt;
}

result<scenario> apply_overrides(scenario s, const scenario_overrides& o) {
  take(o.arrivals, s.arrivals);
  take(o.init, s.init);
  take(o.handler, s.handler);
  take(o.error_rate, s.error_rate);
  take(o.invocation, s.invocation);
  if (o.reserved_concurrency) s.pool.reserved_concurrency = o.reserved_concurrency;
  take(o.provisioned_concurrency, s.pool.provisioned_concurrency);
  take(o.account_concurrency, s.pool.account_concurrency);
  take(o.idle_retention, s.pool.idle_retention);
  take(o.timeout, s.pool.timeout);
  take(o.max_retry_attempts, s.pool.max_retry_attempts);
  take(o.seed, s.seed);
  if (o.horizon) s.horizon = o.horizon;
  if (auto e = validate(s)) return *e;
  return s;
}

std::optional<config_error> validate(const scenario& s) {
  if (s.arrivals.empty()) return field_error("arrivals", "no requests: give `arrivals:` in the file or --arrivals");
  for (std::size_t i = 0; i < s.arrivals.components.size(); ++i) {
    std::string key;
    if (auto problem = check(s.arrivals.components[i], &key); !problem.empty())
      return field_error("arrivals[" + std::to_string(i) + "]." + key, problem);
  }
  const struct {
    const char* field;
    const distribution& d;
  } dists[] = {{"init", s.init}, {"duration", s.handler}, {"idle_retention", s.pool.idle_retention}};
  for (const auto& [field, d] : dists)
    if (auto problem = check(d); !problem.empty()) return field_error(field, problem);

  const pool_settings& p = s.pool;
  if (p.account_concurrency == 0) return field_error("account", "must be at least 1");
  if (p.reserved_concurrency && *p.reserved_concurrency > p.account_concurrency)
    return field_error("reserved", "is above the account concurrency (" + std::to_string(p.account_concurrency) + ")");
  const std::uint32_t cap = p.reserved_concurrency.value_or(p.account_concurrency);
  if (p.provisioned_concurrency > cap)
    return field_error("provisioned", std::string("is above the ") +
                                          (p.reserved_concurrency ? "reserved" : "account") + " concurrency (" +
                                          std::to_string(cap) + ")");
  if (p.timeout < seconds(1) || p.timeout > seconds(900))
    return field_error("timeout", "must be between 1s and 900s (AWS's limits)");
  if (!(s.error_rate >= 0 && s.error_rate <= 1)) return field_error("error_rate", "must be between 0 and 1");
  if (p.max_retry_attempts > 2) return field_error("max_retry_attempts", "must be 0, 1 or 2 (AWS's limit)");
  if (p.retry_delays.empty() || p.retry_delays.size() > 2)
    return field_error("retry_delays", "needs one or two delays (before the 1st and the 2nd retry)");
  const distribution& idle = p.idle_retention;
  if (idle.kind != distribution_kind::fixed && idle.kind != distribution_kind::uniform)
    return field_error("idle_retention", "must be fixed or uniform(min, max)");
  if (idle.a <= duration::zero()) return field_error("idle_retention", "must be above 0");
  if (p.max_event_age < seconds(60) || p.max_event_age > hours(6))
    return field_error("max_event_age", "must be between 60s and 6h (AWS's limits)");
  if (s.horizon && *s.horizon <= duration::zero()) return field_error("horizon", "must be positive");
  return std::nullopt;
}

}  // namespace lambkin::sim
