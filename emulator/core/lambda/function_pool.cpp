// function_pool: construction, admission, dispatch and the async queue's drain.
// (Feedback inputs: function_pool_feedback.cpp; configuration: function_pool_config.cpp;
// shared state bookkeeping: function_pool_environment.cpp.)
#include "emulator/core/lambda/function_pool.hpp"

#include <utility>

namespace lambkin::lambda {

std::error_code function_pool::validate(const pool_settings& settings, const account& acct) {
  if (auto ec = lambda::validate(settings)) return ec;
  return acct.check_carve_out(0, carve_out(settings.reserved_concurrency, settings.provisioned));
}

function_pool::function_pool(pool_settings settings, account& acct)
    : settings_(std::move(settings)),
      account_(&acct),
      retention_(settings_.retention),
      queue_(settings_.async),
      queue_timer_(acct.next_id()) {
  if (auto ec = validate(settings_, acct)) throw std::system_error(ec, "function_pool settings");
  (void)account_->change_carve_out(0, carve_out(settings_.reserved_concurrency, settings_.provisioned));
}

function_pool::~function_pool() {
  if (!settings_.reserved_concurrency) account_->release(on_demand_in_flight_);
  (void)account_->change_carve_out(carve_out(settings_.reserved_concurrency, settings_.provisioned), 0);
}

void function_pool::on_start(time_point now, command_list& out) { top_up_provisioned(now, out); }

void function_pool::on_invoke(const invocation& inv, time_point now, command_list& out) {
  if (inv.type == invocation_type::async) {
    on_event_restored(async_event{inv.id, inv.version, now, 0, {}, {}}, now, out);
    return;
  }
  if (shut_down_) {
    out.emplace_back(reply{inv.id, {}, invocation_outcome::aborted()});
    return;
  }
  const admission a = admit(inv.version);
  if (!a.admitted()) {
    ++counters_.throttles;
    out.emplace_back(reply{inv.id, {}, invocation_outcome::throttled(a.throttle)});
    return;
  }
  run(a, running_invocation{inv.id, invocation_type::sync, 1, now, now}, inv.version, now, out);
}

void function_pool::on_event_restored(const async_event& ev, time_point now, command_list& out,
                                      std::optional<time_point> retry_due) {
  if (shut_down_) return;  // still in the shell's durable store; it runs after a restart
  if (settings_.reserved_concurrency == 0u) {
    // AWS: with reserved concurrency 0, events go to the DLQ / on-failure destination untried.
    ++counters_.throttles;
    queue_.reject(ev, errc::throttled_reserved_concurrency, now, out);
    return;
  }
  if (retry_due && *retry_due > now && ev.invoke_count > 0) {
    queue_.push_waiting(ev, *retry_due);
    sync_queue_timer(out);
    return;
  }
  queue_.push(ev);
  drain(now, out);
}

function_pool::admission function_pool::admit(version_id version) {
  // Provisioned environments first: they are already paid for and need no on-demand slot.
  if (settings_.provisioned && settings_.provisioned->version == version) {
    if (auto* e = envs_.take_idle(version, initialization_type::provisioned_concurrency))
      return {e, false, {}};
  }
  admission a;
  if (!acquire_on_demand(a.throttle)) return a;
  a.env = envs_.take_idle(version, initialization_type::on_demand);
  a.cold = a.env == nullptr;
  return a;
}

bool function_pool::acquire_on_demand(errc& why) {
  if (settings_.reserved_concurrency) {
    // Provisioned concurrency is allocated inside the reservation, so on-demand gets the rest.
    const std::uint32_t reserved = *settings_.reserved_concurrency;
    const std::uint32_t provisioned = settings_.provisioned ? settings_.provisioned->count : 0;
    const std::uint32_t cap = reserved > provisioned ? reserved - provisioned : 0;
    if (on_demand_in_flight_ >= cap) {
      why = errc::throttled_reserved_concurrency;
      return false;
    }
    return true;  // counted by bind()
  }
  if (!account_->try_acquire()) {
    why = errc::throttled_account_concurrency;
    return false;
  }
  return true;
}

errc function_pool::throttle_cause() const noexcept {
  return settings_.reserved_concurrency ? errc::throttled_reserved_concurrency
                                        : errc::throttled_account_concurrency;
}

void function_pool::run(const admission& a, const running_invocation& inv, version_id version,
                        time_point now, command_list& out) {
  if (a.cold) {
    cold_start(version, inv, now, out);
    return;
  }
  ++counters_.warm_starts;
  bind(*a.env, inv);
  dispatch_to(*a.env, inv, now, out);
}

void function_pool::dispatch_to(environment& e, const running_invocation& inv, time_point now,
                                command_list& out) {
  // Called with the invocation already bound; from idle (warm) or initializing (cold).
  const bool cold = !e.first_dispatched && e.init_type == initialization_type::on_demand;
  const duration init_duration =
      cold && e.init_finished ? *e.init_finished - e.init_started : duration::zero();
  // After a suppressed init the deadline armed at retry_init stands: the timeout covered init.
  const bool keep_deadline = e.state == environment_state::initializing &&
                             e.phase == init_phase::invoke && e.timer.has_value();
  const time_point deadline = keep_deadline ? *e.timer : now + timeout_of(e.version);
  set_state(e, environment_state::busy);
  e.first_dispatched = true;
  e.current->started_at = now;
  e.last_used = now;
  ++e.invocations;
  ++counters_.invocations;
  out.emplace_back(dispatch{e.id, inv.id, deadline, inv.attempt, cold, init_duration});
  if (!keep_deadline) arm(e, deadline, out);
}

void function_pool::cold_start(version_id version, const running_invocation& inv, time_point now,
                               command_list& out) {
  ++counters_.cold_starts;
  environment& e = create(version, initialization_type::on_demand, now);
  bind(e, inv);
  out.emplace_back(start_environment{e.id, version, initialization_type::on_demand, inv.id});
  arm(e, now + settings_.init_limit, out);
}

environment& function_pool::create(version_id version, initialization_type type, time_point now) {
  environment e;
  e.id = environment_id{account_->next_id()};
  e.version = version;
  e.init_type = type;
  e.state = environment_state::initializing;
  e.init_started = now;
  e.last_used = now;
  ++active_;
  return envs_.add(e);
}

void function_pool::drain(time_point now, command_list& out) {
  if (shut_down_) return;
  const errc cause = throttle_cause();
  while (!queue_.backing_off(now)) {
    const async_event* front = queue_.front(now, cause, out);
    if (front == nullptr) break;
    if (settings_.reserved_concurrency == 0u) {
      ++counters_.throttles;
      queue_.reject(queue_.pop_front(), errc::throttled_reserved_concurrency, now, out);
      continue;
    }
    const admission a = admit(front->version);
    if (!a.admitted()) {
      // Waiting for our own completions is not a throttle: each one drains the queue again.
      // With nothing in flight, the capacity is held elsewhere (the account's other functions,
      // or provisioned environments of another version): back off like Lambda's poller.
      if (active_ == 0) {
        ++counters_.throttles;
        queue_.on_throttled(now, a.throttle, out);
      }
      break;
    }
    const async_event ev = queue_.pop_front();
    run(a, running_invocation{ev.id, invocation_type::async, ev.invoke_count + 1, ev.enqueued_at, now},
        ev.version, now, out);
  }
  sync_queue_timer(out);
}

void function_pool::sync_queue_timer(command_list& out) {
  const auto want = queue_.next_wakeup();
  if (want == queue_timer_armed_) return;
  if (want)
    out.emplace_back(arm_timer{queue_timer_, *want});
  else
    out.emplace_back(cancel_timer{queue_timer_});
  queue_timer_armed_ = want;
}

void function_pool::on_queue_timer(time_point now, command_list& out) {
  if (!queue_timer_armed_ || *queue_timer_armed_ > now) return;  // stale firing
  queue_timer_armed_.reset();
  queue_.on_timer(now, throttle_cause(), out);
  drain(now, out);
}

}  // namespace lambkin::lambda
