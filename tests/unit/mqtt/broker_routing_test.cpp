// Routing through the broker: fan-out, retained messages in both profiles, MQTT 3.1.1 ↔ 5 interop,
// No Local, Retain As Published, Retain Handling, shared subscriptions, QoS 2 in both profiles,
// topic aliases, slow subscribers, Basic Ingest and the in-process API.
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

TEST_CASE("the temperature pipeline's first hop: a device publishes, a subscriber receives") {
  broker_harness h;
  auto sub = h.connect(make_connect("dashboard", v311));
  h.send(sub, sub_packet(1, "things/+/temperature", qos1));
  CHECK(h.take_all<suback>(sub).at(0).reasons == std::vector{reason_code::granted_qos_1});

  auto dev = h.connect(make_connect("dev-1", v311));
  h.send(dev, pub_packet("things/dev-1/temperature", R"({"temperature":21.5})", qos1, 10));
  CHECK(h.take_all<puback>(dev).at(0).packet_id == 10);
  auto got = h.take_all<publish>(sub);
  REQUIRE(got.size() == 1);
  CHECK(got[0].topic == "things/dev-1/temperature");
  CHECK(got[0].payload == R"({"temperature":21.5})");
  CHECK(got[0].qos == qos1);
  h.send(sub, puback{got[0].packet_id, reason_code::success, {}});
  CHECK(h.b.find_session("dashboard")->inflight() == 0);
}

TEST_CASE("fan-out: one message reaches every matching session once, at its own QoS") {
  broker_harness h;
  std::vector<connection_id> subs;
  for (int i = 0; i < 20; ++i) {
    auto c = h.connect(make_connect("s" + std::to_string(i), i % 2 ? v5 : v311));
    h.send(c, sub_packet(1, i % 3 ? "fan/#" : "fan/out", i % 2 ? qos1 : qos0));
    h.send(c, sub_packet(2, "+/out", qos0));  // overlapping: still one delivery
    h.take(c);
    subs.push_back(c);
  }
  auto pub = h.connect(make_connect("pub", v5));
  h.send(pub, pub_packet("fan/out", "x", qos1, 1));
  for (int i = 0; i < 20; ++i) {
    auto got = h.take_all<publish>(subs[static_cast<std::size_t>(i)]);
    REQUIRE(got.size() == 1);
    CHECK(got[0].qos == (i % 2 ? qos1 : qos0));
  }
}

TEST_CASE("MQTT 3.1.1 and 5 clients exchange messages, properties are dropped toward 3.1.1") {
  broker_harness h;
  auto old_sub = h.connect(make_connect("old", v311));
  auto new_sub = h.connect(make_connect("new", v5));
  h.send(old_sub, sub_packet(1, "chat/#"));
  h.send(new_sub, sub_packet(1, "chat/#"));
  h.take(old_sub);
  h.take(new_sub);

  auto new_pub = h.connect(make_connect("np", v5));
  publish p = pub_packet("chat/room", "hi", qos1, 1);
  p.props.user_properties = {{"lang", "en"}};
  p.props.content_type = "text/plain";
  p.props.response_topic = "chat/replies";
  p.props.correlation_data = "c-1";
  p.props.payload_format_indicator = payload_format::utf8;
  h.send(new_pub, p);
  auto to_old = h.take_all<publish>(old_sub).at(0);
  CHECK(to_old.payload == "hi");
  CHECK(to_old.props.empty());
  auto to_new = h.take_all<publish>(new_sub).at(0);
  CHECK(to_new.props.user_properties == std::vector<user_property>{{"lang", "en"}});
  CHECK(to_new.props.content_type == "text/plain");
  CHECK(to_new.props.response_topic == "chat/replies");
  CHECK(to_new.props.correlation_data == "c-1");
  CHECK(to_new.props.payload_format_indicator == payload_format::utf8);

  auto old_pub = h.connect(make_connect("op", v311));
  h.send(old_pub, pub_packet("chat/room", "hello", qos1, 1));
  CHECK(h.take_all<publish>(new_sub).at(0).payload == "hello");
  CHECK(h.take_all<publish>(old_sub).at(0).payload == "hello");
}

TEST_CASE("retained messages, aws profile: delivered only to an equal filter, with RETAIN set") {
  broker_harness h;
  auto dev = h.connect(make_connect("dev-1", v311));
  h.send(dev, pub_packet("things/dev-1/state", "on", qos1, 1, true));
  CHECK(h.b.retained().size() == 1);

  auto exact = h.connect(make_connect("exact", v311));
  h.send(exact, sub_packet(1, "things/dev-1/state"));
  auto got = h.take_all<publish>(exact);
  REQUIRE(got.size() == 1);
  CHECK(got[0].retain);
  CHECK(got[0].payload == "on");

  auto wild = h.connect(make_connect("wild", v311));
  h.send(wild, sub_packet(1, "things/+/state"));
  CHECK(h.take_all<publish>(wild).empty());
  // Live messages reach both, RETAIN 0.
  h.send(dev, pub_packet("things/dev-1/state", "off", qos1, 2, true));
  CHECK_FALSE(h.take_all<publish>(exact).at(0).retain);
  CHECK_FALSE(h.take_all<publish>(wild).at(0).retain);
  // An empty retained payload deletes — and is still delivered.
  h.send(dev, pub_packet("things/dev-1/state", "", qos1, 3, true));
  CHECK(h.take_all<publish>(exact).at(0).payload.empty());
  CHECK(h.b.retained().size() == 0);
  // `$` topics are never retained in the aws profile.
  h.send(dev, pub_packet("$aws/things/dev-1/shadow/update", "{}", qos0, 0, true));
  CHECK(h.b.retained().size() == 0);
}

TEST_CASE("retained messages, standard profile: every matching filter, Retain Handling 0/1/2") {
  broker_harness h(profile::standard());
  auto dev = h.connect(make_connect("dev-1", v5));
  h.send(dev, pub_packet("home/kitchen/temp", "20", qos1, 1, true));
  h.send(dev, pub_packet("home/hall/temp", "18", qos1, 2, true));
  h.send(dev, pub_packet("home", "root", qos1, 3, true));

  auto s = h.connect(make_connect("s", v5));
  h.send(s, sub_packet(1, "home/+/temp"));
  CHECK(h.take_all<publish>(s).size() == 2);
  h.send(s, sub_packet(2, "home/#", qos1, false, false, retain_handling::send_if_new));
  CHECK(h.take_all<publish>(s).size() == 3);  // new: sent, `home` included (spec `#` rule)
  h.send(s, sub_packet(3, "home/#", qos1, false, false, retain_handling::send_if_new));
  CHECK(h.take_all<publish>(s).empty());  // not new: nothing
  h.send(s, sub_packet(4, "home/+/temp", qos1, false, false, retain_handling::dont_send));
  CHECK(h.take_all<publish>(s).empty());
  h.send(s, sub_packet(5, "home/+/temp", qos1, false, false, retain_handling::send_on_subscribe));
  CHECK(h.take_all<publish>(s).size() == 2);  // 0: on every subscribe
  // Shared subscriptions get no retained messages.
  h.send(s, sub_packet(6, "$share/g/home/#"));
  CHECK(h.take_all<publish>(s).empty());
}

TEST_CASE("No Local and Retain As Published") {
  broker_harness h(profile::standard());
  auto me = h.connect(make_connect("me", v5));
  h.send(me, sub_packet(1, "chat", qos0, /*no_local=*/true));
  h.send(me, sub_packet(2, "flags", qos0, false, /*rap=*/true));
  h.take(me);
  h.send(me, pub_packet("chat", "echo?"));
  CHECK(h.take_all<publish>(me).empty());
  auto other = h.connect(make_connect("other", v5));
  h.send(other, pub_packet("chat", "from other"));
  CHECK(h.take_all<publish>(me).size() == 1);
  h.send(other, pub_packet("flags", "r", qos0, 0, true));
  CHECK(h.take_all<publish>(me).at(0).retain);  // kept as published
}

TEST_CASE("shared subscriptions take turns among online members") {
  broker_harness h;
  auto w1 = h.connect(make_connect("w1", v5));
  auto w2 = h.connect(make_connect("w2", v5));
  for (auto w : {w1, w2}) {
    h.send(w, sub_packet(1, "$share/workers/jobs/+"));
    h.take(w);
  }
  auto pub = h.connect(make_connect("pub", v5));
  for (int i = 0; i < 4; ++i) h.send(pub, pub_packet("jobs/" + std::to_string(i), "j"));
  CHECK(h.take_all<publish>(w1).size() == 2);
  CHECK(h.take_all<publish>(w2).size() == 2);
  h.drop(w2);  // w2's session ends (expiry 0): the group has w1 only
  for (int i = 0; i < 3; ++i) h.send(pub, pub_packet("jobs/x", "j"));
  CHECK(h.take_all<publish>(w1).size() == 3);
}

TEST_CASE("QoS 2 end to end in the standard profile") {
  broker_harness h(profile::standard());
  auto sub = h.connect(make_connect("sub", v5));
  h.send(sub, sub_packet(1, "q2", qos2));
  CHECK(h.take_all<suback>(sub).at(0).reasons == std::vector{reason_code::granted_qos_2});
  auto pub = h.connect(make_connect("pub", v5));
  h.send(pub, pub_packet("q2", "once", qos2, 7));
  CHECK(h.take_all<pubrec>(pub).at(0).packet_id == 7);
  auto got = h.take_all<publish>(sub).at(0);
  CHECK(got.qos == qos2);
  h.send(pub, pubrel{7, reason_code::success, {}});
  CHECK(h.take_all<pubcomp>(pub).size() == 1);
  h.send(sub, pubrec{got.packet_id, reason_code::success, {}});
  CHECK(h.take_all<pubrel>(sub).at(0).packet_id == got.packet_id);
  h.send(sub, pubcomp{got.packet_id, reason_code::success, {}});
  CHECK(h.b.find_session("sub")->inflight() == 0);
}

TEST_CASE("QoS 2 in the aws profile: subscription granted QoS 1, PUBLISH drops the connection") {
  broker_harness h;
  auto sub = h.connect(make_connect("sub", v5));
  h.send(sub, sub_packet(1, "q2", qos2));
  CHECK(h.take_all<suback>(sub).at(0).reasons == std::vector{reason_code::granted_qos_1});
  auto pub = h.connect(make_connect("pub", v5));
  h.take(pub);
  h.send(pub, pub_packet("q2", "x", qos2, 1));
  CHECK(h.take_all<disconnect>(pub).at(0).reason == reason_code::qos_not_supported);
  CHECK(h.closed(pub));
  CHECK(h.take_all<publish>(sub).empty());
}

TEST_CASE("topic aliases both ways through the broker") {
  broker_harness h;
  auto c = make_connect("sub", v5);
  c.props.topic_alias_maximum = 4;
  auto sub = h.connect(c);
  h.send(sub, sub_packet(1, "long/topic/name"));
  h.take(sub);
  auto pub = h.connect(make_connect("pub", v5));
  publish first = pub_packet("long/topic/name", "1");
  first.props.topic_alias = 1;
  h.send(pub, first);
  publish second = pub_packet("", "2");
  second.props.topic_alias = 1;
  h.send(pub, second);
  auto got = h.take_all<publish>(sub);
  REQUIRE(got.size() == 2);
  CHECK(got[0].topic == "long/topic/name");
  CHECK(got[0].props.topic_alias == 1);
  CHECK(got[1].topic.empty());
  CHECK(got[1].props.topic_alias == 1);
}

TEST_CASE("a subscriber that stops acknowledging is disconnected without slowing the others") {
  profile p;
  p.max_inflight_out = 2;
  p.max_queued_messages = 3;
  broker_harness h(p);
  auto slow = h.connect(make_connect("slow", v5));
  auto fast = h.connect(make_connect("fast", v5));
  h.send(slow, sub_packet(1, "feed"));
  h.send(fast, sub_packet(1, "feed"));
  h.take(slow);
  h.take(fast);
  auto pub = h.connect(make_connect("pub", v5));
  for (int i = 0; i < 6; ++i) {
    h.send(pub, pub_packet("feed", std::to_string(i), qos1, static_cast<std::uint16_t>(i + 1)));
    for (auto& got : h.take_all<publish>(fast)) h.send(fast, puback{got.packet_id, reason_code::success, {}});
  }
  CHECK(h.closed(slow));  // 2 in flight + 3 queued, the 6th is one too many
  CHECK(h.client(slow).close->reason == disconnect_reason::throttled);
  CHECK_FALSE(h.closed(fast));
  CHECK(h.b.find_session("fast")->inflight() == 0);
}

TEST_CASE("Basic Ingest: `$aws/rules/<rule>/…` goes to the rule only") {
  broker_harness h;
  auto all = h.connect(make_connect("all", v5));
  h.send(all, sub_packet(1, "#"));
  h.send(all, sub_packet(2, "$aws/rules/#"));
  CHECK(h.take_all<suback>(all).at(1).reasons == std::vector{reason_code::not_authorized});
  auto listener = h.b.add_listener("$aws/rules/#");
  REQUIRE(listener);

  auto dev = h.connect(make_connect("dev-1", v5));
  h.send(dev, pub_packet("$aws/rules/StoreTemperature/things/dev-1/temperature", "{}", qos1, 1));
  CHECK(h.take_all<puback>(dev).size() == 1);
  REQUIRE(h.ingested.size() == 1);
  CHECK(h.ingested[0].rule == "StoreTemperature");
  CHECK(h.ingested[0].msg->topic == "things/dev-1/temperature");
  CHECK(h.ingested[0].original_topic == "$aws/rules/StoreTemperature/things/dev-1/temperature");
  CHECK(h.take_all<publish>(all).empty());
  CHECK(h.heard.empty());

  // The standard profile has no Basic Ingest: an ordinary topic.
  broker_harness s(profile::standard());
  auto sub = s.connect(make_connect("sub", v5));
  s.send(sub, sub_packet(1, "$aws/rules/#"));
  s.take(sub);
  auto p = s.connect(make_connect("p", v5));
  s.send(p, pub_packet("$aws/rules/R/x", "{}"));
  CHECK(s.ingested.empty());
  CHECK(s.take_all<publish>(sub).size() == 1);
}

TEST_CASE("the in-process API publishes like a client, and listeners hear matching messages") {
  broker_harness h;
  auto sub = h.connect(make_connect("sub", v311));
  h.send(sub, sub_packet(1, "alerts/#"));
  h.take(sub);
  auto listener = h.b.add_listener("alerts/+");
  REQUIRE(listener);
  CHECK_FALSE(h.b.add_listener("bad/#/x"));

  h.run([&](auto& out) {
    CHECK_FALSE(h.b.publish(publish_request{"alerts/high", "42", qos1, false, {}}, h.clock.now(), out));
  });
  CHECK(h.take_all<publish>(sub).at(0).payload == "42");
  REQUIRE(h.heard.size() == 1);
  CHECK(h.heard[0].listener == *listener);
  CHECK(h.heard[0].msg->topic == "alerts/high");

  h.run([&](auto& out) {
    CHECK(h.b.publish(publish_request{"alerts/+", "x", qos0, false, {}}, h.clock.now(), out) == errc::topic_name_invalid);
    CHECK(h.b.publish(publish_request{"t", std::string(200'000, 'x'), qos0, false, {}}, h.clock.now(), out) ==
          errc::packet_too_large);
    CHECK(h.b.publish(publish_request{"t", "x", qos2, false, {}}, h.clock.now(), out) == errc::qos_not_supported);
    // Retained through the API (IoT Data Publish with retain=true), readable with GetRetainedMessage.
    CHECK_FALSE(h.b.publish(publish_request{"state/dev-1", "on", qos1, true, {}}, h.clock.now(), out));
  });
  REQUIRE(h.b.retained().find("state/dev-1", h.clock.now()));
  CHECK(h.b.remove_listener(*listener));
  CHECK_FALSE(h.b.remove_listener(*listener));
}

TEST_CASE("message expiry through the broker: a queued message expires while its client is away") {
  broker_harness h;
  auto c = make_connect("sub", v5, false);
  c.props.session_expiry_interval = 3600;
  auto sub = h.connect(c);
  h.send(sub, sub_packet(1, "t"));
  h.drop(sub);
  auto pub = h.connect(make_connect("pub", v5));
  publish p = pub_packet("t", "short-lived", qos1, 1);
  p.props.message_expiry_interval = 5;
  h.send(pub, p);
  publish q = pub_packet("t", "lasting", qos1, 2);
  q.props.message_expiry_interval = 60;
  h.send(pub, q);
  h.advance(seconds(10));
  auto again = h.connect(c);
  auto got = h.take_all<publish>(again);
  REQUIRE(got.size() == 1);
  CHECK(got[0].payload == "lasting");
  CHECK(got[0].props.message_expiry_interval == 50u);
}
