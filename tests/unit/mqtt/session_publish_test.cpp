// Inbound PUBLISH: QoS 0/1/2 flows, the aws profile's QoS 2 rule, topic aliases, and the checks
// that disconnect the client.
#include "emulator/core/mqtt/session.hpp"

#include "session_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

publish pub(std::string topic, qos_level q = qos0, std::uint16_t id = 0, std::string payload = "x") {
  return publish{std::move(topic), std::move(payload), q, false, false, id, {}};
}
}  // namespace

TEST_CASE("QoS 0 is routed, QoS 1 is routed and acknowledged with PUBACK") {
  session_fixture f;
  f.connect(make_connect("dev-1", v311));
  auto out = f.receive(pub("things/dev-1/temperature", qos0, 0, "{\"temperature\":21.5}"));
  auto routed = one<route_message>(out);
  CHECK(routed.msg->topic == "things/dev-1/temperature");
  CHECK(routed.msg->payload == "{\"temperature\":21.5}");
  CHECK(count<send_packet>(out) == 0);

  out = f.receive(pub("t", qos1, 7));
  CHECK(one<route_message>(out).msg->qos == qos1);
  CHECK(one<puback>(out).packet_id == 7);
  CHECK(one<puback>(out).reason == reason_code::success);
  CHECK(f.s.stats().received == 2);
}

TEST_CASE("aws profile: a QoS 2 PUBLISH drops the connection (MQTT 5: DISCONNECT 0x9B)") {
  session_fixture f5;
  f5.connect(make_connect("dev-1", v5));
  auto out = f5.receive(pub("t", qos2, 1));
  CHECK(count<route_message>(out) == 0);
  CHECK(one<disconnect>(out).reason == reason_code::qos_not_supported);
  CHECK(one<close_connection>(out).error == errc::qos_not_supported);

  session_fixture f3;
  f3.connect(make_connect("dev-1", v311));
  out = f3.receive(pub("t", qos2, 1));
  CHECK(count<disconnect>(out) == 0);
  CHECK(one<close_connection>(out).reason == disconnect_reason::client_error);
}

TEST_CASE("standard profile: QoS 2 inbound — PUBREC, re-sent PUBLISH not routed twice, PUBREL → PUBCOMP") {
  session_fixture f(profile::standard());
  f.connect(make_connect("dev-1", v5));
  auto out = f.receive(pub("t", qos2, 5));
  CHECK(count<route_message>(out) == 1);
  CHECK(one<pubrec>(out).packet_id == 5);

  publish again = pub("t", qos2, 5);
  again.dup = true;
  out = f.receive(again);
  CHECK(count<route_message>(out) == 0);
  CHECK(one<pubrec>(out).packet_id == 5);

  out = f.receive(pubrel{5, reason_code::success, {}});
  CHECK(one<pubcomp>(out).reason == reason_code::success);
  out = f.receive(pubrel{5, reason_code::success, {}});
  CHECK(one<pubcomp>(out).reason == reason_code::packet_identifier_not_found);
  // After PUBCOMP the id may carry a new message.
  CHECK(count<route_message>(f.receive(pub("t", qos2, 5))) == 1);
}

TEST_CASE("more unacknowledged QoS 2 PUBLISHes than Receive Maximum → DISCONNECT 0x93") {
  profile p = profile::standard();
  p.receive_maximum = 2;
  session_fixture f(p);
  f.connect(make_connect("dev-1", v5));
  f.receive(pub("t", qos2, 1));
  f.receive(pub("t", qos2, 2));
  auto out = f.receive(pub("t", qos2, 3));
  CHECK(one<disconnect>(out).reason == reason_code::receive_maximum_exceeded);
}

TEST_CASE("inbound topic aliases: set, use, over the maximum (0x94), never set (0x82)") {
  session_fixture f;  // aws: Topic Alias Maximum 8
  f.connect(make_connect("dev-1", v5));
  publish set = pub("things/dev-1/temperature");
  set.props.topic_alias = 3;
  CHECK(one<route_message>(f.receive(set)).msg->topic == "things/dev-1/temperature");
  publish use = pub("");
  use.props.topic_alias = 3;
  auto routed = one<route_message>(f.receive(use));
  CHECK(routed.msg->topic == "things/dev-1/temperature");
  CHECK_FALSE(routed.msg->props.topic_alias);
  // Re-pointing an alias.
  publish repoint = pub("other");
  repoint.props.topic_alias = 3;
  f.receive(repoint);
  CHECK(one<route_message>(f.receive(use)).msg->topic == "other");

  publish too_big = pub("x");
  too_big.props.topic_alias = 9;
  CHECK(one<disconnect>(f.receive(too_big)).reason == reason_code::topic_alias_invalid);

  session_fixture g;
  g.connect(make_connect("dev-2", v5));
  publish unknown = pub("");
  unknown.props.topic_alias = 1;
  CHECK(one<disconnect>(g.receive(unknown)).reason == reason_code::protocol_error);

  session_fixture h;
  h.connect(make_connect("dev-3", v5));
  CHECK(one<disconnect>(h.receive(pub(""))).reason == reason_code::protocol_error);  // empty topic, no alias
}

TEST_CASE("PUBLISH checks: topic syntax and limits, payload size, reserved topics, client subscription ids") {
  auto outcome = [](publish p, profile prof = {}) {
    session_fixture f(prof);
    f.connect(make_connect("dev-1", v5));
    return f.receive(std::move(p));
  };
  CHECK(one<disconnect>(outcome(pub("a/+"))).reason == reason_code::topic_name_invalid);
  CHECK(one<disconnect>(outcome(pub("a/b/c/d/e/f/g/h/i"))).reason == reason_code::topic_name_invalid);
  CHECK(count<route_message>(outcome(pub("a/b/c/d/e/f/g/h/i"), profile::standard())) == 1);
  CHECK(count<route_message>(outcome(pub("$aws/rules/R/a/b/c/d/e/f/g/h"))) == 1);  // prefix exempt
  CHECK(one<disconnect>(outcome(pub("t", qos0, 0, std::string(128 * 1024 + 1, 'x')))).reason ==
        reason_code::packet_too_large);
  auto reserved = outcome(pub("$aws/events/presence/connected/x"));
  CHECK(one<disconnect>(reserved).reason == reason_code::not_authorized);
  CHECK(one<close_connection>(reserved).reason == disconnect_reason::forbidden_access);
  publish with_id = pub("t");
  with_id.props.subscription_identifiers = {1};
  CHECK(one<disconnect>(outcome(with_id)).reason == reason_code::protocol_error);
  profile no_retain;
  no_retain.retain_available = false;
  publish retained = pub("t");
  retained.retain = true;
  CHECK(one<disconnect>(outcome(retained, no_retain)).reason == reason_code::retain_not_supported);
}

TEST_CASE("routed messages keep the forwarded properties and turn Message Expiry into a deadline") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  publish p = pub("t", qos1, 1);
  p.retain = true;
  p.props.message_expiry_interval = 30;
  p.props.response_topic = "replies";
  p.props.correlation_data = "42";
  p.props.payload_format_indicator = payload_format::utf8;
  p.props.content_type = "application/json";
  p.props.user_properties = {{"a", "1"}};
  auto m = one<route_message>(f.receive(std::move(p))).msg;
  CHECK(m->retain);
  CHECK(m->expires_at == f.clock.now() + seconds(30));
  CHECK(m->props.response_topic == "replies");
  CHECK(m->props.correlation_data == "42");
  CHECK(m->props.payload_format_indicator == payload_format::utf8);
  CHECK(m->props.content_type == "application/json");
  CHECK(m->props.user_properties.size() == 1);
}

TEST_CASE("standard profile: a PUBREC the shell refused (0x80) releases the id: the same id is a new message (MQTT 5 §4.3.3)") {
  session_fixture f(profile::standard());
  f.connect(make_connect("dev-1", v5));
  auto out = f.receive(pub("t", qos2, 9, "first"));
  CHECK(count<route_message>(out) == 1);
  // Without the refusal, a PUBLISH with id 9 is the same message again: not routed.
  CHECK(count<route_message>(f.receive(pub("t", qos2, 9, "first"))) == 0);
  f.s.on_pubrec_refused(9);
  out = f.receive(pub("t", qos2, 9, "second"));
  REQUIRE(count<route_message>(out) == 1);
  CHECK(one<route_message>(out).msg->payload == "second");
  CHECK(one<pubrec>(out).reason == reason_code::success);
  f.s.on_pubrec_refused(77);  // an id it never had: nothing happens
  CHECK(one<pubcomp>(f.receive(pubrel{9, reason_code::success, {}})).reason == reason_code::success);
}
