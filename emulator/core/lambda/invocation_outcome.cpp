// Error text exactly as Lambda words it (reference/lambda.md §3.2, §3.3).
#include "emulator/core/lambda/invocation_outcome.hpp"

namespace lambkin::lambda {
namespace {

// Go's names for the signals a runtime plausibly dies of (os.ProcessState.String()).
std::string_view signal_name(int s) noexcept {
  switch (s) {
    case 1: return "hangup";
    case 2: return "interrupt";
    case 3: return "quit";
    case 4: return "illegal instruction";
    case 6: return "aborted";
    case 7: return "bus error";
    case 8: return "floating point exception";
    case 9: return "killed";
    case 11: return "segmentation fault";
    case 13: return "broken pipe";
    case 15: return "terminated";
    default: return {};
  }
}

std::string request_prefix(std::string_view request_id) {
  std::string s = "RequestId: ";
  s += request_id;
  s += " Error: ";
  return s;
}

}  // namespace

std::string_view to_string(outcome_kind k) noexcept {
  switch (k) {
    case outcome_kind::success: return "success";
    case outcome_kind::function_error: return "function_error";
    case outcome_kind::timeout: return "timeout";
    case outcome_kind::exit_error: return "exit_error";
    case outcome_kind::out_of_memory: return "out_of_memory";
    case outcome_kind::init_error: return "init_error";
    case outcome_kind::throttled: return "throttled";
    case outcome_kind::aborted: return "aborted";
  }
  return "unknown";
}

std::string_view error_type(const invocation_outcome& o) noexcept {
  switch (o.kind) {
    case outcome_kind::timeout: return "Sandbox.Timedout";
    case outcome_kind::exit_error: return "Runtime.ExitError";
    case outcome_kind::out_of_memory: return "Runtime.OutOfMemory";
    case outcome_kind::init_error:
      switch (o.init) {
        case init_failure::exited: return "Runtime.ExitError";
        case init_failure::out_of_memory: return "Runtime.OutOfMemory";
        case init_failure::invalid_entrypoint: return "Runtime.InvalidEntrypoint";
        default: return {};  // reported: the runtime's own body
      }
    default: return {};
  }
}

std::string error_message(const invocation_outcome& o, std::string_view request_id) {
  switch (o.kind) {
    case outcome_kind::timeout: return timeout_message(o.elapsed);
    case outcome_kind::exit_error:
      return request_prefix(request_id) + "Runtime exited with error: " + describe_exit(o.exit);
    case outcome_kind::out_of_memory:
      // A cgroup OOM kill is a SIGKILL, and Lambda says so even under Runtime.OutOfMemory.
      return request_prefix(request_id) + "Runtime exited with error: signal: killed";
    case outcome_kind::init_error:
      switch (o.init) {
        case init_failure::exited:
          return request_prefix(request_id) + "Runtime exited with error: " + describe_exit(o.exit);
        case init_failure::out_of_memory:
          return request_prefix(request_id) + "Runtime exited with error: signal: killed";
        case init_failure::invalid_entrypoint:
          return request_prefix(request_id) +
                 "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";
        default: return {};
      }
    default: return {};
  }
}

std::string timeout_message(duration elapsed) {
  // Integer arithmetic, not printf("%.2f"): no locale, no floating-point rounding surprises.
  const auto ms = std::chrono::duration_cast<milliseconds>(elapsed).count();
  const auto centis = (ms + 5) / 10;
  const auto frac = centis % 100;
  return "Task timed out after " + std::to_string(centis / 100) + (frac < 10 ? ".0" : ".") +
         std::to_string(frac) + " seconds";
}

std::string describe_exit(exit_status s) {
  if (!s.signaled) return "exit status " + std::to_string(s.value);
  const auto name = signal_name(s.value);
  if (name.empty()) return "signal: signal " + std::to_string(s.value);
  return "signal: " + std::string(name);
}

}  // namespace lambkin::lambda
