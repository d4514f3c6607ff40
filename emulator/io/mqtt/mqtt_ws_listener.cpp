#include "emulator/io/mqtt/mqtt_ws_listener.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/mqtt_server.hpp"
#include "emulator/io/mqtt/ws_upgrade.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <memory>
#include <utility>
#include <vector>

namespace lambkin::io::mqtt {
namespace {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// An upgrade request is a few headers; anything larger is not one.
constexpr std::uint32_t header_limit = 16 * 1024;

http::response<http::string_body> refusal_response(const ws_refusal& r, unsigned version) {
  http::response<http::string_body> res{r.status, version};
  res.set(http::field::server, "lambkin");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::connection, "close");
  if (r.status == http::status::upgrade_required) {
    res.set(http::field::upgrade, "websocket");
    res.set(http::field::sec_websocket_version, "13");
  }
  res.body() = r.reason + "\n";
  res.prepare_payload();
  return res;
}

}  // namespace

mqtt_ws_listener::mqtt_ws_listener(net::any_io_executor executor, mqtt_server& server, std::string bind_address,
                                   unsigned short port, std::chrono::steady_clock::duration handshake_timeout)
    : transport_listener(std::move(executor), std::move(bind_address), port, handshake_timeout),
      server_(server) {}

net::awaitable<void> mqtt_ws_listener::handshake(tcp::socket raw, std::string remote_ip) {
  auto alive = alive_;
  auto socket = std::make_shared<tcp::socket>(std::move(raw));
  std::vector<std::uint8_t> early;
  {
    tracked deadline(*this, [weak = std::weak_ptr<tcp::socket>(socket)] {
      boost::system::error_code ignored;
      if (auto s = weak.lock()) s->close(ignored);
    });

    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(header_limit);
    auto [ec, n] = co_await http::async_read(*socket, buffer, parser, use_tuple);
    if (!*alive || ec) co_return;
    auto req = parser.release();

    if (auto refusal = check_ws_upgrade(req)) {
      logger("mqtt")->info("WebSocket upgrade refused: ip={} status={} target={}: {}", remote_ip,
                           static_cast<unsigned>(refusal->status), std::string(req.target()), refusal->reason);
      auto res = refusal_response(*refusal, req.version());
      co_await http::async_write(*socket, res, use_tuple);  // a failure changes nothing
      if (!*alive) co_return;
      boost::system::error_code ignored;
      socket->shutdown(tcp::socket::shutdown_send, ignored);
      co_return;  // the socket closes when this ends, after the answer is out
    }

    // The answer is ours (Beast's websocket::stream is not used: after it the connection runs on
    // the server's poller with our own framing, mqtt_server_ws.cpp). MQTT has its own keep-alive,
    // so no idle timeout and no pings; the MQTT decoder bounds every packet, so no WebSocket
    // message size limit either (a client may stream packets in one long message).
    const auto res = ws_accept_response(req);
    auto [wec, written] = co_await net::async_write(*socket, net::buffer(res), use_tuple);
    if (!*alive) co_return;
    if (wec) {
      logger("mqtt")->info("WebSocket handshake with {} failed: {}", remote_ip, wec.message());
      co_return;
    }
    // What the client sent after its request (its CONNECT, if it did not wait for our answer).
    const auto* data = static_cast<const std::uint8_t*>(buffer.data().data());
    early.assign(data, data + buffer.size());
  }
  server_.adopt_websocket(std::move(*socket), lambkin::mqtt::connection_info{std::move(remote_ip), {}, {}},
                          std::move(early));
}

}  // namespace lambkin::io::mqtt
