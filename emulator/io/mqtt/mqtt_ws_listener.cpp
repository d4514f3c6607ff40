#include "emulator/io/mqtt/mqtt_ws_listener.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/mqtt_server.hpp"
#include "emulator/io/mqtt/ws_stream.hpp"
#include "emulator/io/mqtt/ws_upgrade.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <memory>
#include <utility>

namespace lambkin::io::mqtt {
namespace {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// An upgrade request is a few headers; anything larger is not one.
constexpr std::uint32_t header_limit = 16 * 1024;

http::response<http::string_body> refusal_response(const ws_refusal& r, unsigned version) {
  http::response<http::string_body> res{r.status, version};
  res.set(http::field::server, "lambkin");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::connection, "close");
  if (r.status == http::status::upgrade_required) res.set(http::field::upgrade, "websocket");
  res.body() = r.reason + "\n";
  res.prepare_payload();
  return res;
}

}  // namespace

mqtt_ws_listener::mqtt_ws_listener(net::any_io_executor executor, mqtt_server& server, std::string bind_address,
                                   unsigned short port, std::chrono::steady_clock::duration handshake_timeout)
    : transport_listener(std::move(executor), std::move(bind_address), port, handshake_timeout),
      server_(server),
      handshake_timeout_(handshake_timeout) {}

net::awaitable<void> mqtt_ws_listener::handshake(tcp::socket socket, std::string remote_ip) {
  auto alive = alive_;
  auto ws = std::make_shared<ws_stream::websocket>(std::move(socket));
  {
    tracked deadline(*this, [weak = std::weak_ptr<ws_stream::websocket>(ws)] {
      boost::system::error_code ignored;
      if (auto s = weak.lock()) beast::get_lowest_layer(*s).close(ignored);
    });

    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(header_limit);
    auto [ec, n] = co_await http::async_read(ws->next_layer(), buffer, parser, use_tuple);
    if (!*alive || ec) co_return;
    auto req = parser.release();

    if (auto refusal = check_ws_upgrade(req)) {
      logger("mqtt")->info("WebSocket upgrade refused: ip={} status={} target={}: {}", remote_ip,
                           static_cast<unsigned>(refusal->status), std::string(req.target()), refusal->reason);
      auto res = refusal_response(*refusal, req.version());
      co_await http::async_write(ws->next_layer(), res, use_tuple);  // a failure changes nothing
      if (!*alive) co_return;
      boost::system::error_code ignored;
      ws->next_layer().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;  // the socket closes with the stream, after the answer is out
    }

    // The handshake timeout also bounds a close we start (ws_stream's async_shutdown). MQTT has its
    // own keep-alive, so no idle timeout and no pings; the MQTT decoder bounds every packet, so no
    // WebSocket message size limit either (a client may stream packets in one long message).
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = handshake_timeout_;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws->set_option(timeouts);
    ws->set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(http::field::server, "lambkin");
      res.set(http::field::sec_websocket_protocol, ws_subprotocol);
    }));
    ws->read_message_max(0);
    auto [aec] = co_await ws->async_accept(req, use_tuple);
    if (!*alive) co_return;
    if (aec) {
      logger("mqtt")->info("WebSocket handshake with {} failed: {}", remote_ip, aec.message());
      co_return;
    }
  }
  server_.adopt(ws_stream(std::move(*ws)), lambkin::mqtt::connection_info{std::move(remote_ip), {}, {}});
}

}  // namespace lambkin::io::mqtt
