#include "emulator/io/http/http_server.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/net/listen.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/empty_body.hpp>

#include <algorithm>
#include <tuple>

namespace lambkin::io::http {
namespace bhttp = beast::http;
namespace {
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
}

http_server::http_server(net::any_io_executor executor, std::string name, handler h, server_options options)
    : executor_(std::move(executor)),
      name_(std::move(name)),
      handler_(std::move(h)),
      options_(options),
      acceptor_(executor_) {}

http_server::~http_server() {
  *alive_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

boost::system::error_code http_server::listen(const tcp::endpoint& endpoint) {
  return listen_on(acceptor_, endpoint);
}

unsigned short http_server::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void http_server::start() {
  net::co_spawn(executor_, accept_loop(), net::detached);
}

void http_server::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  close_sessions();
}

void http_server::close_sessions() {
  // Closing the sockets ends each session's pending read or write with an error.
  boost::system::error_code ignored;
  for (auto* s : sessions_) s->socket().close(ignored);
}

net::awaitable<void> http_server::accept_loop() {
  auto alive = alive_;
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (!*alive || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: log and keep serving the connections we have.
      logger(name_)->warn("accept failed: {}", ec.message());
      continue;
    }
    // Answers are one write each; without this a large one's last segment can wait for the
    // peer's delayed ACK (Nagle), and nothing here benefits from coalescing.
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    net::co_spawn(executor_, session(beast::tcp_stream(std::move(socket))), net::detached);
  }
}

net::awaitable<void> http_server::session(beast::tcp_stream stream) {
  auto alive = alive_;
  sessions_.insert(&stream);
  struct unregister {
    http_server* self;
    std::shared_ptr<bool> alive;
    beast::tcp_stream* stream;
    ~unregister() {
      if (*alive) self->sessions_.erase(stream);
    }
  } guard{this, alive, &stream};

  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(options_.header_limit);
    // The body limit is decided once the head is in (it may depend on the request); Beast checks
    // a Content-Length against the limit when the head completes, so the head is read unlimited
    // and the length checked here.
    parser.body_limit(boost::none);
    // Idle: wait for the first byte of the next request (bytes of a pipelined one may be here).
    if (buffer.size() == 0) {
      arm_timeout(stream);
      auto [iec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
      if (iec) break;  // end_of_stream, idle timeout, reset, or our own stop()
      buffer.commit(n);
    }
    // The request has begun: its head and then the rest must come within the slowloris limits.
    const auto begun = std::chrono::steady_clock::now();
    const bool request_limited = options_.request_timeout.count() > 0;
    stream.expires_after(request_limited ? std::min(options_.header_timeout, options_.request_timeout)
                                         : options_.header_timeout);
    auto [ec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
    if (!ec) {
      const std::size_t limit = options_.body_limit_for ? options_.body_limit_for(parser.get()) : options_.body_limit;
      parser.body_limit(limit);
      if (const auto length = parser.content_length(); length && *length > limit) {
        ec = bhttp::error::body_limit;
      } else if (!parser.is_done()) {
        if (request_limited)
          stream.expires_at(begun + options_.request_timeout);
        else
          stream.expires_never();
        // `Expect: 100-continue` (botocore sends it with S3 uploads): say go on, rather than make
        // the client wait out its timeout before it sends the body.
        if (parser.get()[bhttp::field::expect] == "100-continue") {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
          auto [cec, cn] = co_await bhttp::async_write(stream, cont, use_tuple);
          if (cec) break;
        }
        auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        ec = rec;
      }
    }
    if (ec == bhttp::error::header_limit) {
      response res{bhttp::status::request_header_fields_too_large, 11};
      res.set(bhttp::field::server, "lambkin");
      res.set(bhttp::field::content_type, "application/json");
      res.body() = R"({"message":"Request header fields must be smaller than )" +
                   std::to_string(options_.header_limit) + R"( bytes"})";
      res.keep_alive(false);
      res.prepare_payload();
      arm_timeout(stream);
      co_await bhttp::async_write(stream, res, use_tuple);
      break;
    }
    if (ec == bhttp::error::body_limit) {
      request head = parser.release();
      head.body().clear();
      response res;
      if (options_.on_body_too_large) {
        res = options_.on_body_too_large(head);
        if (!*alive) co_return;  // the hook's callbacks may have destroyed the server
      } else {
        res = make_response(head, 413, "application/json",
                            R"({"message":"Request must be smaller than )" +
                                std::to_string(options_.body_limit) + R"( bytes"})");
      }
      res.keep_alive(false);
      res.prepare_payload();
      arm_timeout(stream);
      co_await bhttp::async_write(stream, res, use_tuple);
      break;
    }
    if (ec) {
      if (ec == beast::error::timeout)
        logger(name_)->info("closed a connection whose request did not arrive in time (slowloris limits)");
      break;  // end_of_stream, timeout, reset, a malformed request, or our own stop()
    }
    stream.expires_never();

    request req = parser.release();
    const bool keep_alive = req.keep_alive();
    const bool head = req.method() == bhttp::verb::head;
    response res = co_await handler_(std::move(req));
    if (!*alive) co_return;
    res.keep_alive(keep_alive);
    // A HEAD answer may state the length of the body a GET would send (S3's HeadObject).
    if (!(head && res.body().empty() && res.has_content_length())) res.prepare_payload();
    arm_timeout(stream);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, use_tuple);
    if (wec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void http_server::arm_timeout(beast::tcp_stream& stream) const {
  if (options_.read_timeout.count() == 0)
    stream.expires_never();
  else
    stream.expires_after(options_.read_timeout);
}

response make_response(const request& req, unsigned status, std::string content_type, std::string body) {
  response res{static_cast<bhttp::status>(status), req.version()};
  res.set(bhttp::field::server, "lambkin");
  res.set(bhttp::field::content_type, std::move(content_type));
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace lambkin::io::http
