#pragma once
// The Lambda Runtime API (reference/lambda.md §1) for ONE execution environment: its own
// listener on 127.0.0.1 and an ephemeral port, so a runtime process only ever sees its own
// invocations. The process finds it through `AWS_LAMBDA_RUNTIME_API=address()`.
//
// What a runtime sees:
// - `GET /2018-06-01/runtime/invocation/next` long-polls without any timeout until `deliver`
//   hands it an event: 200, the payload as body, `Content-Type` and the `Lambda-Runtime-*`
//   headers (request id, deadline in epoch ms, invoked ARN, trace id, client context, cognito
//   identity; empty ones left out). While the runtime holds an event, GET /next re-serves it (RIE).
// - `POST …/invocation/{id}/response` → 202 `{"status":"OK"}`; over 6,291,556 bytes → 413
//   `RequestEntityTooLarge` and the invocation ends as too large. A
//   `Lambda-Runtime-Function-Response-Mode` other than `streaming` → 400
//   `InvalidFunctionResponseMode`; a streamed body is collected whole (no incremental delivery).
// - `POST …/invocation/{id}/error` → 202; the body passes through unchanged (see error_payload).
// - `POST /2018-06-01/runtime/init/error` → 202 while the runtime is still in init.
// - A `{id}` that is empty or not the current invocation → 400 `InvalidRequestID`, checked before
//   the state; a request the state machine forbids → 403 `InvalidStateTransition`; other paths
//   → 404, a known path with the wrong method → 405.
// - Idle connections never time out: a frozen (SIGSTOP) runtime keeps its keep-alive connection
//   for as long as it stays frozen. A request's head must arrive within `header_timeout` once it
//   has begun (slowloris limit); its body may take as long as the function runs.
//
// What the rest of lambkin sees: the callbacks in `runtime_api_events`, called on the
// io_context's thread while a request is handled. They may call `deliver`, `reset` and `close`,
// but must not destroy the server synchronously (post that).
//
// Thread safety: single-threaded; every member is called on the io_context's thread.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/runtime_api_protocol.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace lambkin::io::lambda {

namespace net = boost::asio;

/// One invocation as the runtime receives it from GET /next.
struct invocation_event {
  std::string request_id;
  std::string payload;
  /// Absolute deadline, Unix epoch milliseconds (invoke start + function timeout).
  std::int64_t deadline_epoch_ms = 0;
  std::string invoked_function_arn;
  std::string trace_id;
  /// Client context as JSON text (already base64-decoded); empty for none.
  std::string client_context;
  /// `{"cognitoIdentityId":…,"cognitoIdentityPoolId":…}`; empty for none.
  std::string cognito_identity;
  /// Empty means `application/json`.
  std::string content_type = "application/json";
};

/// What the server reports. Unset callbacks are skipped.
struct runtime_api_events {
  /// The first GET /next since start or reset arrived: the runtime finished its init (the end
  /// of Init Duration). Fired before the request is parked or served.
  std::function<void()> on_ready;
  /// A GET /next is parked with no event to serve (after on_ready on the first one): the runtime
  /// is idle, the moment Lambda freezes an environment.
  std::function<void()> on_waiting;
  /// `/response` accepted. `content_type` is what the runtime sent (empty when it sent none).
  std::function<void(std::string request_id, std::string body, std::string content_type)> on_response;
  /// `/error` accepted: `error_type` normalised from the header, `body` from error_payload.
  std::function<void(std::string request_id, std::string error_type, std::string body)> on_error;
  /// `/init/error` accepted (the runtime should exit next).
  std::function<void(std::string error_type, std::string body)> on_init_error;
  /// `/response` (or `/error`) body over the limit: the runtime got 413, the caller should get
  /// `Function.ResponseSizeTooLarge` (response_too_large_error). `size` is the body's
  /// Content-Length (at least the buffering limit + 1 for a chunked body over it).
  std::function<void(std::string request_id, std::uint64_t size)> on_response_too_large;
};

struct runtime_api_options {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: an ephemeral port
  /// Bodies up to this size are read whole, so an oversized response still gets a clean 413 on a
  /// connection that stays open; beyond it the 413 is sent without reading the body and the
  /// connection closes. Never less than max_payload_size (raised if it is).
  std::size_t buffer_limit = 64 * 1024 * 1024;
  /// Once a request's first byte arrived, its head must arrive within this (slowloris limit);
  /// idle connections and bodies have no timeout.
  std::chrono::milliseconds header_timeout{10'000};
};

/// What `deliver` did with an event.
enum class delivery {
  handed_over,  // a parked GET /next returned it
  queued,       // the next GET /next will return it
  closed,       // the server is closed; dropped
};

class runtime_api_server {
 public:
  runtime_api_server(net::any_io_executor executor, runtime_api_events events, runtime_api_options options = {});
  ~runtime_api_server();  // closes
  runtime_api_server(const runtime_api_server&) = delete;
  runtime_api_server& operator=(const runtime_api_server&) = delete;

  /// Binds and starts accepting. Errors (address in use…) are returned, not thrown.
  boost::system::error_code start();
  unsigned short port() const;
  /// `127.0.0.1:PORT`, the value of `AWS_LAMBDA_RUNTIME_API`.
  std::string address() const;

  /// Completes the parked GET /next with `event` (state → running), or queues it for the next
  /// one. The event becomes the current invocation at once: its id is the one /response and
  /// /error must name, even before the runtime has fetched it (RIE's current invoke id).
  delivery deliver(invocation_event event);
  /// The environment was killed or is re-initialised: closes every connection (a parked
  /// GET /next is released and its runtime sees the connection close), drops the current and
  /// queued events and goes back to started; the next GET /next fires on_ready again. The
  /// listener and the port stay, so a new process gets the same `AWS_LAMBDA_RUNTIME_API`.
  void reset();
  /// Stops listening and closes every connection (a parked GET /next is released); later
  /// deliveries return `closed`. Final.
  void close();

  runtime_state state() const { return state_; }
  /// Events delivered but not yet fetched by a GET /next.
  std::size_t queued() const { return queue_.size(); }

  /// The http_server handler: one request as read from a runtime's connection (public for the
  /// fuzz target, which drives it with constructed requests instead of sockets).
  net::awaitable<http::response> handle(http::request req);

 private:
  struct parked_next;
  net::awaitable<void> answer_caller_first();
  using event_ptr = std::shared_ptr<const invocation_event>;

  net::awaitable<http::response> on_next(http::request req);
  // The submissions take the request by reference to move its body out; `size` is the body's
  // size, which for an unread body (over buffer_limit) comes from Content-Length.
  http::response on_response(http::request& req, const std::string& id, std::uint64_t size);
  http::response on_error(http::request& req, const std::string& id, std::uint64_t size);
  http::response on_init_error(http::request& req, std::uint64_t size);
  http::response on_body_too_large(const http::request& head);
  /// The id a /response or /error must name; empty when there is none.
  const std::string& expected_id() const;
  /// Takes the front of the queue as the current invocation (state → running).
  event_ptr take_next();
  /// Every change of `state_` (keeps busy_poll's demand in step with `running`).
  void set_state(runtime_state s);
  void release_parked();

  net::any_io_executor executor_;
  runtime_api_events events_;
  runtime_api_options options_;
  http::http_server http_;
  runtime_state state_ = runtime_state::started;
  bool polling_ = false;  // counted in busy_poll's demand (while running)
  bool ready_reported_ = false;
  bool closed_ = false;
  event_ptr current_;
  std::deque<event_ptr> queue_;
  std::shared_ptr<parked_next> parked_;
};

}  // namespace lambkin::io::lambda
