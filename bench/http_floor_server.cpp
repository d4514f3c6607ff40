#include "bench/http_floor_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace lambkin::bench {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

net::awaitable<void> serve(tcp::socket socket, const std::string& answer_body) {
  socket.set_option(tcp::no_delay(true));
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [rec, read_bytes] = co_await http::async_read(socket, buffer, req, net::as_tuple(net::use_awaitable));
    if (rec) co_return;  // the client closed: the benchmark is over
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = answer_body;
    res.prepare_payload();
    auto [wec, written] = co_await http::async_write(socket, res, net::as_tuple(net::use_awaitable));
    if (wec || !req.keep_alive()) co_return;
  }
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, const std::string& answer_body) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::as_tuple(net::use_awaitable));
    if (ec) co_return;  // closed at shutdown
    net::co_spawn(acceptor.get_executor(), serve(std::move(socket), answer_body), net::detached);
  }
}

}  // namespace

http_floor_server::http_floor_server(std::string answer_body)
    : acceptor_(io_, tcp::endpoint(net::ip::address_v4::loopback(), 0)), answer_body_(std::move(answer_body)) {
  port_ = acceptor_.local_endpoint().port();
  net::co_spawn(io_, accept_loop(acceptor_, answer_body_), net::detached);
  thread_ = std::thread([this] { io_.run(); });
}

http_floor_server::~http_floor_server() {
  // Stopping the context abandons the sessions still parked in a read; nothing else waits on them.
  io_.stop();
  thread_.join();
}

}  // namespace lambkin::bench
