#include "bench/relay_floor.hpp"

#include "emulator/io/lambda/process_tree.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <csignal>

namespace lambkin::bench {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
constexpr auto tuple = net::as_tuple(net::use_awaitable);

// Waits until `ready` holds a value; whoever sets it cancels `timer`. Single-threaded, so the
// check and the wait cannot be split by the setter. At shutdown the io_context stops and the
// coroutine is destroyed where it waits.
net::awaitable<void> wait_for(std::optional<std::string>& ready, net::steady_timer& timer) {
  while (!ready) {
    timer.expires_at(net::steady_timer::time_point::max());
    co_await timer.async_wait(tuple);
  }
}

http::response<http::string_body> answer(unsigned version, http::status status, std::string body) {
  http::response<http::string_body> res{status, version};
  res.set(http::field::content_type, "application/json");
  res.keep_alive(true);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

relay_floor::relay_floor(const std::string& bootstrap, bool freeze)
    : freeze_(freeze),
      invokes_(io_, tcp::endpoint(net::ip::address_v4::loopback(), 0)),
      runtime_(io_, tcp::endpoint(net::ip::address_v4::loopback(), 0)),
      event_ready_(io_),
      answer_ready_(io_) {
  invoke_port_ = invokes_.local_endpoint().port();
  net::co_spawn(io_, accept_invokes(), net::detached);
  net::co_spawn(io_, accept_runtime(), net::detached);
  runtime_process_ = spawn_bootstrap(bootstrap, runtime_.local_endpoint().port(), spawn_method::posix_spawn);
  thread_ = std::thread([this] { io_.run(); });
}

relay_floor::~relay_floor() {
  io_.stop();
  thread_.join();
  kill_and_reap(runtime_process_);  // SIGKILL ends a stopped process too
}

net::awaitable<void> relay_floor::accept_invokes() {
  for (;;) {
    auto [ec, socket] = co_await invokes_.async_accept(tuple);
    if (ec) co_return;
    net::co_spawn(io_, serve_invokes(std::move(socket)), net::detached);
  }
}

net::awaitable<void> relay_floor::accept_runtime() {
  for (;;) {
    auto [ec, socket] = co_await runtime_.async_accept(tuple);
    if (ec) co_return;
    net::co_spawn(io_, serve_runtime(std::move(socket)), net::detached);
  }
}

net::awaitable<void> relay_floor::serve_invokes(tcp::socket socket) {
  socket.set_option(tcp::no_delay(true));
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [rec, read_bytes] = co_await http::async_read(socket, buffer, req, tuple);
    if (rec) co_return;
    event_ = std::move(req.body());
    answer_.reset();
    event_ready_.cancel();
    co_await wait_for(answer_, answer_ready_);
    auto res = answer(req.version(), http::status::ok, std::move(*answer_));
    answer_.reset();
    auto [wec, written] = co_await http::async_write(socket, res, tuple);
    if (wec) co_return;
  }
}

net::awaitable<void> relay_floor::serve_runtime(tcp::socket socket) {
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [rec, read_bytes] = co_await http::async_read(socket, buffer, req, tuple);
    if (rec) co_return;
    if (req.method() == http::verb::post) {  // /invocation/{id}/response: the answer
      answer_ = std::move(req.body());
      answer_ready_.cancel();  // the client's answer goes out first, then the runtime's 202
      auto ack = answer(req.version(), http::status::accepted, R"({"status":"OK"})");
      auto [wec, written] = co_await http::async_write(socket, ack, tuple);
      if (wec) co_return;
      continue;
    }
    // GET /next: the runtime is idle from here on; freeze it as lambkin does, once it has served.
    if (freeze_ && runtime_served_once_) {
      [[maybe_unused]] const auto bytes =
          lambkin::io::lambda::tree_resident_bytes(runtime_process_.pid, runtime_process_.pid);
      ::kill(runtime_process_.pid, SIGSTOP);
      frozen_ = true;
    }
    co_await wait_for(event_, event_ready_);
    if (frozen_) {
      ::kill(runtime_process_.pid, SIGCONT);
      frozen_ = false;
    }
    auto res = answer(req.version(), http::status::ok, std::move(*event_));
    event_.reset();
    res.set("Lambda-Runtime-Aws-Request-Id", "relay-floor");
    const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch() + std::chrono::seconds(3))
                              .count();
    res.set("Lambda-Runtime-Deadline-Ms", std::to_string(deadline));
    res.set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:Relay");
    runtime_served_once_ = true;
    auto [wec, written] = co_await http::async_write(socket, res, tuple);
    if (wec) co_return;
  }
}

}  // namespace lambkin::bench
