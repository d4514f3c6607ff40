// The broker's connection handling: the first packet, refusals, assigned ids, takeover, persistent
// sessions across reconnects, session expiry, keep-alive and wills — all over the wire format.
#include "emulator/core/mqtt/broker.hpp"

#include "broker_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;
}  // namespace

TEST_CASE("CONNECT gets a CONNACK, anything else first closes the connection unanswered") {
  broker_harness h;
  auto c = h.connect(make_connect("dev-1", v311));
  auto acks = h.take_all<connack>(c);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].reason == reason_code::success);
  CHECK(h.b.session_count() == 1);
  CHECK(h.b.connection_count() == 1);

  auto bad = h.open(v311);
  h.send(bad, pingreq{});
  CHECK(h.closed(bad));
  CHECK(h.take(bad).empty());
  CHECK(h.b.connection_count() == 1);
}

TEST_CASE("a connection that sends no CONNECT is closed after the connect timeout") {
  broker_harness h;
  auto c = h.open(v5);
  h.advance(seconds(9));
  CHECK_FALSE(h.closed(c));
  h.advance(seconds(1));
  CHECK(h.closed(c));
  CHECK(h.b.connection_count() == 0);
  // A CONNECT in time cancels the timer.
  auto d = h.open(v5);
  h.send(d, make_connect("dev-1", v5));
  h.advance(seconds(20));
  CHECK_FALSE(h.closed(d));
}

TEST_CASE("MQTT 3.1 and unknown levels get a 3.1.1 CONNACK 'unacceptable protocol version'") {
  broker_harness h;
  auto c = h.open(v311);
  const std::vector<std::uint8_t> mqisdp{0x10, 0x0F, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x02, 0x00, 0x3C,
                                         0x00, 0x01, 'c'};
  h.send_bytes(c, mqisdp);
  auto acks = h.take_all<connack>(c);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].reason == reason_code::unsupported_protocol_version);
  CHECK(h.closed(c));
}

TEST_CASE("refused CONNECTs: MQTT 5 gets the reason code and a Reason String, 3.1.1 its return code") {
  broker_harness h;
  auto c5 = h.connect(make_connect(std::string(129, 'x'), v5));
  auto ack = h.take_all<connack>(c5).at(0);
  CHECK(ack.reason == reason_code::client_identifier_not_valid);
  CHECK(ack.props.reason_string);
  CHECK(h.closed(c5));

  auto c3 = h.connect(make_connect("", v311, false));
  CHECK(h.take_all<connack>(c3).at(0).reason == reason_code::client_identifier_not_valid);  // return code 2
  CHECK(h.closed(c3));

  // A refusal 3.1.1 has no return code for: the connection just closes.
  auto w = make_connect("dev-1", v311);
  w.will = will_message{"bad/#", "x", qos0, false, {}};
  auto cw = h.connect(w);
  CHECK(h.take(cw).empty());
  CHECK(h.closed(cw));
  CHECK(h.b.session_count() == 0);
}

TEST_CASE("an empty client id gets a generated one, announced in MQTT 5's CONNACK") {
  broker_harness h;
  auto c = h.connect(make_connect("", v5));
  auto ack = h.take_all<connack>(c).at(0);
  REQUIRE(ack.props.assigned_client_identifier);
  CHECK(ack.props.assigned_client_identifier->starts_with("lambkin-"));
  CHECK(h.b.find_session(*ack.props.assigned_client_identifier));
  auto c3 = h.connect(make_connect("", v311, true));
  CHECK(h.take_all<connack>(c3).at(0).reason == reason_code::success);
  CHECK(h.b.session_count() == 2);
}

TEST_CASE("takeover: the second connection wins, the first gets DISCONNECT 0x8E and is closed") {
  broker_harness h;
  auto c = make_connect("dev-1", v5, false);
  c.props.session_expiry_interval = 300;
  auto first = h.connect(c);
  h.send(first, sub_packet(1, "cmd/dev-1"));
  h.take(first);

  auto second = h.connect(c);
  auto old = h.take_all<disconnect>(first);
  REQUIRE(old.size() == 1);
  CHECK(old[0].reason == reason_code::session_taken_over);
  CHECK(h.closed(first));
  CHECK(h.client(first).close->reason == disconnect_reason::duplicate_client_id);
  auto ack = h.take_all<connack>(second).at(0);
  CHECK(ack.session_present);  // resumed: the subscription is still there
  CHECK(h.b.session_count() == 1);

  auto pub = h.connect(make_connect("pub", v5));
  h.send(pub, pub_packet("cmd/dev-1", "go", qos1, 1));
  CHECK(h.take_all<publish>(second).size() == 1);
  // The old connection's late close is harmless.
  h.drop(first);
  CHECK(h.b.find_session("dev-1")->connected());

  // Clean Start on takeover: a fresh session, the subscription gone.
  auto third = h.connect(make_connect("dev-1", v311, true));
  CHECK(h.closed(second));
  CHECK_FALSE(h.take_all<connack>(third).at(0).session_present);
  h.send(pub, pub_packet("cmd/dev-1", "again", qos1, 2));
  CHECK(h.take_all<publish>(third).empty());
  CHECK(h.b.subscription_count() == 0);
}

TEST_CASE("3.1.1 persistent session: subscriptions and QoS 1 messages wait while offline") {
  broker_harness h;
  auto sub = h.connect(make_connect("sub", v311, false));
  h.send(sub, sub_packet(1, "things/+/temperature", qos1));
  h.take(sub);
  h.drop(sub);
  CHECK(h.b.find_session("sub"));
  CHECK_FALSE(h.b.find_session("sub")->connected());

  auto pub = h.connect(make_connect("pub", v311));
  h.send(pub, pub_packet("things/a/temperature", "1", qos1, 1));
  h.send(pub, pub_packet("things/b/temperature", "2", qos1, 2));
  h.send(pub, pub_packet("things/c/temperature", "lost", qos0));
  CHECK(h.take_all<puback>(pub).size() == 2);

  h.advance(minutes(10));
  auto again = h.connect(make_connect("sub", v311, false));
  auto received = h.take(again);
  REQUIRE(received.size() == 3);
  CHECK(std::get<connack>(received[0]).session_present);
  CHECK(std::get<publish>(received[1]).payload == "1");
  CHECK(std::get<publish>(received[2]).payload == "2");
  CHECK(std::get<publish>(received[2]).qos == qos1);
}

TEST_CASE("an offline session expires (AWS: 1 hour) and a reconnect finds none") {
  broker_harness h;
  auto sub = h.connect(make_connect("sub", v311, false));
  h.send(sub, sub_packet(1, "t"));
  h.drop(sub);
  h.advance(minutes(59));
  CHECK(h.b.find_session("sub"));
  h.advance(minutes(1));
  CHECK_FALSE(h.b.find_session("sub"));
  CHECK(h.b.subscription_count() == 0);
  auto again = h.connect(make_connect("sub", v311, false));
  CHECK_FALSE(h.take_all<connack>(again).at(0).session_present);
}

TEST_CASE("keep-alive through the broker's timers: silence past 1.5 × keep-alive closes and sends the will") {
  broker_harness h;
  auto watcher = h.connect(make_connect("watcher", v5));
  h.send(watcher, sub_packet(1, "status/#"));
  h.take(watcher);

  auto c = make_connect("dev-1", v5, true, 30);
  c.will = will_message{"status/dev-1", "gone", qos1, false, {}};
  auto dev = h.connect(c);
  h.advance(seconds(40));
  h.send(dev, pingreq{});
  CHECK(h.take_all<pingresp>(dev).size() == 1);
  h.advance(seconds(44));  // 84 s: 44 s since the last packet
  CHECK_FALSE(h.closed(dev));
  h.advance(seconds(1));  // 45 s of silence
  CHECK(h.closed(dev));
  CHECK(h.client(dev).close->reason == disconnect_reason::keep_alive_timeout);
  auto wills = h.take_all<publish>(watcher);
  REQUIRE(wills.size() == 1);
  CHECK(wills[0].payload == "gone");
  CHECK_FALSE(h.closed(watcher));  // keep-alive 60 s: its 90 s are not up yet
}

TEST_CASE("wills: sent on a lost connection, not after a normal DISCONNECT") {
  broker_harness h;
  auto watcher = h.connect(make_connect("watcher", v311));
  h.send(watcher, sub_packet(1, "status/+"));
  h.take(watcher);
  auto c = make_connect("dev-1", v311);
  c.will = will_message{"status/dev-1", "offline", qos1, true, {}};

  auto polite = h.connect(c);
  h.send(polite, disconnect{});
  CHECK(h.closed(polite));
  CHECK(h.client(polite).close->reason == disconnect_reason::client_initiated);
  CHECK(h.take_all<publish>(watcher).empty());

  auto rude = h.connect(c);
  h.drop(rude);
  auto wills = h.take_all<publish>(watcher);
  REQUIRE(wills.size() == 1);
  CHECK(wills[0].payload == "offline");
  CHECK_FALSE(wills[0].retain);  // live delivery: RETAIN 0
  // The retained will is stored: a new subscriber to the exact topic gets it.
  auto late = h.connect(make_connect("late", v311));
  h.send(late, sub_packet(1, "status/dev-1"));
  auto got = h.take_all<publish>(late);
  REQUIRE(got.size() == 1);
  CHECK(got[0].retain);
}

TEST_CASE("a malformed packet after CONNECT: MQTT 5 DISCONNECT 0x81, a close, the will") {
  broker_harness h;
  auto watcher = h.connect(make_connect("watcher", v5));
  h.send(watcher, sub_packet(1, "w"));
  h.take(watcher);
  auto c = make_connect("dev-1", v5);
  c.will = will_message{"w", "bye", qos0, false, {}};
  auto dev = h.connect(c);
  h.take(dev);
  h.send_bytes(dev, {0x30, 0x03, 0x00, 0x01, 0xFF});  // invalid UTF-8 in the topic
  auto d = h.take_all<disconnect>(dev);
  REQUIRE(d.size() == 1);
  CHECK(d[0].reason == reason_code::malformed_packet);
  CHECK(h.closed(dev));
  CHECK(h.take_all<publish>(watcher).size() == 1);
  // An oversize packet is refused from its header.
  auto big = h.connect(make_connect("big", v5));
  h.take(big);
  h.send_bytes(big, {0x30, 0xFF, 0xFF, 0x7F});
  CHECK(h.take_all<disconnect>(big).at(0).reason == reason_code::packet_too_large);
}

TEST_CASE("shutdown closes everyone (MQTT 5: DISCONNECT 0x8B), an administrator can kick one client") {
  broker_harness h;
  auto a = h.connect(make_connect("a", v5));
  auto b = h.connect(make_connect("b", v311));
  auto c = h.connect(make_connect("c", v5));
  h.take(a);
  h.take(c);
  h.run([&](auto& out) { CHECK(h.b.disconnect_client("c", h.clock.now(), out)); });
  CHECK(h.take_all<disconnect>(c).at(0).reason == reason_code::administrative_action);
  CHECK(h.closed(c));
  h.run([&](auto& out) { CHECK_FALSE(h.b.disconnect_client("c", h.clock.now(), out)); });

  h.run([&](auto& out) { h.b.on_shutdown(h.clock.now(), out); });
  CHECK(h.take_all<disconnect>(a).at(0).reason == reason_code::server_shutting_down);
  CHECK(h.closed(a));
  CHECK(h.closed(b));
  CHECK(h.b.connection_count() == 0);
}
