// function_pool: configuration changes (versions, reserved and provisioned concurrency), the
// provisioned environments that follow them, and shutdown.
#include "emulator/core/lambda/function_pool.hpp"

#include <algorithm>
#include <vector>

namespace lambkin::lambda {

void function_pool::top_up_provisioned(time_point now, command_list& out) {
  if (!settings_.provisioned || provisioned_failed_ || shut_down_) return;
  const provisioned_config pc = *settings_.provisioned;
  const auto live = static_cast<std::uint32_t>(
      std::count_if(envs_.all().begin(), envs_.all().end(), [&](const environment& e) {
        return e.init_type == initialization_type::provisioned_concurrency && !e.retiring &&
               e.version == pc.version;
      }));
  const duration limit = std::max(settings_.provisioned_init_limit, timeout_of(pc.version));
  for (std::uint32_t i = live; i < pc.count; ++i) {
    ++counters_.provisioned_starts;
    environment& e = create(pc.version, initialization_type::provisioned_concurrency, now);
    out.emplace_back(start_environment{e.id, pc.version, initialization_type::provisioned_concurrency, {}});
    arm(e, now + limit, out);
  }
}

void function_pool::retire_provisioned_surplus(const provisioned_config& old, std::uint32_t keep,
                                               time_point now, command_list& out) {
  std::vector<environment_id> idle, other;
  for (const auto& e : envs_.all()) {
    if (e.init_type != initialization_type::provisioned_concurrency || e.retiring ||
        e.version != old.version)
      continue;
    (e.state == environment_state::idle ? idle : other).push_back(e.id);
  }
  auto live = static_cast<std::uint32_t>(idle.size() + other.size());
  // Idle ones go first (at once); the rest finish what they run, then stop.
  for (auto id : idle) {
    if (live <= keep) return;
    envs_.find(id)->retiring = true;
    remove(id, stop_reason::retired, now, out);
    --live;
  }
  for (auto id : other) {
    if (live <= keep) return;
    envs_.find(id)->retiring = true;
    --live;
  }
}

void function_pool::on_version_retired(version_id version, time_point now, command_list& out) {
  if (shut_down_) return;
  if (settings_.provisioned && settings_.provisioned->version == version) {
    // Provisioned concurrency can't outlive its version; its carve-out goes back too.
    (void)account_->change_carve_out(carve_out(settings_.reserved_concurrency, settings_.provisioned),
                                     carve_out(settings_.reserved_concurrency, std::nullopt));
    settings_.provisioned.reset();
  }
  std::vector<environment_id> ids;
  for (const auto& e : envs_.all())
    if (e.version == version) ids.push_back(e.id);
  for (auto id : ids) {
    environment* e = envs_.find(id);
    e->retiring = true;
    if (e->state == environment_state::idle) remove(id, stop_reason::retired, now, out);
  }
  drain(now, out);
}

std::error_code function_pool::set_reserved_concurrency(std::optional<std::uint32_t> reserved,
                                                        time_point now, command_list& out) {
  const auto bad = make_error_code(errc::invalid_parameter_value);
  if (reserved && settings_.provisioned && settings_.provisioned->count > *reserved) return bad;
  const auto from = carve_out(settings_.reserved_concurrency, settings_.provisioned);
  if (auto ec = account_->change_carve_out(from, carve_out(reserved, settings_.provisioned))) return ec;
  // In-flight on-demand invocations hold account slots exactly when the function is unreserved.
  if (!settings_.reserved_concurrency && reserved) account_->release(on_demand_in_flight_);
  if (settings_.reserved_concurrency && !reserved) account_->acquire_unchecked(on_demand_in_flight_);
  settings_.reserved_concurrency = reserved;
  drain(now, out);
  return {};
}

std::error_code function_pool::set_provisioned_concurrency(std::optional<provisioned_config> provisioned,
                                                           time_point now, command_list& out) {
  if (provisioned && provisioned->count == 0) provisioned.reset();
  const auto bad = make_error_code(errc::invalid_parameter_value);
  if (provisioned && settings_.reserved_concurrency &&
      provisioned->count > *settings_.reserved_concurrency)
    return bad;
  const auto from = carve_out(settings_.reserved_concurrency, settings_.provisioned);
  if (auto ec = account_->change_carve_out(from, carve_out(settings_.reserved_concurrency, provisioned)))
    return ec;
  const auto old = settings_.provisioned;
  settings_.provisioned = provisioned;
  provisioned_failed_ = false;
  provisioned_failures_ = 0;
  if (old) {
    const bool same_version = provisioned && provisioned->version == old->version;
    retire_provisioned_surplus(*old, same_version ? provisioned->count : 0, now, out);
  }
  top_up_provisioned(now, out);
  drain(now, out);
  return {};
}

std::error_code function_pool::set_version_timeout(version_id version, duration timeout) {
  if (timeout < seconds(1) || timeout > seconds(900)) return errc::invalid_parameter_value;
  for (auto& [v, t] : version_timeouts_)
    if (v == version) {
      t = timeout;
      return {};
    }
  version_timeouts_.emplace_back(version, timeout);
  return {};
}

std::error_code function_pool::set_retry_policy(std::uint32_t max_retry_attempts, duration max_event_age) {
  if (max_retry_attempts > 2 || max_event_age < seconds(60) || max_event_age > hours(6))
    return errc::invalid_parameter_value;
  settings_.async.max_retry_attempts = max_retry_attempts;
  settings_.async.max_event_age = max_event_age;
  queue_.set_retry_policy(max_retry_attempts, max_event_age);
  return {};
}

duration function_pool::timeout_of(version_id version) const noexcept {
  for (const auto& [v, t] : version_timeouts_)
    if (v == version) return t;
  return settings_.timeout;
}

void function_pool::on_shutdown(time_point now, command_list& out) {
  if (shut_down_) return;
  std::vector<environment_id> ids;
  for (const auto& e : envs_.all()) ids.push_back(e.id);
  for (auto id : ids) {
    environment* e = envs_.find(id);
    if (e->current) {
      const running_invocation inv = unbind(*e);
      if (inv.type == invocation_type::sync)
        out.emplace_back(reply{inv.id, id, invocation_outcome::aborted()});
    }
    remove(id, stop_reason::shutdown, now, out);
  }
  shut_down_ = true;
  queue_.clear();
  if (queue_timer_armed_) {
    out.emplace_back(cancel_timer{queue_timer_});
    queue_timer_armed_.reset();
  }
}

}  // namespace lambkin::lambda
