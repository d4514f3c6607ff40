#pragma once
// The thread side of one in-process execution environment (include/lambkin/function.hpp): a
// worker thread that runs a registered C++ function's init and handler, and reports back on the
// io thread. What `process_environment` + `runtime_api_server` are for a runtime process.
//
//  - `start_init()` starts the worker thread (first call) and has it run `init` (if any): then
//    `on_ready`, or `on_init_error(type, body)` when init threw. Called again (the suppressed init
//    retry): if the worker is still busy in the old init (it hit the init limit), that worker is
//    abandoned and a new thread runs init; otherwise the same thread runs init again.
//  - `deliver(context, event)` runs the handler on the worker: `on_answer(request_id, body,
//    error)` follows with the response or the error document. One job at a time (the pool never
//    dispatches to a busy environment).
//  - Between jobs the worker waits on a condition variable: nothing of the function runs (the
//    thread's "freeze").
//  - `retire()`: the worker ends once its current job is done (at once when idle); `on_exit`
//    follows when it has. The job's result is still reported (the host ignores it by then).
//  - The destructor abandons the worker: nothing is reported any more; an idle worker ends and
//    is joined, a busy one is detached (a thread cannot be killed) and ends when its handler
//    returns, its result discarded. `call_aws` waiting in an abandoned worker returns 503.
//
// Results reach the io thread through `net::post`; no lambkin state is touched by the worker.
//
// Thread safety: the members are called on the executor's thread; callbacks run there too.
#include "lambkin/function.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>

namespace lambkin::io::lambda {

namespace net = boost::asio;

/// Runs a request on lambkin's AWS endpoint handler (on the io thread).
using aws_direct_handler = std::function<net::awaitable<aws_response>(aws_request)>;

struct inprocess_events {
  std::function<void()> on_ready;
  /// The error type for INIT_REPORT (normalised as `Lambda-Runtime-Function-Error-Type`) and the
  /// body returned to the caller.
  std::function<void(std::string error_type, std::string body)> on_init_error;
  std::function<void(std::string request_id, std::string body, bool error)> on_answer;
  /// A line the handler logged through its context.
  std::function<void(std::string request_id, std::string line)> on_log;
  std::function<void()> on_exit;
};

class inprocess_environment {
 public:
  inprocess_environment(net::any_io_executor executor, std::shared_ptr<const inprocess_function> function,
                        inprocess_events events, aws_direct_handler aws = {});
  ~inprocess_environment();
  inprocess_environment(const inprocess_environment&) = delete;
  inprocess_environment& operator=(const inprocess_environment&) = delete;

  void start_init();
  void deliver(invocation_context context, std::string event);
  void retire();
  /// The worker thread has not ended yet.
  bool running() const;
  /// Running a job (init or handler) right now.
  bool busy() const;

  bool frozen = false;

 private:
  struct worker;
  std::shared_ptr<worker> start_worker();

  net::any_io_executor executor_;
  std::shared_ptr<const inprocess_function> function_;
  std::shared_ptr<inprocess_events> events_;
  aws_direct_handler aws_;
  std::shared_ptr<worker> worker_;
};

/// `{"errorMessage":…,"errorType":…,"stackTrace":[]}` for an exception, as lambkin's C++ runtime
/// client reports it (the type: a `function_error`'s, else the demangled exception type).
std::string exception_error_body(const std::exception& e, std::string* type = nullptr);

}  // namespace lambkin::io::lambda
