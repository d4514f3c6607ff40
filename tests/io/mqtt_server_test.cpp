// The MQTT shell with clients we did not write: Debian's mosquitto_sub and mosquitto_pub, MQTT
// 3.1.1 and 5, against a server on 127.0.0.1. Every wait is on a child process or its output.
#include "io/mqtt_server_support.hpp"
#include "io/slow_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <fstream>
#include <string>

using namespace lambkin::test;

namespace {

/// Subscribes with mosquitto_sub, publishes once with mosquitto_pub, returns what the subscriber
/// printed (its -d lines and the payload).
std::string round_trip(mqtt_broker_thread& b, const std::string& sub_version, const std::string& pub_version,
                       const std::string& filter, const std::string& topic, const std::string& message,
                       const std::string& qos = "0") {
  child_process sub(sub_args(b, sub_version, filter, {"-q", qos}));
  REQUIRE(subscribed(sub));
  const auto pub = run(pub_args(b, pub_version, topic, message, {"-q", qos}), client_timeout);
  CHECK_MESSAGE(pub.code == 0, pub.out, pub.err);
  if (qos == "1") CHECK(pub.out.find("received PUBACK") != std::string::npos);
  CHECK_MESSAGE(sub.wait(client_timeout) == 0, sub.out(), pub.out);
  return sub.out();
}

}  // namespace

TEST_CASE("mqtt_server delivers mosquitto_pub's message to mosquitto_sub, MQTT 3.1.1 and 5") {
  mqtt_broker_thread b;
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    CAPTURE(v);
    const auto out = round_trip(b, v, v, "devices/dev-1/status", "devices/dev-1/status", "online-" + v);
    CHECK(out.find("online-" + v) != std::string::npos);
  }
}

TEST_CASE("mqtt_server carries QoS 1 both ways") {
  mqtt_broker_thread b;
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    CAPTURE(v);
    const auto out = round_trip(b, v, v, "things/dev-1/alarm", "things/dev-1/alarm", "fire", "1");
    CHECK(out.find("received PUBLISH (d0, q1") != std::string::npos);
    CHECK(out.find("fire") != std::string::npos);
  }
}

TEST_CASE("mqtt_server matches a wildcard subscription") {
  mqtt_broker_thread b;
  const auto out =
      round_trip(b, "mqttv311", "mqttv311", "things/+/temperature", "things/dev-7/temperature", R"({"temperature":21.5})");
  CHECK(out.find(R"({"temperature":21.5})") != std::string::npos);
}

TEST_CASE("mqtt_server passes a 3.1.1 publisher's message to an MQTT 5 subscriber and back") {
  mqtt_broker_thread b;
  CHECK(round_trip(b, "mqttv5", "mqttv311", "mixed/a", "mixed/a", "from-311", "1").find("from-311") !=
        std::string::npos);
  CHECK(round_trip(b, "mqttv311", "mqttv5", "mixed/b", "mixed/b", "from-5", "1").find("from-5") !=
        std::string::npos);
}

TEST_CASE("mqtt_server delivers a retained message to a later subscriber of the exact topic") {
  mqtt_broker_thread b;
  const auto pub = run(pub_args(b, "mqttv311", "things/dev-1/state", "on", {"-r", "-q", "1"}), client_timeout);
  REQUIRE(pub.code == 0);
  const auto sub = run(sub_args(b, "mqttv5", "things/dev-1/state"), client_timeout);
  CHECK_MESSAGE(sub.code == 0, sub.out);
  CHECK(sub.out.find("r1") != std::string::npos);  // -d: "received PUBLISH (d0, q0, r1, …"
  CHECK(sub.out.find("\non\n") != std::string::npos);
}

TEST_CASE("mqtt_server publishes a presence event when a client connects (aws profile)") {
  mqtt_broker_thread b;
  child_process sub(sub_args(b, "mqttv311", "$aws/events/presence/connected/+", {"-q", "1"}));
  REQUIRE(subscribed(sub));
  const auto pub = run(pub_args(b, "mqttv311", "hello", "x", {"-i", "sensor-42"}), client_timeout);
  CHECK(pub.code == 0);
  CHECK(sub.wait(client_timeout) == 0);
  const auto out = sub.out();
  CHECK(out.find(R"("clientId":"sensor-42")") != std::string::npos);
  CHECK(out.find(R"("eventType":"connected")") != std::string::npos);
}

TEST_CASE("mqtt_server drops a connection that publishes QoS 2 in the aws profile") {
  mqtt_broker_thread b;
  const auto pub = run(pub_args(b, "mqttv311", "q2/topic", "x", {"-q", "2"}), client_timeout);
  CHECK_MESSAGE(pub.code != 0, pub.out, pub.err);
  CHECK(pub.code != -1);  // it ended because we closed it, not by the test's timeout
}

TEST_CASE("mqtt_server accepts QoS 2 in the standard profile") {
  mqtt_broker_thread b(lambkin::mqtt::profile::standard());
  const auto out = round_trip(b, "mqttv5", "mqttv5", "q2/topic", "q2/topic", "exactly-once", "2");
  CHECK(out.find("exactly-once") != std::string::npos);
}

TEST_CASE("mqtt_server closes a connection that sends garbage and keeps serving") {
  mqtt_broker_thread b;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(b.port()))});
    const std::string garbage("\x00\xff\xff\xff\xff\x7fGET / HTTP/1.1\r\n\r\n", 24);
    boost::asio::write(s, boost::asio::buffer(garbage));
    char buf[64];
    boost::system::error_code ec;
    std::size_t total = 0;
    while (!ec) total += s.read_some(boost::asio::buffer(buf), ec);
    CHECK(ec == boost::asio::error::eof);  // closed by the server, after sending nothing useful
    CHECK(total == 0);
  }
  const auto out = round_trip(b, "mqttv311", "mqttv311", "still/alive", "still/alive", "yes");
  CHECK(out.find("yes") != std::string::npos);
}

TEST_CASE("mqtt_server hands in-process listeners and Basic Ingest rules what clients publish") {
  mqtt_broker_thread b;
  std::promise<std::string> heard, ingested;
  b.call([&](mqtt_io::mqtt_server& s) {
    s.set_listener_sink([&](const core::listener_message& m) { heard.set_value(m.msg->topic + " " + std::string(m.msg->payload.view())); });
    s.set_rule_sink([&](const core::rule_ingest& r) { ingested.set_value(r.rule + " " + r.msg->topic); });
    return s.add_listener("telemetry/#").has_value();
  });
  CHECK(run(pub_args(b, "mqttv5", "telemetry/dev-1", "42"), client_timeout).code == 0);
  CHECK(run(pub_args(b, "mqttv311", "$aws/rules/store_it/things/dev-1", "7"), client_timeout).code == 0);
  auto h = heard.get_future();
  auto i = ingested.get_future();
  REQUIRE(h.wait_for(client_timeout) == std::future_status::ready);
  REQUIRE(i.wait_for(client_timeout) == std::future_status::ready);
  CHECK(h.get() == "telemetry/dev-1 42");
  CHECK(i.get() == "store_it things/dev-1");
}

TEST_CASE("mqtt_server::publish reaches a mosquitto_sub subscriber") {
  mqtt_broker_thread b;
  child_process sub(sub_args(b, "mqttv5", "commands/dev-1", {"-q", "1"}));
  REQUIRE(subscribed(sub));
  const auto ec = b.call([](mqtt_io::mqtt_server& s) {
    return s.publish(core::publish_request{"commands/dev-1", "reboot", core::qos1, false, {}});
  });
  CHECK_FALSE(ec);
  CHECK(sub.wait(client_timeout) == 0);
  CHECK(sub.out().find("reboot") != std::string::npos);
}

TEST_CASE("mqtt_server::stop sends MQTT 5 clients DISCONNECT server shutting down") {
  std::optional<mqtt_broker_thread> b(std::in_place);
  std::vector<std::string> args = sub_args(*b, "mqttv5", "never/published");
  args[12] = "5";  // -C 5: it would wait for more than we send
  child_process sub(args);
  REQUIRE(subscribed(sub));
  b.reset();
  const auto code = sub.wait(client_timeout);
  REQUIRE(code.has_value());
  CHECK(sub.out().find("Received DISCONNECT (139)") != std::string::npos);  // 0x8B Server shutting down
}

TEST_CASE("mqtt_server::listen reports an address in use instead of throwing") {
  mqtt_broker_thread a;
  boost::asio::io_context ioc;
  mqtt_io::mqtt_server second(ioc.get_executor(), core::profile::aws(), "127.0.0.1",
                              static_cast<unsigned short>(std::stoi(a.port())));
  CHECK(second.listen() == boost::asio::error::address_in_use);
  mqtt_io::mqtt_server bad(ioc.get_executor(), core::profile::aws(), "not-an-ip", 0);
  CHECK(bad.listen());
  CHECK(mqtt_io::profile_named("standard")->kind == core::profile_kind::standard);
  CHECK_FALSE(mqtt_io::profile_named("nope"));
}

TEST_CASE("mqtt_server closes a connection that sends no CONNECT within the profile's connect timeout") {
  auto p = lambkin::mqtt::profile::aws();
  p.connect_timeout = std::chrono::milliseconds(50);  // the broker's timer, run by an Asio steady_timer
  mqtt_broker_thread b(p);
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(b.port()))});
  char buf[16];
  boost::system::error_code ec;
  const auto n = s.read_some(boost::asio::buffer(buf), ec);  // blocks until the server closes
  CHECK(n == 0);
  CHECK(ec == boost::asio::error::eof);
}

TEST_CASE("mqtt_server hangs up on a client that sends its CONNECT a byte every 100 ms (slowloris)") {
  auto p = lambkin::mqtt::profile::aws();
  p.connect_timeout = std::chrono::milliseconds(300);  // from the connection's start, whatever arrives
  mqtt_broker_thread b(p);
  // A valid 3.1.1 CONNECT with a 100-byte client id: 114 bytes, 11 s at this pace.
  std::string connect = {'\x10', static_cast<char>(112), '\0', '\4', 'M', 'Q', 'T', 'T', '\4', '\2', '\0', '\x3c',
                         '\0', static_cast<char>(100)};
  connect += std::string(100, 'c');
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(b.port()))});
  const auto sent = dribble_until_closed(s, connect, std::chrono::milliseconds(100));
  CHECK(sent < connect.size());
}

TEST_CASE("mqtt_server writes a message larger than the socket buffers to a plain TCP subscriber, whole") {
  // 8 MB cannot leave in one send(): the writer waits for the descriptor to be writable again
  // (tcp_poller's EPOLLOUT) and goes on where it stopped.
  mqtt_broker_thread b(core::profile::standard());
  temp_dir dir;
  const auto file = dir.path() / "payload";
  std::string payload(8'000'000, 'x');
  payload.replace(0, 5, "BEGIN");
  payload.replace(payload.size() - 3, 3, "END");
  {
    std::ofstream out(file, std::ios::binary);
    out << payload;
  }
  child_process sub(sub_args(b, "mqttv311", "bulk/transfer"));
  REQUIRE(subscribed(sub));
  const auto pub = run({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", b.port(), "-V", "mqttv311", "-t",
                        "bulk/transfer", "-f", file.string(), "-d"},
                       client_timeout);
  CHECK_MESSAGE(pub.code == 0, pub.out, pub.err);
  REQUIRE_MESSAGE(sub.wait(client_timeout) == 0, pub.out);
  const std::string out = sub.out();
  CHECK(out.find("(8000000 bytes)") != std::string::npos);
  const auto begin = out.find("BEGIN");
  REQUIRE(begin != std::string::npos);
  CHECK(out.compare(begin, payload.size(), payload) == 0);
}
