// MQTT over WebSocket at the byte level, with Beast's WebSocket client: the upgrade (path,
// subprotocol, refusals with a clear HTTP error; curl for a plain GET), packets split across
// WebSocket messages and several packets in one message, binary frames both ways, a text frame
// refused, a message crossing from mosquitto_pub on TCP to the WebSocket client, and a burst of frames
// leaving to a subscriber in one message.
// (MQTT.js over WebSocket: tests/node/mqtt_ws.test.mjs.)
#include "io/mqtt_ws_tls_support.hpp"
#include "io/slow_client.hpp"
#include "support/child_process.hpp"

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <span>
#include <string>
#include <variant>
#include <vector>

using namespace lambkin::test;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
namespace net = boost::asio;
namespace core = lambkin::mqtt;

namespace {

/// A Beast WebSocket client on the test thread.
class ws_client {
 public:
  explicit ws_client(unsigned short port) : ws_(ioc_) {
    net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    beast::get_lowest_layer(ws_).connect(ep);
  }
  /// The upgrade with `protocols` offered (none when empty); returns the server's answer.
  websocket::response_type handshake(const std::string& target, const std::string& protocols,
                                     beast::error_code& ec) {
    ws_.set_option(websocket::stream_base::decorator([protocols](websocket::request_type& req) {
      if (!protocols.empty()) req.set(http::field::sec_websocket_protocol, protocols);
    }));
    websocket::response_type res;
    ws_.handshake(res, "127.0.0.1", target, ec);
    ws_.binary(true);
    return res;
  }
  websocket::stream<net::ip::tcp::socket>& ws() { return ws_; }

  /// Encodes `p` (3.1.1) and sends it as one binary message.
  void send(const core::packet& p) { send_bytes(encode(p)); }
  void send_bytes(const std::vector<std::uint8_t>& bytes) { ws_.write(net::buffer(bytes)); }
  static std::vector<std::uint8_t> encode(const core::packet& p) {
    std::vector<std::uint8_t> out;
    REQUIRE_FALSE(core::encode(p, core::protocol_version::v311, out));
    return out;
  }
  /// The next packet from the broker (reading more messages as needed); every frame is binary.
  core::packet receive() {
    for (;;) {
      if (!pending_.empty()) {
        std::span<const std::uint8_t> in(pending_);
        auto r = decoder_.feed(in);
        pending_.erase(pending_.begin(), pending_.end() - static_cast<std::ptrdiff_t>(in.size()));
        if (auto* p = std::get_if<core::packet>(&r)) return std::move(*p);
        REQUIRE(std::holds_alternative<core::need_more>(r));
      }
      beast::flat_buffer buffer;
      ws_.read(buffer);
      CHECK(ws_.got_binary());
      const auto* data = static_cast<const std::uint8_t*>(buffer.data().data());
      pending_.insert(pending_.end(), data, data + buffer.size());
    }
  }

 private:
  net::io_context ioc_;
  websocket::stream<net::ip::tcp::socket> ws_;
  core::decoder decoder_{core::decoder_options{268'435'460, core::protocol_version::v311}};
  std::vector<std::uint8_t> pending_;
};

core::connect connect_packet(const std::string& client_id) {
  core::connect c;
  c.version = core::protocol_version::v311;
  c.client_id = client_id;
  return c;
}

}  // namespace

TEST_CASE("the WebSocket listener accepts /mqtt with subprotocol mqtt and names it in its answer") {
  mqtt_transports_thread b;
  ws_client c(b.ws_port());
  beast::error_code ec;
  const auto res = c.handshake("/mqtt?X-Amz-Signature=ignored", "mqttv3.1, mqtt", ec);
  REQUIRE_MESSAGE(!ec, ec.message());
  CHECK(res.result() == http::status::switching_protocols);
  CHECK(res[http::field::sec_websocket_protocol] == "mqtt");
}

TEST_CASE("the WebSocket listener refuses another path and a missing subprotocol with a clear HTTP error") {
  mqtt_transports_thread b;
  {
    ws_client c(b.ws_port());
    beast::error_code ec;
    const auto res = c.handshake("/ws", "mqtt", ec);
    CHECK(ec == websocket::error::upgrade_declined);
    CHECK(res.result() == http::status::not_found);
    CHECK(res.body().find("MQTT over WebSocket is served at /mqtt") != std::string::npos);
  }
  {
    ws_client c(b.ws_port());
    beast::error_code ec;
    const auto res = c.handshake("/mqtt", "", ec);
    CHECK(ec == websocket::error::upgrade_declined);
    CHECK(res.result() == http::status::bad_request);
    CHECK(res.body().find("Sec-WebSocket-Protocol: mqtt") != std::string::npos);
  }
  const auto plain = run({"/usr/bin/curl", "-s", "-i", "http://127.0.0.1:" + std::to_string(b.ws_port()) + "/mqtt"},
                         transport_timeout);
  CHECK(plain.out.find("HTTP/1.1 426") != std::string::npos);
  CHECK(plain.out.find("open a WebSocket to /mqtt") != std::string::npos);
}

TEST_CASE("MQTT over WebSocket: a packet split across messages, several packets in one, binary both ways") {
  mqtt_transports_thread b;
  ws_client c(b.ws_port());
  beast::error_code ec;
  c.handshake("/mqtt", "mqtt", ec);
  REQUIRE(!ec);

  // CONNECT in two WebSocket messages.
  const auto connect = ws_client::encode(connect_packet("ws-bytes"));
  c.send_bytes({connect.begin(), connect.begin() + 5});
  c.send_bytes({connect.begin() + 5, connect.end()});
  const auto ack = c.receive();
  REQUIRE(std::holds_alternative<core::connack>(ack));
  CHECK(std::get<core::connack>(ack).reason == core::reason_code::success);

  // SUBSCRIBE and PINGREQ in one message.
  core::subscribe sub;
  sub.packet_id = 7;
  sub.topics.push_back({"to-ws/+", core::subscription_options{core::qos1}});
  auto both = ws_client::encode(sub);
  const auto ping = ws_client::encode(core::pingreq{});
  both.insert(both.end(), ping.begin(), ping.end());
  c.send_bytes(both);
  const auto suback = c.receive();
  REQUIRE(std::holds_alternative<core::suback>(suback));
  CHECK(std::get<core::suback>(suback).packet_id == 7);
  CHECK(std::holds_alternative<core::pingresp>(c.receive()));

  // A message from a TCP client (mosquitto_pub) reaches the WebSocket subscriber.
  const auto pub = run({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", b.tcp_port(), "-t", "to-ws/a", "-m",
                        "over-tcp", "-q", "1"},
                       transport_timeout);
  REQUIRE(pub.code == 0);
  const auto msg = c.receive();
  REQUIRE(std::holds_alternative<core::publish>(msg));
  const auto& p = std::get<core::publish>(msg);
  CHECK(p.topic == "to-ws/a");
  CHECK(std::string(p.payload.view()) == "over-tcp");
}

TEST_CASE("MQTT over WebSocket: a text frame ends the connection (MQTT-6.0.0-1)") {
  mqtt_transports_thread b;
  ws_client c(b.ws_port());
  beast::error_code ec;
  c.handshake("/mqtt", "mqtt", ec);
  REQUIRE(!ec);
  c.ws().text(true);
  const auto connect = ws_client::encode(connect_packet("ws-text"));
  c.ws().write(net::buffer(connect));
  beast::flat_buffer buffer;
  c.ws().read(buffer, ec);  // no CONNACK: the connection ends
  CHECK(ec);
}

TEST_CASE("a WebSocket connection that never sends its upgrade is closed after the handshake timeout") {
  mqtt_transports_thread b(std::nullopt, std::chrono::milliseconds(200));
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), b.ws_port()});
  char byte;
  beast::error_code ec;
  s.read_some(net::buffer(&byte, 1), ec);  // blocks until the listener closes it
  CHECK(ec == net::error::eof);
}

TEST_CASE("a WebSocket client that sends its upgrade a byte every 100 ms is closed at the handshake timeout") {
  mqtt_transports_thread b(std::nullopt, std::chrono::milliseconds(300));
  const std::string upgrade =
      "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), b.ws_port()});
  const auto sent = lambkin::test::dribble_until_closed(s, upgrade, std::chrono::milliseconds(100));
  CHECK(sent < upgrade.size());
}

TEST_CASE("MQTT over WebSocket: a burst of PUBLISH frames read together leaves to a subscriber in one message") {
  // Beast hands the broker one frame per read; the subscriber's writer waits until the
  // publisher's buffered frames are all read, so the burst goes out in one write (one message).
  mqtt_transports_thread b;
  ws_client sub(b.ws_port());
  ws_client pub(b.ws_port());
  beast::error_code ec;
  sub.handshake("/mqtt", "mqtt", ec);
  REQUIRE(!ec);
  pub.handshake("/mqtt", "mqtt", ec);
  REQUIRE(!ec);
  sub.send(connect_packet("ws-burst-sub"));
  REQUIRE(std::holds_alternative<core::connack>(sub.receive()));
  pub.send(connect_packet("ws-burst-pub"));
  REQUIRE(std::holds_alternative<core::connack>(pub.receive()));
  core::subscribe s;
  s.packet_id = 1;
  s.topics.push_back({"burst/#", core::subscription_options{core::qos0}});
  sub.send(s);
  REQUIRE(std::holds_alternative<core::suback>(sub.receive()));

  // Eight masked binary frames, one PUBLISH each, in one TCP write.
  constexpr int burst = 8;
  const auto numbered = [](std::string prefix, int i) { return prefix.append(std::to_string(i)); };
  std::vector<std::uint8_t> frames;
  const std::array<std::uint8_t, 4> key{0x12, 0x34, 0x56, 0x78};
  for (int i = 0; i < burst; ++i) {
    core::publish p;
    p.topic = numbered("burst/", i);
    p.payload = numbered("m", i);
    const auto bytes = ws_client::encode(p);
    REQUIRE(bytes.size() < 126);
    frames.push_back(0x82);  // FIN, binary
    frames.push_back(static_cast<std::uint8_t>(0x80 | bytes.size()));
    frames.insert(frames.end(), key.begin(), key.end());
    for (std::size_t j = 0; j < bytes.size(); ++j) frames.push_back(bytes[j] ^ key[j % 4]);
  }
  net::write(pub.ws().next_layer(), net::buffer(frames));

  beast::flat_buffer message;
  sub.ws().read(message);
  CHECK(sub.ws().got_binary());
  std::span<const std::uint8_t> in(static_cast<const std::uint8_t*>(message.data().data()), message.size());
  core::decoder decoder{core::decoder_options{268'435'460, core::protocol_version::v311}};
  int received = 0;
  while (!in.empty()) {
    auto r = decoder.feed(in);
    auto* p = std::get_if<core::packet>(&r);
    REQUIRE(p != nullptr);
    REQUIRE(std::holds_alternative<core::publish>(*p));
    CHECK(std::get<core::publish>(*p).topic == numbered("burst/", received));
    ++received;
  }
  CHECK(received == burst);
}
