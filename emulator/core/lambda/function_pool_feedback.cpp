// function_pool: what the driver reports back — init results, invocation results, deaths, timers.
#include "emulator/core/lambda/function_pool.hpp"

namespace lambkin::lambda {

void function_pool::on_environment_ready(environment_id env, time_point now, command_list& out) {
  environment* e = envs_.find(env);
  if (e == nullptr || e->state != environment_state::initializing) return;
  e->init_finished = now;
  out.emplace_back(init_report{env, e->phase, init_status::success, now - e->init_started});
  if (e->current) {
    const running_invocation inv = *e->current;
    dispatch_to(*e, inv, now, out);
    return;
  }
  // Provisioned: ready and waiting. It counts as a success only now, so a string of failed
  // inits in between successes never adds up to the failure limit.
  provisioned_failures_ = 0;
  go_idle(env, now, out);
}

void function_pool::on_init_failed(environment_id env, init_failure why, time_point now,
                                   command_list& out) {
  environment* e = envs_.find(env);
  if (e == nullptr || e->state != environment_state::initializing) return;
  init_attempt_failed(*e, init_status::error, why, exit_status{}, now, out);
}

void function_pool::on_invocation_done(environment_id env, invocation_id inv,
                                       invocation_result result, time_point now, command_list& out) {
  environment* e = envs_.find(env);
  if (e == nullptr || e->state != environment_state::busy || !e->current || e->current->id != inv)
    return;
  const invocation_outcome outcome = result == invocation_result::success
                                         ? invocation_outcome::success()
                                         : invocation_outcome::function_error();
  if (result == invocation_result::function_error) ++counters_.function_errors;
  const version_id version = e->version;
  const running_invocation done = unbind(*e);
  finish(done, version, env, outcome, now, out);
  go_idle(env, now, out);
}

void function_pool::on_environment_exited(environment_id env, exit_status status, time_point now,
                                          command_list& out) {
  environment* e = envs_.find(env);
  if (e == nullptr) return;
  ++counters_.crashes;
  lost(*e, invocation_outcome::exited(status), init_failure::exited, stop_reason::crashed, now, out);
}

void function_pool::on_out_of_memory(environment_id env, time_point now, command_list& out) {
  environment* e = envs_.find(env);
  if (e == nullptr) return;
  ++counters_.out_of_memory;
  lost(*e, invocation_outcome::out_of_memory(), init_failure::out_of_memory,
       stop_reason::out_of_memory, now, out);
}

void function_pool::on_timer(timer_id timer, time_point now, command_list& out) {
  if (timer == queue_timer_) {
    on_queue_timer(now, out);
    return;
  }
  environment* e = envs_.find(environment_id{timer.value()});
  // A timer moved or cancelled after the driver already queued its firing: ignore it.
  if (e == nullptr || !e->timer || *e->timer > now) return;
  e->timer.reset();
  switch (e->state) {
    case environment_state::initializing:
      init_attempt_failed(*e, init_status::timeout, init_failure::none, exit_status{}, now, out);
      return;
    case environment_state::busy:
      ++counters_.timeouts;
      fail_running(*e, invocation_outcome::timed_out(now - e->current->started_at),
                   stop_reason::timeout, now, out);
      return;
    case environment_state::idle:
      if (e->init_type == initialization_type::on_demand) remove(e->id, stop_reason::reaped, now, out);
      return;
  }
}

}  // namespace lambkin::lambda
