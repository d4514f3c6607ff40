#pragma once
// The result a caller (or the async queue) sees for one attempt, and its AWS error text.
//
// The pool decides *what* happened (`invocation_outcome`, a small value); the functions below turn
// it into the `errorType` / `errorMessage` Lambda would return (reference/lambda.md §3.3). They
// are pure formatting, so they live in the core; the shell supplies the request id string.
#include "lambkin/clock.hpp"
#include "lambkin/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace lambkin::lambda {

/// How a runtime process ended: an exit code, or the signal that killed it.
struct exit_status {
  bool signaled = false;
  /// Exit code (0–255) or signal number (Linux numbering: 9 = SIGKILL, 11 = SIGSEGV…).
  int value = 0;

  static constexpr exit_status code(int c) noexcept { return {false, c}; }
  static constexpr exit_status signal(int s) noexcept { return {true, s}; }
  friend constexpr bool operator==(const exit_status&, const exit_status&) = default;
};

/// Why an init failed (`on_init_failed`, or an exit / OOM reported while initializing).
enum class init_failure : std::uint8_t {
  none,
  /// The runtime posted /runtime/init/error; the shell keeps that body per environment and
  /// returns it unchanged (`Runtime.ImportModuleError`…).
  reported,
  /// The runtime process exited before its first GET /next → `Runtime.ExitError`.
  exited,
  /// Killed for exceeding the memory size while initializing → `Runtime.OutOfMemory`.
  out_of_memory,
  /// No executable bootstrap could be started → `Runtime.InvalidEntrypoint`.
  invalid_entrypoint,
};

enum class outcome_kind : std::uint8_t {
  /// The runtime posted a response.
  success,
  /// The runtime posted an error; the body is passed through unchanged (environment kept).
  function_error,
  /// The function timeout expired (also: a suppressed init that used up the timeout).
  timeout,
  /// The runtime exited during the invocation → `Runtime.ExitError`.
  exit_error,
  /// Over the memory size → `Runtime.OutOfMemory`.
  out_of_memory,
  /// Init failed twice (normal init, then the suppressed init inside the invoke).
  init_error,
  /// No concurrency: 429 `TooManyRequestsException` with the `Reason` of `throttle`.
  throttled,
  /// The emulator shut down before the invocation finished (`ServiceException`, 500).
  aborted,
};

/// One attempt's result. A plain value (trivially copyable); build it with the named constructors.
struct invocation_outcome {
  outcome_kind kind = outcome_kind::success;
  /// throttled: errc::throttled_reserved_concurrency or errc::throttled_account_concurrency.
  errc throttle{};
  /// exit_error, and init_error with init_failure::exited.
  exit_status exit{};
  /// init_error: what the last init attempt did.
  init_failure init = init_failure::none;
  /// timeout: true when the time ran out in the suppressed init, before the handler started.
  bool during_init = false;
  /// timeout: how long the invocation ran (the `X.XX` of "Task timed out after X.XX seconds").
  duration elapsed{};

  static constexpr invocation_outcome success() noexcept { return {}; }
  static constexpr invocation_outcome function_error() noexcept {
    return {.kind = outcome_kind::function_error};
  }
  static constexpr invocation_outcome timed_out(duration ran, bool in_init = false) noexcept {
    return {.kind = outcome_kind::timeout, .during_init = in_init, .elapsed = ran};
  }
  static constexpr invocation_outcome exited(exit_status s) noexcept {
    return {.kind = outcome_kind::exit_error, .exit = s};
  }
  static constexpr invocation_outcome out_of_memory() noexcept {
    return {.kind = outcome_kind::out_of_memory, .exit = exit_status::signal(9)};
  }
  static constexpr invocation_outcome init_failed(init_failure why, exit_status s = {}) noexcept {
    return {.kind = outcome_kind::init_error, .exit = s, .init = why};
  }
  static constexpr invocation_outcome throttled(errc reason) noexcept {
    return {.kind = outcome_kind::throttled, .throttle = reason};
  }
  static constexpr invocation_outcome aborted() noexcept { return {.kind = outcome_kind::aborted}; }
};

/// True when the function ran and failed: `X-Amz-Function-Error: Unhandled`, and an async event
/// is retried (function_error, timeout, exit_error, out_of_memory, init_error).
constexpr bool is_function_error(const invocation_outcome& o) noexcept {
  switch (o.kind) {
    case outcome_kind::function_error:
    case outcome_kind::timeout:
    case outcome_kind::exit_error:
    case outcome_kind::out_of_memory:
    case outcome_kind::init_error:
      return true;
    default:
      return false;
  }
}

/// `success`, `function_error`, `timeout`… (logs, timelines, test messages).
std::string_view to_string(outcome_kind k) noexcept;

/// The `errorType` lambkin generates for `o`: `Runtime.ExitError`, `Runtime.OutOfMemory`,
/// `Runtime.InvalidEntrypoint`, `Sandbox.Timedout`. Empty when the body comes from the runtime
/// (success, function_error, init_error reported through /init/error) or for throttled/aborted,
/// whose errors are API errors (see `lambkin::aws_error_type`).
std::string_view error_type(const invocation_outcome& o) noexcept;

/// The `errorMessage` for the outcomes `error_type` names, e.g.
/// `RequestId: <id> Error: Runtime exited with error: exit status 42`,
/// `RequestId: <id> Error: Runtime exited with error: signal: killed` (OOM),
/// `Task timed out after 3.00 seconds` (timeouts; the shell prefixes the ISO time and request id
/// as Lambda does). Empty when `error_type` is empty.
std::string error_message(const invocation_outcome& o, std::string_view request_id);

/// "Task timed out after 3.00 seconds": `elapsed` in seconds, rounded to two decimals.
std::string timeout_message(duration elapsed);

/// How Go (and so Lambda) prints a process end: `exit status 42`, `signal: killed`,
/// `signal: segmentation fault`…
std::string describe_exit(exit_status s);

}  // namespace lambkin::lambda
