// The runtime API server: routing, the GET /next long poll, and the event inputs (deliver,
// reset, close). The submissions (/response, /error, /init/error) are in
// runtime_api_submissions.cpp.
#include "emulator/io/lambda/runtime_api_server.hpp"

#include "emulator/io/busy_poll.hpp"
#include "emulator/io/lambda/cold_trace.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <utility>

namespace lambkin::io::lambda {
namespace {

void set_if_present(http::response& res, std::string_view name, const std::string& value) {
  if (!value.empty()) res.set(name, value);
}

http::response event_response(const http::request& req, const invocation_event& e) {
  auto res = http::make_response(req, 200, e.content_type.empty() ? "application/json" : e.content_type, e.payload);
  set_if_present(res, runtime_header::request_id, e.request_id);
  res.set(runtime_header::deadline_ms, std::to_string(e.deadline_epoch_ms));
  set_if_present(res, runtime_header::function_arn, e.invoked_function_arn);
  set_if_present(res, runtime_header::trace_id, e.trace_id);
  set_if_present(res, runtime_header::client_context, e.client_context);
  set_if_present(res, runtime_header::cognito_identity, e.cognito_identity);
  return res;
}

runtime_api_options clamped(runtime_api_options options) {
  options.buffer_limit = std::max(options.buffer_limit, max_payload_size);
  return options;
}

// What a parked GET /next gets when it is released (reset, close, or a newer GET /next) and its
// connection is still open: 500 tells a runtime the error is not recoverable and it should exit.
http::response released_response(const http::request& req) {
  return http::make_response(req, 500, "application/json",
                             error_body("Runtime.EnvironmentReset", "The execution environment was reset"));
}

}  // namespace

/// A GET /next waiting for an event. Owned by the request's coroutine (and by the server while
/// parked), so it outlives the server if the server goes away first.
struct runtime_api_server::parked_next {
  explicit parked_next(const net::any_io_executor& executor)
      : timer(executor, net::steady_timer::time_point::max()) {}
  /// Wakes the coroutine; a null event means "released".
  void finish(event_ptr e) {
    event = std::move(e);
    done = true;
    timer.cancel();
  }
  net::steady_timer timer;
  event_ptr event;
  bool done = false;
};

runtime_api_server::runtime_api_server(net::any_io_executor executor, runtime_api_events events,
                                       runtime_api_options options)
    : executor_(std::move(executor)),
      events_(std::move(events)),
      options_(clamped(std::move(options))),
      http_(executor_, "runtime", [this](http::request req) { return handle(std::move(req)); },
            // Idle connections never time out (frozen runtimes keep theirs), and a body may take
            // as long as the function runs (a streamed response); a request's head may not.
            http::server_options{.body_limit = options_.buffer_limit,
                                 .read_timeout = std::chrono::seconds(0),
                                 .header_timeout = options_.header_timeout,
                                 .request_timeout = std::chrono::milliseconds(0),
                                 .on_body_too_large = [this](const http::request& head) {
                                   return on_body_too_large(head);
                                 },
                                 .body_limit_for = {},
                                 .tls = {},
                                 .with_peer = {}}) {}  // plain HTTP: runtimes talk to it on loopback

runtime_api_server::~runtime_api_server() { close(); }

boost::system::error_code runtime_api_server::start() {
  boost::system::error_code ec;
  const auto ip = net::ip::make_address(options_.address, ec);
  if (ec) return ec;
  ec = http_.listen({ip, options_.port});
  if (!ec) http_.start();
  return ec;
}

unsigned short runtime_api_server::port() const { return http_.port(); }

std::string runtime_api_server::address() const { return options_.address + ":" + std::to_string(port()); }

delivery runtime_api_server::deliver(invocation_event event) {
  if (closed_) return delivery::closed;
  queue_.push_back(std::make_shared<const invocation_event>(std::move(event)));
  const bool waiting = state_ == runtime_state::started || state_ == runtime_state::response_sent;
  if (!parked_ || !waiting) return delivery::queued;
  auto parked = std::move(parked_);
  parked->finish(take_next());
  return delivery::handed_over;
}

void runtime_api_server::reset() {
  release_parked();
  queue_.clear();
  current_.reset();
  set_state(runtime_state::started);
  ready_reported_ = false;
  // Whatever the old process sent and we have not read yet must not reach the new generation.
  http_.close_sessions();
}

void runtime_api_server::close() {
  if (closed_) return;
  closed_ = true;
  if (std::exchange(polling_, false)) busy_poll::end();
  http_.stop();
  release_parked();
  queue_.clear();
}

void runtime_api_server::release_parked() {
  if (auto parked = std::move(parked_)) parked->finish(nullptr);
}

runtime_api_server::event_ptr runtime_api_server::take_next() {
  current_ = std::move(queue_.front());
  queue_.pop_front();
  set_state(runtime_state::running);
  return current_;
}

void runtime_api_server::set_state(runtime_state s) {
  // While the runtime holds an event, its answer is expected within microseconds: the io thread
  // polls for it rather than sleep (busy_poll.hpp).
  const bool running = s == runtime_state::running;
  if (running && !polling_) busy_poll::begin();
  if (!running && polling_) busy_poll::end();
  polling_ = running;
  state_ = s;
}

const std::string& runtime_api_server::expected_id() const {
  static const std::string none;
  // A delivered event is the current invoke before the runtime fetched it (RIE sets the invoke
  // id when the invoke starts), so /response for it before GET /next is a 403, not a 400.
  if (state_ != runtime_state::running && !queue_.empty()) return queue_.front()->request_id;
  return current_ ? current_->request_id : none;
}

net::awaitable<http::response> runtime_api_server::handle(http::request req) {
  auto target = parse_runtime_target(req.method(), {req.target().data(), req.target().size()});
  switch (target.route) {
    case runtime_route::next:
      co_return co_await on_next(std::move(req));
    case runtime_route::response: {
      auto res = on_response(req, target.request_id, req.body().size());
      co_await answer_caller_first();
      co_return res;
    }
    case runtime_route::error: {
      auto res = on_error(req, target.request_id, req.body().size());
      co_await answer_caller_first();
      co_return res;
    }
    case runtime_route::init_error:
      co_return on_init_error(req, req.body().size());
    case runtime_route::method_not_allowed:
      co_return http::make_response(req, 405, "application/json",
                                    error_body("MethodNotAllowed", "Method not allowed"));
    case runtime_route::not_found:
      break;
  }
  co_return http::make_response(req, 404, "application/json", error_body("NotFound", "Not found"));
}

net::awaitable<void> runtime_api_server::answer_caller_first() {
  // The callback just completed the invocation: whoever waits for it (the Invoke API's
  // coroutine) was posted to the io_context. Yielding once lets it write its answer before this
  // 202 goes out, so the caller is woken first; the runtime, woken by the 202, would otherwise run
  // (and send its next GET /next) ahead of the caller's answer — on a busy or single CPU it
  // preempts this thread, on an idle one its wake-up is paid before the caller's. The server may
  // be gone when this resumes: nothing after it may touch `this`.
  co_await net::post(executor_, net::use_awaitable);
}

net::awaitable<http::response> runtime_api_server::on_next(http::request req) {
  if (closed_) co_return released_response(req);
  if (state_ == runtime_state::init_error)
    co_return http::make_response(req, 403, "application/json",
                                  invalid_transition_body(state_, runtime_transition::ready));
  // The runtime asks again while it holds an event: RIE answers with the same event.
  if (state_ == runtime_state::running) co_return event_response(req, *current_);

  const bool first = !ready_reported_;
  ready_reported_ = true;
  if (first) cold_trace("next_request");
  if (!queue_.empty()) {
    auto event = take_next();
    if (first && events_.on_ready) events_.on_ready();
    co_return event_response(req, *event);
  }

  auto parked = std::make_shared<parked_next>(executor_);
  release_parked();  // a newer GET /next supersedes an older one
  parked_ = parked;
  // The callbacks may deliver (then `parked` is done before we wait) or reset.
  if (first && events_.on_ready) events_.on_ready();
  if (!parked->done && events_.on_waiting) events_.on_waiting();
  if (!parked->done) co_await parked->timer.async_wait(net::as_tuple(net::use_awaitable));
  // The server may be gone by now (its destructor released us): use only locals from here.
  if (!parked->event) co_return released_response(req);
  co_return event_response(req, *parked->event);
}

}  // namespace lambkin::io::lambda
