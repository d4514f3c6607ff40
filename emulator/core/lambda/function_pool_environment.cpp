// function_pool: the bookkeeping every input shares — counters that must follow each state
// change, the one timer per environment, and the ways an environment leaves the pool.
#include "emulator/core/lambda/function_pool.hpp"

namespace lambkin::lambda {
namespace {

// After this many provisioned inits fail in a row the function's code is assumed broken:
// replacing them forever would spawn runtimes in a loop (AWS reports the allocation as FAILED).
constexpr std::uint32_t provisioned_failure_limit = 3;

}  // namespace

void function_pool::set_state(environment& e, environment_state s) noexcept {
  const bool was_active = e.state != environment_state::idle;
  const bool is_active = s != environment_state::idle;
  if (was_active && !is_active) --active_;
  if (!was_active && is_active) ++active_;
  e.state = s;
}

void function_pool::bind(environment& e, const running_invocation& inv) noexcept {
  e.current = inv;
  if (e.init_type == initialization_type::on_demand)
    ++on_demand_in_flight_;
  else
    ++provisioned_in_flight_;
}

running_invocation function_pool::unbind(environment& e) noexcept {
  const running_invocation inv = *e.current;
  e.current.reset();
  if (e.init_type == initialization_type::on_demand) {
    --on_demand_in_flight_;
    if (!settings_.reserved_concurrency) account_->release();
  } else {
    --provisioned_in_flight_;
  }
  return inv;
}

void function_pool::arm(environment& e, time_point deadline, command_list& out) {
  e.timer = deadline;
  out.emplace_back(arm_timer{timer_of(e.id), deadline});
}

void function_pool::disarm(environment& e, command_list& out) {
  if (!e.timer) return;
  e.timer.reset();
  out.emplace_back(cancel_timer{timer_of(e.id)});
}

void function_pool::finish(const running_invocation& inv, version_id version, environment_id env,
                           const invocation_outcome& outcome, time_point now, command_list& out) {
  if (inv.type == invocation_type::sync) {
    out.emplace_back(reply{inv.id, env, outcome});
    return;
  }
  queue_.on_attempt_finished(async_event{inv.id, version, inv.enqueued_at, inv.attempt, {}, {}},
                             outcome, env, now, out);
}

void function_pool::go_idle(environment_id id, time_point now, command_list& out) {
  environment* e = envs_.find(id);
  if (e->retiring) {
    remove(id, stop_reason::retired, now, out);
    drain(now, out);
    return;
  }
  set_state(*e, environment_state::idle);
  e->last_used = now;
  envs_.push_idle(*e);
  // Drain before freezing: the next queued event of this version takes the environment straight
  // away (it is on top of the MRU stack), with no freeze/thaw and no idle timer in between.
  drain(now, out);
  e = envs_.find(id);  // drain may have added environments
  if (e == nullptr || e->state != environment_state::idle) return;
  out.emplace_back(freeze{id});
  if (e->init_type == initialization_type::on_demand)
    arm(*e, now + retention_.next_period(), out);
  else
    disarm(*e, out);  // provisioned environments are never reaped
}

void function_pool::remove(environment_id id, stop_reason reason, time_point now, command_list& out) {
  environment* e = envs_.find(id);
  if (e == nullptr) return;
  disarm(*e, out);
  if (e->current) unbind(*e);
  if (e->state != environment_state::idle) --active_;
  const bool replace = e->init_type == initialization_type::provisioned_concurrency && !e->retiring &&
                       (reason == stop_reason::timeout || reason == stop_reason::crashed ||
                        reason == stop_reason::out_of_memory);
  if (reason == stop_reason::reaped) ++counters_.reaped;
  if (reason == stop_reason::retired) ++counters_.retired;
  out.emplace_back(stop_environment{id, reason});
  envs_.erase(id);
  if (replace) top_up_provisioned(now, out);
}

void function_pool::fail_running(environment& e, const invocation_outcome& outcome,
                                 stop_reason reason, time_point now, command_list& out) {
  const environment_id id = e.id;
  const version_id version = e.version;
  const running_invocation inv = unbind(e);
  // The caller's answer first, so the shell can still read the environment (its init error body).
  finish(inv, version, id, outcome, now, out);
  remove(id, reason, now, out);
  drain(now, out);
}

void function_pool::init_attempt_failed(environment& e, init_status status, init_failure why,
                                        exit_status exit, time_point now, command_list& out) {
  const duration elapsed = now - e.init_started;
  out.emplace_back(init_report{e.id, e.phase, status, elapsed});
  ++counters_.init_failures;
  if (e.current && e.phase == init_phase::init) {
    // Suppressed init (reference §3.1): one more try inside the invoke, on the timeout's budget.
    e.phase = init_phase::invoke;
    e.init_started = now;
    ++counters_.suppressed_inits;
    const time_point deadline = now + timeout_of(e.version);
    out.emplace_back(retry_init{e.id, e.current->id, deadline});
    arm(e, deadline, out);
    return;
  }
  if (e.current) {
    if (status == init_status::timeout) {
      ++counters_.timeouts;
      fail_running(e, invocation_outcome::timed_out(elapsed, true), stop_reason::timeout, now, out);
    } else {
      fail_running(e, invocation_outcome::init_failed(why, exit), stop_reason::init_failed, now, out);
    }
    return;
  }
  // A provisioned environment: nobody waits for it; replace it unless init keeps failing.
  const environment_id id = e.id;
  const bool retiring = e.retiring;
  remove(id, stop_reason::init_failed, now, out);
  if (retiring) return;
  if (++provisioned_failures_ >= provisioned_failure_limit) provisioned_failed_ = true;
  top_up_provisioned(now, out);
}

void function_pool::lost(environment& e, const invocation_outcome& outcome, init_failure why,
                         stop_reason reason, time_point now, command_list& out) {
  switch (e.state) {
    case environment_state::initializing:
      init_attempt_failed(e, init_status::error, why, outcome.exit, now, out);
      return;
    case environment_state::busy:
      fail_running(e, outcome, reason, now, out);
      return;
    case environment_state::idle:
      remove(e.id, reason, now, out);
      return;
  }
}

}  // namespace lambkin::lambda
