#pragma once
// The execution environments of one function and the rules that decide where each invocation
// runs (reference/lambda.md §3–§5). A pure state machine: inputs take `now` and append commands.
#include "emulator/core/lambda/account.hpp"
#include "emulator/core/lambda/async_queue.hpp"
#include "emulator/core/lambda/environment.hpp"
#include "emulator/core/lambda/environment_table.hpp"
#include "emulator/core/lambda/invocation.hpp"
#include "emulator/core/lambda/invocation_outcome.hpp"
#include "emulator/core/lambda/pool_command.hpp"
#include "emulator/core/lambda/pool_counters.hpp"
#include "emulator/core/lambda/pool_settings.hpp"
#include "emulator/core/lambda/retention.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/error.hpp"
#include "lambkin/ids.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <system_error>
#include <utility>
#include <vector>

namespace lambkin::lambda {

/// One function's pool of execution environments, with its async event queue.
///
/// Rules (each input below lists what it changes and emits):
///  - An invocation runs on an idle environment of its version: an idle provisioned one first
///    (if the version has provisioned concurrency), else the most recently used idle on-demand
///    one (MRU/LIFO: the rest stay idle and get reaped), else a new on-demand environment is
///    started for it (cold start, the invocation bound to it) — if concurrency allows.
///  - Concurrency = in-flight invocations (busy environments + on-demand ones initializing for a
///    bound invocation). Running on an idle provisioned environment needs no further slot.
///    Anything on-demand needs one: with reserved concurrency R and provisioned P, on-demand
///    in-flight ≤ R − P (else errc::throttled_reserved_concurrency); without a reservation one
///    slot of the account's unreserved pool (else errc::throttled_account_concurrency).
///  - Sync invocations without room are answered at once with a throttle `reply`. Async ones
///    always enter the queue; the pool drains it whenever room may appear (a completion, an
///    environment ready, a configuration change, the queue's timer).
///  - Timers: an environment has at most one (id = its id): the init limit while initializing,
///    the function timeout while busy, the idle retention while idle (on-demand only: provisioned
///    environments are never reaped). The queue has one more (`queue_timer()`).
///  - Inputs about unknown environments, or that don't fit an environment's state (a late report
///    after `stop_environment`, a stale timer), change nothing and emit nothing.
///
/// Thread safety: none. A pool, its account and the other pools of that account are used from
/// one thread (the shell's io_context, or the simulator's loop).
class function_pool {
 public:
  /// errc::invalid_parameter_value for invalid settings (`lambda::validate`), or when the
  /// account can't carve out the reservation / provisioned concurrency (unreserved minimum).
  static std::error_code validate(const pool_settings& settings, const account& acct);

  /// Takes its carve-out from `acct` (which must outlive the pool) and an id for the queue timer.
  /// Emits nothing: call `on_start`. Throws std::system_error if `validate` fails — callers
  /// validate first; an invalid configuration here is a bug.
  function_pool(pool_settings settings, account& acct);
  /// Returns the carve-out and any unreserved slots still held to the account.
  ~function_pool();
  function_pool(const function_pool&) = delete;
  function_pool& operator=(const function_pool&) = delete;

  // ---- the pool's own lifecycle ------------------------------------------------------------

  /// Call once after construction.
  ///  - provisioned concurrency N: N environments `initializing` (provisioned-concurrency);
  ///    emits N × {`start_environment` (no bound invocation), `arm_timer` (init limit
  ///    max(provisioned_init_limit, timeout))}.
  void on_start(time_point now, command_list& out);

  /// Stops everything; afterwards sync invokes get `aborted` and other inputs are ignored.
  ///  - each in-flight sync invocation: `reply` (aborted); async ones are dropped (the shell's
  ///    durable queue still has them, and the queued events too: the queue is cleared);
  ///  - each environment: `cancel_timer` if armed, `stop_environment` (shutdown);
  ///  - `cancel_timer` for the queue timer if armed.
  void on_shutdown(time_point now, command_list& out);

  // ---- requests ------------------------------------------------------------------------------

  /// A new invocation.
  ///  - sync, room on an idle environment: it goes `busy`; emits `dispatch`, `arm_timer`
  ///    (deadline = now + timeout);
  ///  - sync, room for a cold start: a new environment `initializing` with the invocation bound;
  ///    emits `start_environment` (on-demand, bound), `arm_timer` (now + init_limit);
  ///  - sync, no room: emits `reply` (throttled with the errc above);
  ///  - async: joins the queue's back, then the queue is drained (as sync, except that an event
  ///    without room waits; see `async_queue`). With reserved concurrency 0 it ends at once:
  ///    `event_finished` (RetriesExhausted, approximateInvokeCount 0, outcome throttled).
  void on_invoke(const invocation& inv, time_point now, command_list& out);

  /// An async event restored from the shell's durable store (keeps its enqueue time and attempt
  /// count); then handled like an async `on_invoke`. With `retry_due` after `now` (it was waiting
  /// for a retry when the shell stopped), it waits until then first (`arm_timer` for the queue).
  void on_event_restored(const async_event& ev, time_point now, command_list& out,
                         std::optional<time_point> retry_due = std::nullopt);

  // ---- feedback from the driver ---------------------------------------------------------------

  /// Init finished: the runtime's first GET /next.
  ///  - emits `init_report` (phase, success, init duration);
  ///  - with a bound invocation: `busy`; emits `dispatch` (cold, Init Duration) and, after a normal
  ///    init, `arm_timer` (now + timeout) — after a suppressed init the deadline armed at
  ///    `retry_init` stays (the timeout covers init + invoke);
  ///  - provisioned: `idle`; the queue is drained (an event may take it at once: `dispatch`,
  ///    `arm_timer`); if still idle: `freeze`, `cancel_timer` (no idle timer: never reaped).
  ///    If it was retired meanwhile: `cancel_timer`, `stop_environment` (retired).
  void on_environment_ready(environment_id env, time_point now, command_list& out);

  /// Init failed: /runtime/init/error (`reported`) or no bootstrap (`invalid_entrypoint`).
  /// Process exits and OOM kills during init come through `on_environment_exited` /
  /// `on_out_of_memory` and are handled the same way:
  ///  - emits `init_report` (phase, error);
  ///  - normal init with a bound invocation → suppressed init: phase `invoke`; emits `retry_init`
  ///    and `arm_timer` (now + timeout);
  ///  - suppressed init → the invocation fails with `init_error` (`reply`, or the async queue
  ///    retries it); emits `cancel_timer`, `stop_environment` (init_failed);
  ///  - provisioned → `cancel_timer`, `stop_environment` (init_failed) and a replacement
  ///    `start_environment` — after 3 consecutive provisioned init failures, no more replacements
  ///    until provisioned concurrency is set again (`provisioned_failed()`).
  void on_init_failed(environment_id env, init_failure why, time_point now, command_list& out);

  /// The runtime answered invocation `inv` (/response or /error).
  ///  - the outcome (success / function_error) goes to the caller (`reply`) or the async queue
  ///    (`event_finished` Success, `retry_scheduled` or `event_finished` failure);
  ///  - the environment stays warm: `idle`, its slot released, and the queue is drained (an event
  ///    of the same version takes it at once: `dispatch`, `arm_timer`); if still idle: `freeze`,
  ///    `arm_timer` (now + a retention period; provisioned: `cancel_timer` instead);
  ///  - if its version was retired meanwhile: `cancel_timer`, `stop_environment` (retired).
  void on_invocation_done(environment_id env, invocation_id inv, invocation_result result,
                          time_point now, command_list& out);

  /// The runtime process exited on its own.
  ///  - initializing: as `on_init_failed` (exited, Runtime.ExitError);
  ///  - busy: the invocation fails with `exit_error`; `cancel_timer`, `stop_environment`
  ///    (crashed); then the queue is drained;
  ///  - idle: `cancel_timer`, `stop_environment` (crashed);
  ///  - a provisioned environment lost this way is replaced (`start_environment`, `arm_timer`).
  void on_environment_exited(environment_id env, exit_status status, time_point now,
                             command_list& out);

  /// The environment went over its memory size (the shell killed it). As `on_environment_exited`,
  /// with `out_of_memory` outcome / init failure and stop reason.
  void on_out_of_memory(environment_id env, time_point now, command_list& out);

  /// A timer armed by this pool expired (late or cancelled firings are ignored).
  ///  - initializing, normal init past the init limit: `init_report` (init, timeout), then as an
  ///    init failure (suppressed init with a bound invocation; provisioned: replaced);
  ///  - initializing, suppressed init past the timeout: `init_report` (invoke, timeout); the
  ///    invocation times out (during_init); `stop_environment` (timeout);
  ///  - busy past the timeout: the invocation times out ("Task timed out after X.XX seconds");
  ///    `stop_environment` (timeout); the next invocation is cold; the queue is drained;
  ///  - idle past its retention: `stop_environment` (reaped);
  ///  - the queue timer: due retries become ready / a backoff ends; the queue is drained.
  void on_timer(timer_id timer, time_point now, command_list& out);

  // ---- configuration changes ------------------------------------------------------------------

  /// A version's code or configuration was replaced (or the version deleted): its idle
  /// environments are stopped now (`cancel_timer`, `stop_environment` retired), busy and
  /// initializing ones when their invocation ends. Provisioned concurrency on that version is
  /// removed. New invocations of the version get new environments. For a `$LATEST` update the
  /// shell retires the old `$LATEST` version id and invokes with a new one.
  void on_version_retired(version_id version, time_point now, command_list& out);

  /// PutFunctionConcurrency / DeleteFunctionConcurrency. Errors (nothing changes):
  /// invalid_parameter_value when the account can't carve it out or provisioned > reserved.
  /// In-flight invocations continue; the queue is drained (more room, or with 0 every ready event
  /// ends as with an async `on_invoke`).
  std::error_code set_reserved_concurrency(std::optional<std::uint32_t> reserved, time_point now,
                                           command_list& out);

  /// Put/DeleteProvisionedConcurrencyConfig, or an alias moved to another version (count 0 or
  /// nullopt removes it). Errors as `set_reserved_concurrency`. Surplus provisioned environments
  /// are retired (idle ones first, at once; busy ones after their invocation), missing ones
  /// started (`start_environment`, `arm_timer`); resets `provisioned_failed()`.
  std::error_code set_provisioned_concurrency(std::optional<provisioned_config> provisioned,
                                              time_point now, command_list& out);

  /// The function timeout of one version (versions keep the timeout they were published with;
  /// UpdateFunctionConfiguration gives a new `$LATEST` its own). Versions without one use
  /// `settings().timeout`. Applies to invocations dispatched (and provisioned inits started)
  /// from now on; deadlines already armed stay. Emits nothing. errc::invalid_parameter_value
  /// (nothing changes) outside 1–900 s.
  std::error_code set_version_timeout(version_id version, duration timeout);
  /// PutFunctionEventInvokeConfig: MaximumRetryAttempts (0–2) and MaximumEventAgeInSeconds
  /// (60 s – 6 h) for async events from now on (see `async_queue::set_retry_policy`). Emits
  /// nothing. errc::invalid_parameter_value (nothing changes) outside those ranges.
  std::error_code set_retry_policy(std::uint32_t max_retry_attempts, duration max_event_age);
  /// The timeout invocations of `version` get.
  duration timeout_of(version_id version) const noexcept;

  // ---- queries ----------------------------------------------------------------------------------

  /// Every live environment, by increasing id. Invalidated by the next input.
  std::span<const environment> environments() const noexcept { return envs_.all(); }
  const environment* find(environment_id env) const noexcept { return envs_.find(env); }
  /// Invocations in flight (busy environments + initializing ones with a bound invocation).
  std::uint32_t in_flight() const noexcept { return on_demand_in_flight_ + provisioned_in_flight_; }
  /// Environments idle right now.
  std::size_t idle() const noexcept { return envs_.idle_count(); }
  /// Async events waiting (ready or for a retry).
  std::size_t queued() const noexcept { return queue_.size(); }
  const async_queue& queue() const noexcept { return queue_; }
  /// The id of the pool's queue timer (the other timers' ids are environment ids).
  timer_id queue_timer() const noexcept { return queue_timer_; }
  /// Current settings (reserved and provisioned concurrency as last set).
  const pool_settings& settings() const noexcept { return settings_; }
  const pool_counters& counters() const noexcept { return counters_; }
  /// Provisioned concurrency stopped replacing environments after repeated init failures.
  bool provisioned_failed() const noexcept { return provisioned_failed_; }
  bool shut_down() const noexcept { return shut_down_; }

 private:
  /// Where an invocation can run: an idle environment, a cold start, or nowhere (`throttle`).
  struct admission {
    environment* env = nullptr;
    bool cold = false;
    errc throttle{};
    bool admitted() const noexcept { return env != nullptr || cold; }
  };

  // function_pool.cpp: admission, dispatch, the queue
  admission admit(version_id version);
  bool acquire_on_demand(errc& why);
  errc throttle_cause() const noexcept;
  void run(const admission& a, const running_invocation& inv, version_id version, time_point now,
           command_list& out);
  void dispatch_to(environment& e, const running_invocation& inv, time_point now, command_list& out);
  void cold_start(version_id version, const running_invocation& inv, time_point now,
                  command_list& out);
  environment& create(version_id version, initialization_type type, time_point now);
  void drain(time_point now, command_list& out);
  void sync_queue_timer(command_list& out);
  void on_queue_timer(time_point now, command_list& out);

  // function_pool_environment.cpp: state bookkeeping shared by every input
  void set_state(environment& e, environment_state s) noexcept;
  void bind(environment& e, const running_invocation& inv) noexcept;
  running_invocation unbind(environment& e) noexcept;
  void arm(environment& e, time_point deadline, command_list& out);
  void disarm(environment& e, command_list& out);
  void finish(const running_invocation& inv, version_id version, environment_id env,
              const invocation_outcome& outcome, time_point now, command_list& out);
  void go_idle(environment_id env, time_point now, command_list& out);
  void remove(environment_id env, stop_reason reason, time_point now, command_list& out);
  void fail_running(environment& e, const invocation_outcome& outcome, stop_reason reason,
                    time_point now, command_list& out);
  void init_attempt_failed(environment& e, init_status status, init_failure why, exit_status exit,
                           time_point now, command_list& out);
  void lost(environment& e, const invocation_outcome& outcome, init_failure why,
            stop_reason reason, time_point now, command_list& out);

  // function_pool_config.cpp: provisioned concurrency
  void top_up_provisioned(time_point now, command_list& out);
  void retire_provisioned_surplus(const provisioned_config& old, std::uint32_t keep, time_point now,
                                  command_list& out);

  pool_settings settings_;
  account* account_;
  retention retention_;
  async_queue queue_;
  environment_table envs_;
  timer_id queue_timer_;
  std::optional<time_point> queue_timer_armed_;
  /// On-demand environments with an invocation (initializing-bound or busy): they hold slots.
  std::uint32_t on_demand_in_flight_ = 0;
  /// Busy provisioned environments.
  std::uint32_t provisioned_in_flight_ = 0;
  /// Environments initializing or busy: while > 0, a completion or a ready will drain the queue.
  std::uint32_t active_ = 0;
  std::uint32_t provisioned_failures_ = 0;
  /// `set_version_timeout` overrides (a handful per function: a vector beats a map).
  std::vector<std::pair<version_id, duration>> version_timeouts_;
  bool provisioned_failed_ = false;
  bool shut_down_ = false;
  pool_counters counters_;
};

}  // namespace lambkin::lambda
