#include "emulator/io/http/http_server.hpp"
#include "emulator/io/http/peer_certificate.hpp"

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
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <tuple>
#include <type_traits>

namespace lambkin::io::http {
namespace bhttp = beast::http;
namespace {
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Feeds what is already buffered to the parser, up to the end of the head (`head_only`) or of the
// request. A request usually arrives whole with its first read; parsing it here spares Beast's
// composed reads, which, finding everything buffered, complete by posting: one more trip round
// the io_context (a non-blocking epoll_wait) for the head and one for the body, per request.
// Errors are the parser's, as the composed reads would report them (header_limit, body_limit, a
// malformed request); needing more bytes is not an error: the caller reads on.
beast::error_code parse_buffered(bhttp::request_parser<bhttp::string_body>& parser, beast::flat_buffer& buffer,
                                 bool head_only) {
  beast::error_code ec;
  while (buffer.size() > 0 && !(head_only ? parser.is_header_done() : parser.is_done())) {
    const auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == bhttp::error::need_more) return {};
    if (ec || used == 0) break;
  }
  return ec;
}
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
/// How long a TLS connection waits for the client's close_notify when it ends.
constexpr std::chrono::seconds tls_shutdown_timeout{2};
/// The first byte of a TLS record carrying a handshake message (a ClientHello).
constexpr unsigned char tls_handshake_record = 0x16;

std::string remote_of(const beast::tcp_stream& stream) {
  boost::system::error_code ec;
  const auto ep = stream.socket().remote_endpoint(ec);
  return ec ? std::string("a client") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

std::string address_of(const beast::tcp_stream& stream) {
  boost::system::error_code ec;
  const auto ep = stream.socket().remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

}  // namespace

struct http_server::registration {
  http_server* self;
  std::shared_ptr<bool> alive;
  beast::tcp_stream* stream;
  registration(http_server* s, std::shared_ptr<bool> a, beast::tcp_stream* st)
      : self(s), alive(std::move(a)), stream(st) {
    self->sessions_.insert(stream);
  }
  ~registration() {
    if (*alive) self->sessions_.erase(stream);
  }
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
};

http_server::http_server(net::any_io_executor executor, std::string name, handler h, server_options options)
    : executor_(std::move(executor)),
      name_(std::move(name)),
      handler_(std::move(h)),
      options_(options),
      acceptor_(executor_) {}

http_server::~http_server() {
  // Sessions outlive the server in their coroutine frames (each owns its stream): they check
  // `alive` after every suspension and end without touching the server. Closing their sockets
  // ends their pending reads now rather than when the peer closes (a Runtime API server goes
  // with its environment while the runtime's connection may still be open).
  *alive_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  close_sessions();
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
    beast::tcp_stream stream(std::move(socket));
    if (options_.tls)
      net::co_spawn(executor_, tls_session(std::move(stream)), net::detached);
    else
      net::co_spawn(executor_, plain_session(std::move(stream)), net::detached);
  }
}

net::awaitable<void> http_server::plain_session(beast::tcp_stream stream) {
  registration reg(this, alive_, &stream);
  peer_info peer{address_of(stream), nullptr};
  co_await session(stream, beast::flat_buffer{}, std::move(peer));
}

net::awaitable<void> http_server::tls_session(beast::tcp_stream connection) {
  auto alive = alive_;
  auto ctx = options_.tls;  // the stream refers to it
  tls_stream stream(std::move(connection), *ctx);
  auto& lowest = beast::get_lowest_layer(stream);
  registration reg(this, alive, &lowest);
  const std::string remote = remote_of(lowest);
  // The handshake, like a request's head, must be done within the header timeout (slowloris).
  lowest.expires_after(options_.header_timeout);
  beast::flat_buffer first;
  auto [rec, n] = co_await lowest.async_read_some(first.prepare(4096), use_tuple);
  if (!*alive) co_return;
  if (rec) {
    if (rec == beast::error::timeout)
      logger(name_)->info("closed a connection from {} that sent no TLS handshake in time", remote);
    co_return;
  }
  first.commit(n);
  if (static_cast<const unsigned char*>(first.data().data())[0] != tls_handshake_record) {
    // Most likely plain HTTP: say so in HTTP, which the client understands, and close.
    logger(name_)->info("closed a connection from {} that did not start with a TLS handshake (plain HTTP on the "
                        "HTTPS port?)",
                        remote);
    response res{bhttp::status::bad_request, 11};
    res.set(bhttp::field::server, "lambkin");
    res.set(bhttp::field::content_type, "application/json");
    res.body() = R"({"message":"This port serves HTTPS: use https://"})";
    res.keep_alive(false);
    res.prepare_payload();
    co_await bhttp::async_write(lowest, res, use_tuple);
    boost::system::error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }
  auto [hec, used] = co_await stream.async_handshake(net::ssl::stream_base::server, first.data(), use_tuple);
  if (!*alive) co_return;
  if (hec) {
    logger(name_)->info("TLS handshake with {} failed: {}", remote, hec.message());
    co_return;
  }
  peer_info peer{address_of(lowest), nullptr};
  if (options_.with_peer)
    if (auto cert = peer_certificate(stream.native_handle()))
      peer.certificate = std::make_shared<const lambkin::http::client_certificate>(std::move(*cert));
  co_await session(stream, beast::flat_buffer{}, std::move(peer));
}

template <class Stream>
net::awaitable<void> http_server::session(Stream& stream, beast::flat_buffer buffer, peer_info peer) {
  auto alive = alive_;
  auto& lowest = beast::get_lowest_layer(stream);
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(options_.header_limit);
    // The body limit is decided once the head is in (it may depend on the request); Beast checks
    // a Content-Length against the limit when the head completes, so the head is read unlimited
    // and the length checked here.
    parser.body_limit(boost::none);
    // Idle: wait for the first byte of the next request (bytes of a pipelined one may be here).
    if (buffer.size() == 0) {
      arm_timeout(lowest);
      auto [iec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
      if (!*alive) co_return;  // the server is gone (its members with it); see ~http_server
      if (iec) break;  // end_of_stream, idle timeout, reset, or our own stop()
      buffer.commit(n);
    }
    // The request has begun: its head and then the rest must come within the slowloris limits.
    const auto begun = std::chrono::steady_clock::now();
    const bool request_limited = options_.request_timeout.count() > 0;
    lowest.expires_after(request_limited ? std::min(options_.header_timeout, options_.request_timeout)
                                         : options_.header_timeout);
    auto ec = parse_buffered(parser, buffer, true);
    if (!ec && !parser.is_header_done()) {
      auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
      if (!*alive) co_return;
      ec = hec;
    }
    if (!ec) {
      const std::size_t limit = options_.body_limit_for ? options_.body_limit_for(parser.get()) : options_.body_limit;
      parser.body_limit(limit);
      if (const auto length = parser.content_length(); length && *length > limit) {
        ec = bhttp::error::body_limit;
      } else if (!parser.is_done()) {
        if (request_limited)
          lowest.expires_at(begun + options_.request_timeout);
        else
          lowest.expires_never();
        // `Expect: 100-continue` (botocore sends it with S3 uploads): say go on, rather than make
        // the client wait out its timeout before it sends the body.
        if (parser.get()[bhttp::field::expect] == "100-continue") {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
          auto [cec, cn] = co_await bhttp::async_write(stream, cont, use_tuple);
          if (!*alive) co_return;
          if (cec) break;
        }
        ec = parse_buffered(parser, buffer, false);
        if (!ec && !parser.is_done()) {
          auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
          if (!*alive) co_return;
          ec = rec;
        }
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
      arm_timeout(lowest);
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
      arm_timeout(lowest);
      co_await bhttp::async_write(stream, res, use_tuple);
      break;
    }
    if (ec) {
      if (ec == beast::error::timeout)
        logger(name_)->info("closed a connection whose request did not arrive in time (slowloris limits)");
      break;  // end_of_stream, timeout, reset, a malformed request, or our own stop()
    }
    lowest.expires_never();

    request req = parser.release();
    const bool keep_alive = req.keep_alive();
    const bool head = req.method() == bhttp::verb::head;
    response res;
    if (options_.with_peer)
      res = co_await options_.with_peer(std::move(req), peer);
    else
      res = co_await handler_(std::move(req));
    if (!*alive) co_return;
    res.keep_alive(keep_alive);
    // A HEAD answer may state the length of the body a GET would send (S3's HeadObject).
    if (!(head && res.body().empty() && res.has_content_length())) res.prepare_payload();
    arm_timeout(lowest);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, use_tuple);
    if (!*alive) co_return;
    if (wec || !keep_alive) break;
  }
  if (!*alive) co_return;
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    // close_notify, then the peer's (a client that already went away ends it at once).
    lowest.expires_after(tls_shutdown_timeout);
    auto [sec] = co_await stream.async_shutdown(use_tuple);
    (void)sec;
  } else {
    boost::system::error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
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
