// MQTT over WebSocket framing on the wire, with a raw socket client that writes and reads RFC 6455
// frames itself: the 101 answer (the RFC's own key/accept pair), a CONNECT sent along with the
// upgrade request, ping → pong between the fragments of a message, a text or unmasked frame
// refused with its close code, a close from the peer
// answered with its code (and the will published: the connection was lost), the broker's own
// close (after DISCONNECT) sent as a close frame before the FIN, and 64-bit frames both ways.
#include "io/mqtt_ws_tls_support.hpp"

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

using namespace lambkin::test;
namespace net = boost::asio;
namespace core = lambkin::mqtt;

namespace {

using bytes = std::vector<std::uint8_t>;

bytes text_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }

bytes encode(const core::packet& p) {
  bytes out;
  REQUIRE_FALSE(core::encode(p, core::protocol_version::v311, out));
  return out;
}

core::connect connect_packet(const std::string& client_id) {
  core::connect c;
  c.version = core::protocol_version::v311;
  c.client_id = client_id;
  return c;
}

struct frame {
  std::uint8_t first = 0;  // FIN, RSV, opcode
  bytes payload;
};

/// A WebSocket client that frames by hand, on the test thread.
class raw_ws {
 public:
  explicit raw_ws(unsigned short port) : s_(ioc_) {
    s_.connect({net::ip::make_address("127.0.0.1"), port});
  }
  /// The upgrade, with the key of RFC 6455 §1.3, and `then` in the same write; returns the
  /// answer's header block.
  std::string upgrade(const bytes& then = {}) {
    const std::string req =
        "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
    bytes out(req.begin(), req.end());
    for (auto b : then) out.push_back(b);
    net::write(s_, net::buffer(out));
    const auto n = net::read_until(s_, in_, "\r\n\r\n");
    std::string head(static_cast<const char*>(in_.data().data()), n);
    in_.consume(n);
    return head;
  }
  /// Sends one masked frame.
  void send(std::uint8_t first, const bytes& payload, bool masked = true) {
    bytes f{first};
    const std::uint8_t mask_bit = masked ? 0x80 : 0x00;
    if (payload.size() > 0xFFFF) {
      f.push_back(mask_bit | 127);
      for (int i = 7; i >= 0; --i) f.push_back(static_cast<std::uint8_t>(std::uint64_t{payload.size()} >> (8 * i)));
    } else if (payload.size() >= 126) {
      f.push_back(mask_bit | 126);
      f.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
      f.push_back(static_cast<std::uint8_t>(payload.size()));
    } else {
      f.push_back(static_cast<std::uint8_t>(mask_bit | payload.size()));
    }
    const std::array<std::uint8_t, 4> key{0x3C, 0x91, 0x5E, 0x07};
    if (masked)
      for (auto k : key) f.push_back(k);
    for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(masked ? payload[i] ^ key[i % 4] : payload[i]);
    net::write(s_, net::buffer(f));
  }
  void send_packet(const core::packet& p) { send(0x82, encode(p)); }
  /// One masked binary frame holding `payload`, as bytes.
  static bytes binary_frame(const bytes& payload) {
    REQUIRE(payload.size() < 126);
    bytes f{0x82, static_cast<std::uint8_t>(0x80 | payload.size()), 0x11, 0x22, 0x33, 0x44};
    for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(payload[i] ^ f[2 + i % 4]);
    return f;
  }
  /// The next frame from the server (which must not mask it).
  frame receive() {
    frame f;
    const auto head = take(2);
    f.first = head[0];
    CHECK((head[1] & 0x80) == 0);
    std::uint64_t size = head[1] & 0x7F;
    if (size == 126) {
      const auto ext = take(2);
      size = std::uint64_t{ext[0]} << 8 | ext[1];
    } else if (size == 127) {
      const auto ext = take(8);
      size = 0;
      for (auto b : ext) size = size << 8 | b;
    }
    f.payload = take(static_cast<std::size_t>(size));
    return f;
  }
  /// The next MQTT packet, from binary frames only.
  core::packet receive_packet() {
    for (;;) {
      if (!pending_.empty()) {
        std::span<const std::uint8_t> in(pending_);
        auto r = decoder_.feed(in);
        pending_.erase(pending_.begin(), pending_.end() - static_cast<std::ptrdiff_t>(in.size()));
        if (auto* p = std::get_if<core::packet>(&r)) return std::move(*p);
        REQUIRE(std::holds_alternative<core::need_more>(r));
      }
      auto f = receive();
      REQUIRE(f.first == 0x82);
      pending_.insert(pending_.end(), f.payload.begin(), f.payload.end());
    }
  }
  /// True when the server closed the TCP connection (nothing more to read).
  bool at_eof() {
    if (in_.size() != 0) return false;
    char byte = 0;
    boost::system::error_code ec;
    s_.read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof;
  }
  net::ip::tcp::socket& socket() { return s_; }

 private:
  bytes take(std::size_t n) {
    if (in_.size() < n) net::read(s_, in_, net::transfer_exactly(n - in_.size()));
    const auto* data = static_cast<const std::uint8_t*>(in_.data().data());
    bytes out(data, data + n);
    in_.consume(n);
    return out;
  }

  net::io_context ioc_;
  net::ip::tcp::socket s_;
  net::streambuf in_;
  core::decoder decoder_{core::decoder_options{268'435'460, core::protocol_version::v311}};
  bytes pending_;
};

/// A client upgraded and connected (CONNACK received).
void open(raw_ws& c, const core::connect& connect) {
  const auto head = c.upgrade();
  REQUIRE(head.rfind("HTTP/1.1 101", 0) == 0);
  c.send_packet(connect);
  const auto ack = c.receive_packet();
  REQUIRE(std::holds_alternative<core::connack>(ack));
  REQUIRE(std::get<core::connack>(ack).reason == core::reason_code::success);
}

bytes close_payload(std::uint16_t code) {
  return bytes{static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code & 0xFF)};
}

}  // namespace

TEST_CASE("WebSocket frames: the 101 answer carries the RFC's accept key, subprotocol mqtt and Server: lambkin") {
  mqtt_transports_thread b;
  raw_ws c(b.ws_port());
  const auto head = c.upgrade();
  CHECK(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0) == 0);
  CHECK(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") != std::string::npos);
  CHECK(head.find("Sec-WebSocket-Protocol: mqtt\r\n") != std::string::npos);
  CHECK(head.find("Server: lambkin\r\n") != std::string::npos);
}

TEST_CASE("WebSocket frames: a CONNECT sent with the upgrade request, before the 101, is served") {
  mqtt_transports_thread b;
  raw_ws c(b.ws_port());
  const auto head = c.upgrade(raw_ws::binary_frame(encode(connect_packet("ws-eager"))));
  REQUIRE(head.rfind("HTTP/1.1 101", 0) == 0);
  const auto ack = c.receive_packet();
  REQUIRE(std::holds_alternative<core::connack>(ack));
  CHECK(std::get<core::connack>(ack).reason == core::reason_code::success);
}

TEST_CASE("WebSocket frames: a ping between two fragments of a CONNECT gets a pong echoing it, and the CONNACK") {
  mqtt_transports_thread b;
  raw_ws c(b.ws_port());
  REQUIRE(c.upgrade().rfind("HTTP/1.1 101", 0) == 0);
  const auto connect = encode(connect_packet("ws-ping"));
  c.send(0x02, bytes(connect.begin(), connect.begin() + 4));  // binary, not final
  c.send(0x89, text_bytes("are you there"));                  // ping between the fragments
  c.send(0x80, bytes(connect.begin() + 4, connect.end()));     // the last continuation
  bool pong = false;
  bool connack = false;
  for (int i = 0; i < 2; ++i) {
    const auto f = c.receive();
    if (f.first == 0x8A) {
      CHECK(f.payload == text_bytes("are you there"));
      pong = true;
    } else {
      REQUIRE(f.first == 0x82);
      core::decoder d{core::decoder_options{1024, core::protocol_version::v311}};
      std::span<const std::uint8_t> in(f.payload);
      auto r = d.feed(in);
      auto* p = std::get_if<core::packet>(&r);
      REQUIRE(p != nullptr);
      connack = std::holds_alternative<core::connack>(*p);
    }
  }
  CHECK(pong);
  CHECK(connack);
  // And on an established connection, an empty ping.
  c.send(0x89, bytes{});
  const auto f = c.receive();
  CHECK(f.first == 0x8A);
  CHECK(f.payload.empty());
}

TEST_CASE("WebSocket frames: a text frame is refused with close 1003, then the connection ends") {
  mqtt_transports_thread b;
  raw_ws c(b.ws_port());
  open(c, connect_packet("ws-text-frame"));
  c.send(0x81, encode(core::pingreq{}));
  const auto f = c.receive();
  CHECK(f.first == 0x88);
  CHECK(f.payload == close_payload(1003));
  CHECK(c.at_eof());
}

TEST_CASE("WebSocket frames: an unmasked frame is refused with close 1002, then the connection ends") {
  mqtt_transports_thread b;
  raw_ws c(b.ws_port());
  open(c, connect_packet("ws-unmasked"));
  c.send(0x82, encode(core::pingreq{}), false);
  const auto f = c.receive();
  CHECK(f.first == 0x88);
  CHECK(f.payload == close_payload(1002));
  CHECK(c.at_eof());
}

TEST_CASE("WebSocket frames: the peer's close is answered with its code, and its will goes out (connection lost)") {
  mqtt_transports_thread b;
  raw_ws watcher(b.ws_port());
  open(watcher, connect_packet("ws-will-watcher"));
  core::subscribe sub;
  sub.packet_id = 3;
  sub.topics.push_back({"ws-will/#", core::subscription_options{core::qos0}});
  watcher.send_packet(sub);
  REQUIRE(std::holds_alternative<core::suback>(watcher.receive_packet()));

  raw_ws c(b.ws_port());
  auto connect = connect_packet("ws-closing");
  connect.will = core::will_message{};
  connect.will->topic = "ws-will/closing";
  connect.will->payload = "gone";
  open(c, connect);
  auto reason = close_payload(4001);
  reason.push_back('o');
  reason.push_back('k');
  c.send(0x88, reason);
  const auto f = c.receive();
  CHECK(f.first == 0x88);
  CHECK(f.payload == close_payload(4001));
  CHECK(c.at_eof());

  const auto will = watcher.receive_packet();
  REQUIRE(std::holds_alternative<core::publish>(will));
  CHECK(std::get<core::publish>(will).topic == "ws-will/closing");
  CHECK(std::string(std::get<core::publish>(will).payload.view()) == "gone");
}

TEST_CASE("WebSocket frames: after DISCONNECT the broker sends close 1000 before its FIN") {
  mqtt_transports_thread b;
  raw_ws c(b.ws_port());
  open(c, connect_packet("ws-disconnect"));
  c.send_packet(core::disconnect{});
  const auto f = c.receive();
  CHECK(f.first == 0x88);
  CHECK(f.payload == close_payload(1000));
  // The client answers the close, as RFC 6455 asks; the server then ends the connection.
  c.send(0x88, close_payload(1000));
  CHECK(c.at_eof());
}

TEST_CASE("WebSocket frames: 100 KB messages in 64-bit-length frames both ways, to a subscriber that reads late") {
  mqtt_transports_thread b;
  raw_ws sub(b.ws_port());
  // A small receive buffer, so the server's writes to it stop part-way and resume.
  sub.socket().set_option(net::socket_base::receive_buffer_size(4096));
  open(sub, connect_packet("ws-big-sub"));
  core::subscribe s;
  s.packet_id = 1;
  s.topics.push_back({"big/#", core::subscription_options{core::qos1}});
  sub.send_packet(s);
  REQUIRE(std::holds_alternative<core::suback>(sub.receive_packet()));

  raw_ws pub(b.ws_port());
  open(pub, connect_packet("ws-big-pub"));
  constexpr int count = 12;
  for (int i = 0; i < count; ++i) {
    core::publish p;
    p.topic = "big/" + std::to_string(i);
    p.qos = core::qos1;
    p.packet_id = static_cast<std::uint16_t>(i + 1);
    std::string payload(100 * 1024, static_cast<char>('a' + i));
    payload[0] = static_cast<char>('0' + i % 10);
    p.payload = payload;
    pub.send(0x82, encode(p));  // over 65535 bytes: the 64-bit length form
    const auto ack = pub.receive_packet();
    REQUIRE(std::holds_alternative<core::puback>(ack));
  }
  // Every PUBACK is in: every message is queued or written to the subscriber.
  for (int i = 0; i < count; ++i) {
    const auto msg = sub.receive_packet();
    REQUIRE(std::holds_alternative<core::publish>(msg));
    const auto& p = std::get<core::publish>(msg);
    CHECK(p.topic == "big/" + std::to_string(i));
    const auto view = p.payload.view();
    REQUIRE(view.size() == 100 * 1024);
    CHECK(view[0] == static_cast<char>('0' + i % 10));
    CHECK(view.find_first_not_of(static_cast<char>('a' + i), 1) == std::string_view::npos);
    core::puback ack;
    ack.packet_id = p.packet_id;
    sub.send_packet(ack);
  }
}
