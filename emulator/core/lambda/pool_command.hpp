#pragma once
// What a function pool asks its driver (the live shell or the simulator) to do.
//
// Every `function_pool::on_*` input appends commands to a `command_list`; the driver executes them
// **in order** and reports back through the pool's feedback inputs. Rules the driver follows:
//   - Every environment the pool starts ends with exactly one `stop_environment`; after it (and
//     after `retry_init`, for the process it replaces) the driver reports nothing more about that
//     process. Late reports for unknown environments are ignored anyway.
//   - `arm_timer` with an id that is already armed moves that timer. When a timer expires the
//     driver calls `on_timer(id, now)`; a late or cancelled firing is harmless (the pool checks).
//   - `reply` is only for synchronous invocations (the caller is waiting). Async callers got their
//     202 at intake; their events end in `event_finished`.
#include "emulator/core/lambda/destination_record.hpp"
#include "emulator/core/lambda/environment.hpp"
#include "emulator/core/lambda/invocation.hpp"
#include "emulator/core/lambda/invocation_outcome.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace lambkin::lambda {

/// Why an environment is stopped.
enum class stop_reason : std::uint8_t {
  reaped,         // idle longer than the retention period
  retired,        // its version was retired, or provisioned concurrency moved or shrank
  timeout,        // the invocation (or suppressed init) ran out of time: killed
  crashed,        // the runtime process exited on its own
  out_of_memory,  // over its memory size
  init_failed,    // init failed for good (after the suppressed retry, or a provisioned init)
  shutdown,       // the emulator is stopping
};

enum class init_status : std::uint8_t { success, error, timeout };

constexpr std::string_view to_string(stop_reason r) noexcept {
  switch (r) {
    case stop_reason::reaped: return "reaped";
    case stop_reason::retired: return "retired";
    case stop_reason::timeout: return "timeout";
    case stop_reason::crashed: return "crashed";
    case stop_reason::out_of_memory: return "out_of_memory";
    case stop_reason::init_failed: return "init_failed";
    case stop_reason::shutdown: return "shutdown";
  }
  return "unknown";
}

/// "success", "error", "timeout" — as in `INIT_REPORT … Status: timeout`.
constexpr std::string_view to_string(init_status s) noexcept {
  switch (s) {
    case init_status::success: return "success";
    case init_status::error: return "error";
    case init_status::timeout: return "timeout";
  }
  return "unknown";
}

/// Spawn a runtime for `version` and run its init (INIT_START). The driver reports the first
/// GET /next with `on_environment_ready`, or `on_init_failed` / `on_environment_exited` /
/// `on_out_of_memory`. `bound` is the invocation that waits for it (on-demand cold start);
/// provisioned environments have none.
struct start_environment {
  environment_id env;
  version_id version;
  initialization_type init_type = initialization_type::on_demand;
  std::optional<invocation_id> bound;
};

/// Hand `invocation` to the environment's pending GET /next (thawing it first if frozen).
/// `deadline` is the function timeout's end (`Lambda-Runtime-Deadline-Ms` once converted to
/// wall time). `cold` marks the first invocation of an on-demand environment: only its REPORT line
/// carries `Init Duration: init_duration`.
struct dispatch {
  environment_id env;
  invocation_id invocation;
  time_point deadline{};
  std::uint32_t attempt = 1;
  bool cold = false;
  duration init_duration{};
};

/// The environment went idle: freeze it (SIGSTOP) until the next `dispatch`. Optional to obey.
struct freeze {
  environment_id env;
};

/// Suppressed init: the normal init failed or hit the init limit, so kill what is left of the
/// runtime and run init again in the same environment (same id, /tmp, log stream) for
/// `invocation`, within the function timeout (`deadline`). Reported like `start_environment`.
struct retry_init {
  environment_id env;
  invocation_id invocation;
  time_point deadline{};
};

/// Stop the environment (SIGKILL what is still running; free its /tmp and runtime API port). The
/// pool has forgotten it already.
struct stop_environment {
  environment_id env;
  stop_reason reason = stop_reason::reaped;
};

/// An init attempt ended: `INIT_REPORT Init Duration: <elapsed> Phase: <phase> Status: <status>`.
struct init_report {
  environment_id env;
  init_phase phase = init_phase::init;
  init_status status = init_status::success;
  duration elapsed{};
};

/// Answer a synchronous caller. `env` is the environment that ran it (0 for throttles and aborts);
/// for an init error reported through /init/error the body to return is that environment's.
struct reply {
  invocation_id invocation;
  environment_id env;
  invocation_outcome outcome;
};

/// An async attempt failed with a function error; the event runs again at `due` (attempt
/// `invoke_count + 1`). Informational: the pool arms its own queue timer.
struct retry_scheduled {
  invocation_id invocation;
  std::uint32_t invoke_count = 0;
  time_point due{};
};

/// An async event is done: deliver the record to the on-success destination (Success) or to the
/// on-failure destination / DLQ, or drop it when none is configured; then forget the payload.
struct event_finished {
  destination_record record;
};

/// Call `on_timer(timer, now)` once `now >= deadline` (replacing an armed timer with this id).
struct arm_timer {
  timer_id timer;
  time_point deadline{};
};

struct cancel_timer {
  timer_id timer;
};

using pool_command = std::variant<start_environment, dispatch, freeze, retry_init, stop_environment,
                                  init_report, reply, retry_scheduled, event_finished, arm_timer,
                                  cancel_timer>;

/// Inputs append to a caller-owned list: a driver reuses one list (clear() keeps its capacity),
/// so steady-state invocations allocate nothing.
using command_list = std::vector<pool_command>;

}  // namespace lambkin::lambda
