// Slow subscribers: a raw MQTT 5 client that subscribes and then stops reading must not make the
// server buffer without bound or hold up anyone else. QoS 0 past the limits is dropped; QoS 1 past
// the queue limit gets the client disconnected (DISCONNECT 0x97 Quota exceeded).
#include "io/mqtt_server_support.hpp"

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>

#include <string>
#include <variant>
#include <vector>

using namespace lambkin::test;
namespace net = boost::asio;

namespace {

/// A hand-driven MQTT 5 client on a blocking socket: it reads only when the test says so.
class raw_client {
 public:
  raw_client(const mqtt_broker_thread& b, const std::string& id, const std::string& filter, core::qos_level q)
      : socket_(ioc_), decoder_(core::decoder_options{268'435'460, core::protocol_version::v5}) {
    socket_.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(b.port()))});
    std::vector<std::uint8_t> bytes;
    core::connect c;
    c.client_id = id;
    REQUIRE_FALSE(core::encode(c, core::protocol_version::v5, bytes));
    core::subscribe s{1, {core::subscribe_topic{filter, core::subscription_options{q, false, false, {}}}}, {}};
    REQUIRE_FALSE(core::encode(s, core::protocol_version::v5, bytes));
    net::write(socket_, net::buffer(bytes));
    REQUIRE(std::holds_alternative<core::connack>(next()));
    REQUIRE(std::holds_alternative<core::suback>(next()));
  }

  /// The next packet; a default `pingresp` stands for the end of the stream.
  core::packet next() {
    for (;;) {
      if (!in_.empty()) {
        std::span<const std::uint8_t> view(in_);
        auto r = decoder_.feed(view);
        in_.erase(in_.begin(), in_.end() - static_cast<std::ptrdiff_t>(view.size()));
        if (auto* p = std::get_if<core::packet>(&r)) return std::move(*p);
        REQUIRE(std::holds_alternative<core::need_more>(r));
      }
      std::uint8_t buf[65536];
      boost::system::error_code ec;
      const auto n = socket_.read_some(net::buffer(buf), ec);
      if (ec) return core::pingresp{};
      in_.insert(in_.end(), buf, buf + n);
    }
  }

 private:
  net::io_context ioc_;
  net::ip::tcp::socket socket_;
  core::decoder decoder_;
  std::vector<std::uint8_t> in_;
};

core::publish_request flood_message(core::qos_level q) {
  return core::publish_request{"flood/data", std::string(64 * 1024, 'x'), q, false, {}};
}

}  // namespace

TEST_CASE("mqtt_server drops QoS 0 for a subscriber that stops reading, without holding up others") {
  mqtt_broker_thread b;
  raw_client slow(b, "slow-reader", "flood/#", core::qos0);
  // Assertions stay on the test thread: the lambdas run on the server's.
  const auto dropped = b.call([](mqtt_io::mqtt_server& s) {
    for (int i = 0; i < 3000; ++i)
      if (s.publish(flood_message(core::qos0))) return std::uint64_t{0};
    return s.broker().find_session("slow-reader")->stats().dropped_qos0;
  });
  // 3000 × 64 KB were published while the writer could not run: the connection's queue took a few
  // up to its high-water mark, the session queued its 1000 QoS 0 limit, the rest were dropped.
  CHECK(dropped > 1500);
  // Someone else still gets new messages at once.
  child_process fast(sub_args(b, "mqttv5", "flood/data"));
  REQUIRE(subscribed(fast));
  CHECK_FALSE(b.call([](mqtt_io::mqtt_server& s) { return s.publish(flood_message(core::qos0)); }));
  CHECK(fast.wait(client_timeout) == 0);
}

TEST_CASE("mqtt_server disconnects a QoS 1 subscriber whose queue overflows") {
  mqtt_broker_thread b;
  raw_client slow(b, "stuck-reader", "flood/#", core::qos1);
  const int failed = b.call([](mqtt_io::mqtt_server& s) {
    int n = 0;
    for (int i = 0; i < 1200; ++i) n += s.publish(flood_message(core::qos1)) ? 1 : 0;
    return n;
  });
  CHECK(failed == 0);
  // Reading now: the publishes the server had queued, then its DISCONNECT, then the end.
  std::size_t publishes = 0;
  core::packet last;
  for (core::packet p = slow.next(); !std::holds_alternative<core::pingresp>(p); p = slow.next()) {
    if (std::holds_alternative<core::publish>(p)) ++publishes;
    last = std::move(p);
  }
  CHECK(publishes > 0);
  CHECK(publishes < 1200);
  REQUIRE(std::holds_alternative<core::disconnect>(last));
  CHECK(std::get<core::disconnect>(last).reason == core::reason_code::quota_exceeded);
}
