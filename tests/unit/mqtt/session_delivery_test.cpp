// Outbound messages: QoS 1 and 2 flows, the in-flight window, the bounded queue, redelivery with
// DUP after a reconnect, message expiry, outbound topic aliases, Maximum Packet Size, 3.1.1 peers.
#include "emulator/core/mqtt/session.hpp"

#include "session_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

connect with_receive_maximum(std::uint16_t n) {
  auto c = make_connect("dev-1", v5);
  c.props.receive_maximum = n;
  return c;
}
}  // namespace

TEST_CASE("QoS 1 out: a packet id per message, released by PUBACK, QoS is min(message, subscription)") {
  session_fixture f;
  f.connect(make_connect("dev-1", v311));
  auto p1 = one<publish>(f.deliver(msg("a", "1", qos1), qos1));
  CHECK(p1.qos == qos1);
  CHECK(p1.packet_id == 1);
  CHECK_FALSE(p1.dup);
  auto p2 = one<publish>(f.deliver(msg("a", "2", qos1), qos1));
  CHECK(p2.packet_id == 2);
  CHECK(f.s.inflight() == 2);
  f.receive(puback{1, reason_code::success, {}});
  f.receive(puback{2, reason_code::success, {}});
  CHECK(f.s.inflight() == 0);
  CHECK(one<publish>(f.deliver(msg("a", "3", qos1), qos0)).qos == qos0);
  CHECK(one<publish>(f.deliver(msg("a", "4", qos0), qos1)).qos == qos0);
  CHECK(f.s.inflight() == 0);
  // Unknown or duplicate acknowledgements are harmless.
  CHECK(f.receive(puback{99, reason_code::success, {}}).empty());
}

TEST_CASE("the in-flight window is the client's Receive Maximum, the rest wait in order") {
  session_fixture f;
  f.connect(with_receive_maximum(2));
  CHECK(count<publish>(f.deliver(msg("a", "1"))) == 1);
  CHECK(count<publish>(f.deliver(msg("a", "2"))) == 1);
  CHECK(count<publish>(f.deliver(msg("a", "3"))) == 0);
  CHECK(count<publish>(f.deliver(msg("a", "4", qos0))) == 0);  // behind the queue: order is kept
  CHECK(f.s.queued() == 2);
  auto out = f.receive(puback{1, reason_code::success, {}});
  auto sent = all<publish>(out);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].payload == "3");
  CHECK(sent[1].payload == "4");
  CHECK(f.s.inflight() == 2);

  // AWS caps the window at 100 whatever the client allows.
  session_fixture g;
  g.connect(with_receive_maximum(1000));
  for (int i = 0; i < 150; ++i) g.deliver(msg("a", "x"));
  CHECK(g.s.inflight() == 100);
  CHECK(g.s.queued() == 50);
}

TEST_CASE("past the QoS 1 queue limit an online client is disconnected, QoS 0 is dropped past its own") {
  profile p;
  p.max_queued_messages = 3;
  p.max_queued_qos0 = 2;
  session_fixture f(p);
  f.connect(with_receive_maximum(1));
  f.deliver(msg("a", "in flight"));
  for (int i = 0; i < 3; ++i) CHECK(f.deliver(msg("a", "queued")).empty());
  auto out = f.deliver(msg("a", "one too many"));
  CHECK(one<disconnect>(out).reason == reason_code::quota_exceeded);
  CHECK(one<close_connection>(out).reason == disconnect_reason::throttled);

  session_fixture g(p);
  g.connect(make_connect("dev-2", v5));
  g.s.on_write_blocked(g.clock.now());
  for (int i = 0; i < 5; ++i) CHECK(g.deliver(msg("a", std::to_string(i), qos0)).empty());
  CHECK(g.s.queued() == 2);
  CHECK(g.s.stats().dropped_qos0 == 3);
  auto flushed = g.run([&](auto& o) { g.s.on_write_ready(g.clock.now(), o); });
  auto sent = all<publish>(flushed);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].payload == "0");
  CHECK(sent[1].payload == "1");
}

TEST_CASE("persistent session: unacknowledged messages are re-sent with DUP and their ids after reconnect") {
  session_fixture f;
  f.connect(make_connect("dev-1", v311, false));
  f.deliver(msg("a", "1"));
  f.deliver(msg("a", "2"));
  f.receive(puback{1, reason_code::success, {}});
  auto out = f.closed();
  CHECK(one<arm_timer>(out).kind == timer_kind::session_expiry);
  CHECK(one<arm_timer>(out).deadline == f.clock.now() + seconds(3600));

  // Offline: QoS 1 is queued, QoS 0 dropped.
  CHECK(f.deliver(msg("a", "3")).empty());
  CHECK(f.deliver(msg("a", "lost", qos0), qos0).empty());
  CHECK(f.s.queued() == 1);
  CHECK(f.s.stats().dropped_qos0 == 1);

  f.clock.advance(seconds(60));
  out = f.connect(make_connect("dev-1", v311, false), /*session_present=*/true);
  CHECK(one<connack>(out).session_present);
  CHECK(one<cancel_timer>(out).kind == timer_kind::session_expiry);
  auto sent = all<publish>(out);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].payload == "2");
  CHECK(sent[0].dup);
  CHECK(sent[0].packet_id == 2);
  CHECK(sent[1].payload == "3");
  CHECK_FALSE(sent[1].dup);
  CHECK(sent[1].packet_id == 3);
  CHECK(f.s.stats().redelivered == 1);
}

TEST_CASE("standard profile: QoS 2 out — PUBREC → PUBREL, PUBCOMP frees, PUBREL is re-sent on resume") {
  session_fixture f(profile::standard());
  auto c = make_connect("dev-1", v5, false);
  c.props.session_expiry_interval = 100;
  f.connect(c);
  auto p = one<publish>(f.deliver(msg("a", "1", qos2), qos2));
  CHECK(p.qos == qos2);
  auto out = f.receive(pubrec{p.packet_id, reason_code::success, {}});
  CHECK(one<pubrel>(out).packet_id == p.packet_id);
  CHECK(f.s.inflight() == 1);
  f.closed();
  out = f.connect(c, true);
  CHECK(one<pubrel>(out).packet_id == p.packet_id);
  CHECK(count<publish>(out) == 0);
  f.receive(pubcomp{p.packet_id, reason_code::success, {}});
  CHECK(f.s.inflight() == 0);
  // A PUBREC with an error ends the exchange; a PUBREC for an unknown id gets PUBREL 0x92.
  auto q = one<publish>(f.deliver(msg("a", "2", qos2), qos2));
  CHECK(f.receive(pubrec{q.packet_id, reason_code::quota_exceeded, {}}).empty());
  CHECK(f.s.inflight() == 0);
  CHECK(one<pubrel>(f.receive(pubrec{77, reason_code::success, {}})).reason == reason_code::packet_identifier_not_found);
}

TEST_CASE("aws profile: messages are delivered at QoS 1 at most") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  CHECK(one<publish>(f.deliver(msg("a", "1", qos2), qos2)).qos == qos1);
}

TEST_CASE("message expiry: expired messages are dropped, the rest carry the time left") {
  session_fixture f;
  auto c = make_connect("dev-1", v5, false);
  c.props.session_expiry_interval = 600;
  f.connect(c);
  f.closed();
  properties ten;
  ten.message_expiry_interval = 10;
  properties hundred;
  hundred.message_expiry_interval = 100;
  f.deliver(msg("a", "short", qos1, ten, f.clock.now()));
  f.deliver(msg("a", "long", qos1, hundred, f.clock.now()));
  f.deliver(msg("a", "forever", qos1));
  f.clock.advance(seconds(30));
  auto sent = all<publish>(f.connect(c, true));
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].payload == "long");
  CHECK(sent[0].props.message_expiry_interval == 70u);
  CHECK(sent[1].payload == "forever");
  CHECK_FALSE(sent[1].props.message_expiry_interval);
  CHECK(f.s.stats().dropped_expired == 1);
  // A message already expired when delivered is dropped at once.
  CHECK(f.deliver(msg("a", "stale", qos1, ten, f.clock.now() - seconds(11))).empty());
}

TEST_CASE("outbound topic aliases up to the client's Topic Alias Maximum") {
  session_fixture f;
  auto c = make_connect("dev-1", v5);
  c.props.topic_alias_maximum = 2;
  f.connect(c);
  auto a1 = one<publish>(f.deliver(msg("things/one", "1", qos0)));
  CHECK(a1.topic == "things/one");
  CHECK(a1.props.topic_alias == 1);
  auto a2 = one<publish>(f.deliver(msg("things/one", "2", qos0)));
  CHECK(a2.topic.empty());
  CHECK(a2.props.topic_alias == 1);
  CHECK(one<publish>(f.deliver(msg("things/two", "3", qos0))).props.topic_alias == 2);
  auto full = one<publish>(f.deliver(msg("things/three", "4", qos0)));
  CHECK(full.topic == "things/three");
  CHECK_FALSE(full.props.topic_alias);
  // Without a Topic Alias Maximum there are none.
  session_fixture g;
  g.connect(make_connect("dev-2", v5));
  CHECK_FALSE(one<publish>(g.deliver(msg("t", "x", qos0))).props.topic_alias);
}

TEST_CASE("a message over the client's Maximum Packet Size is dropped as if delivered") {
  session_fixture f;
  auto c = make_connect("dev-1", v5);
  c.props.maximum_packet_size = 64;
  c.props.topic_alias_maximum = 4;
  f.connect(c);
  CHECK(f.deliver(msg("big", std::string(100, 'x'))).empty());
  CHECK(f.s.inflight() == 0);
  CHECK(f.s.stats().dropped_too_large == 1);
  // The dropped message did not use up an alias for its topic.
  auto small = one<publish>(f.deliver(msg("big", "x")));
  CHECK(small.topic == "big");
  CHECK(small.props.topic_alias == 1);
}

TEST_CASE("a 3.1.1 subscriber gets no MQTT 5 properties, a v5 one gets them and its subscription ids") {
  properties props;
  props.user_properties = {{"k", "v"}};
  props.content_type = "text/plain";
  props.message_expiry_interval = 60;
  auto m = msg("t", "x", qos1, props);

  session_fixture old;
  old.connect(make_connect("old", v311));
  CHECK(one<publish>(old.deliver(m)).props.empty());

  session_fixture f(profile::standard());
  f.connect(make_connect("new", v5));
  auto out = f.run([&](auto& o) { f.s.deliver(m, delivery{qos1, true, {4, 9}}, f.clock.now(), o); });
  auto p = one<publish>(out);
  CHECK(p.retain);
  CHECK(p.props.user_properties == props.user_properties);
  CHECK(p.props.content_type == "text/plain");
  CHECK(p.props.message_expiry_interval == 60u);
  CHECK(p.props.subscription_identifiers == std::vector<std::uint32_t>{4, 9});
}

TEST_CASE("packet ids wrap around and skip ids still in flight") {
  session_fixture f;
  f.connect(with_receive_maximum(2));
  CHECK(one<publish>(f.deliver(msg("a", "held"))).packet_id == 1);  // never acknowledged
  std::uint16_t last = 0;
  for (int i = 0; i < 65'534; ++i) {
    last = one<publish>(f.deliver(msg("a", "x"))).packet_id;
    f.receive(puback{last, reason_code::success, {}});
  }
  CHECK(last == 65'535);
  // Wrapping to 1, which is still in flight: the next id is 2.
  CHECK(one<publish>(f.deliver(msg("a", "y"))).packet_id == 2);
}
