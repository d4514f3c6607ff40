#pragma once
// In-process functions: a C++ callable that runs as a Lambda execution environment inside the
// process that embeds lambkin (include/lambkin/emulator.hpp, `emulator_options::functions`).
//
// A registered function replaces the template function of the same name (its logical id or its
// `FunctionName`): lambkin never spawns that function's code, and everything else about it stays
// as the template says — memory, timeout, reserved and provisioned concurrency, event invoke
// config, DLQ, routes and rules. The pool decides cold and warm starts, reaping and throttling
// exactly as for runtime processes; only what runs in the environment differs:
//
//  - Each execution environment is one worker thread of its own. A cold start creates the thread
//    and runs `init` on it (when given); the time it takes is the REPORT's `Init Duration`. An
//    exception from `init` is an init error, reported as a runtime reports `/init/error`: the
//    caller gets `{"errorMessage":what(),"errorType":<the exception's type>}`, and `INIT_REPORT`
//    says `Error Type: Runtime.Unknown` (a `lambkin::function_error` with a type such as
//    `Runtime.ConfigInvalid` keeps its type). As on Lambda the init is then retried once within the
//    invoke (the suppressed init) before the invocation fails.
//  - `handler` runs on that thread with the event and an `invocation_context`. Its return value
//    is the response. An exception is a function error (`X-Amz-Function-Error: Unhandled`) with
//    the body lambkin's C++ runtime client sends: `{"errorMessage":what(),"errorType":<demangled
//    exception type>,"stackTrace":[]}`; throw `lambkin::function_error` to choose the type.
//  - "Frozen" between invokes: the thread waits and nothing of the function runs until the next
//    event (no SIGSTOP: a thread cannot be stopped on its own).
//  - Timeout: a thread cannot be killed either. When the function timeout passes, lambkin does what
//    Lambda does for the caller (`Task timed out after …`, `Status: timeout`, the async retry) and
//    abandons the environment: its thread is left to finish the handler, whose result is
//    discarded, then it exits; the next invoke is a cold start on a new thread. At shutdown lambkin
//    waits up to 3 s for running handlers and then leaves them running detached (logged).
//  - Logs: INIT_START, START, END, REPORT as for processes; `Max Memory Used` is the host process's
//    peak RSS (a thread has no memory of its own), and the memory limit is not enforced. Lines a
//    handler writes with `invocation_context::log` go to the function's log with its request id.
//
// Handlers of different environments run concurrently on their own threads; one environment runs
// one invocation at a time. Handlers must not block on lambkin's own thread (they are never
// called on it).
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lambkin {

/// A request to lambkin's AWS endpoint made from inside the process (see
/// `invocation_context::call_aws`): the same handler as `aws_endpoint()` over HTTP.
struct aws_request {
  std::string method = "POST";
  std::string target = "/";
  /// e.g. {"X-Amz-Target", "DynamoDB_20120810.PutItem"}, {"Content-Type", "application/x-amz-json-1.0"}.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct aws_response {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// What the handler knows about its invocation (the C++ runtime client's `invocation_request`).
class invocation_context {
 public:
  std::string request_id;
  std::string function_name;
  /// `$LATEST` or a version number.
  std::string function_version;
  std::string invoked_function_arn;
  int memory_limit_mb = 128;
  std::string log_group_name;
  std::string log_stream_name;
  /// lambkin's AWS endpoint (what a runtime process gets as `AWS_ENDPOINT_URL`), for an AWS SDK
  /// or an HTTP client; `call_aws` reaches the same endpoint without a socket.
  std::string aws_endpoint_url;
  /// Client context (JSON text) of a synchronous invoke; empty otherwise.
  std::string client_context;
  /// The function timeout's end.
  std::chrono::system_clock::time_point deadline;

  /// Time left until `deadline` (negative once past it).
  std::chrono::milliseconds remaining_time() const;
  /// A line in the function's log (as a process's stdout line would be), tagged with this request.
  void log(const std::string& line) const {
    if (log_) log_(line);
  }
  /// Calls lambkin's AWS endpoint (DynamoDB, Lambda, IoT Data…) without a socket: the request goes
  /// to the same handler an HTTP request reaches, on lambkin's thread, and this thread waits for
  /// the answer. An in-process shortcut for what a function would do with `AWS_ENDPOINT_URL`.
  aws_response call_aws(aws_request request) const {
    if (!aws_) return {503, R"({"message":"lambkin is not running"})", {}};
    return aws_(std::move(request));
  }

  /// Set by lambkin.
  std::function<void(const std::string&)> log_;
  std::function<aws_response(aws_request)> aws_;
};

/// Thrown by a handler (or init) to report an error of a chosen type, e.g.
/// `throw lambkin::function_error("Function.InvalidReading", "no temperature")`.
class function_error : public std::runtime_error {
 public:
  function_error(std::string type, const std::string& message) : std::runtime_error(message), type_(std::move(type)) {}
  const std::string& type() const noexcept { return type_; }

 private:
  std::string type_;
};

/// An in-process function: `handler(event, context)` returns the response payload.
struct inprocess_function {
  std::function<std::string(const std::string& event, const invocation_context& context)> handler;
  /// The cold start's init, run once per environment before its first event; may be empty.
  std::function<void()> init;
};

}  // namespace lambkin
