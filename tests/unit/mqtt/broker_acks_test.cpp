// Acknowledgements that depend on routing or on the payload: PUBACK 0x10 "No matching
// subscribers" (standard profile, MQTT 5), 0x99 "Payload format invalid", and topic aliases that
// belong to one connection (a publisher's are never forwarded; a subscriber gets its own).
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

TEST_CASE("standard profile, MQTT 5: PUBACK 0x10 when a QoS 1 PUBLISH reached nobody, 0x00 once someone listens") {
  broker_harness h(profile::standard());
  auto pub = h.connect(make_connect("pub", v5));
  h.take(pub);
  h.send(pub, pub_packet("nobody/listens", "x", qos1, 1));
  auto acks = h.take_all<puback>(pub);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].packet_id == 1);
  CHECK(acks[0].reason == reason_code::no_matching_subscribers);

  auto sub = h.connect(make_connect("sub", v311));
  h.send(sub, sub_packet(1, "some/+"));
  h.take(sub);
  h.send(pub, pub_packet("some/one", "x", qos1, 2));
  acks = h.take_all<puback>(pub);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].packet_id == 2);
  CHECK(acks[0].reason == reason_code::success);
  CHECK(h.take_all<publish>(sub).size() == 1);

  // An in-process listener (a topic rule) is a subscriber too.
  REQUIRE(h.b.add_listener("rules/#"));
  h.send(pub, pub_packet("rules/in", "x", qos1, 3));
  CHECK(h.take_all<puback>(pub).at(0).reason == reason_code::success);
  CHECK(h.heard.size() == 1);

  // No Local: the publisher's own subscription does not count.
  h.send(pub, sub_packet(4, "self/#", qos1, /*no_local=*/true));
  h.take(pub);
  h.send(pub, pub_packet("self/x", "x", qos1, 5));
  CHECK(h.take_all<puback>(pub).at(0).reason == reason_code::no_matching_subscribers);
}

TEST_CASE("0x10 is MQTT 5 only, and never in the aws profile (AWS IoT's reason codes have no 0x10)") {
  broker_harness standard(profile::standard());
  auto old = standard.connect(make_connect("old", v311));
  standard.take(old);
  standard.send(old, pub_packet("nobody", "x", qos1, 1));
  CHECK(standard.take_all<puback>(old).at(0).reason == reason_code::success);  // 3.1.1 has no reason code

  broker_harness aws;
  auto pub = aws.connect(make_connect("pub", v5));
  aws.take(pub);
  aws.send(pub, pub_packet("nobody", "x", qos1, 1));
  auto acks = aws.take_all<puback>(pub);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].reason == reason_code::success);
}

TEST_CASE("Payload Format Indicator UTF-8 with a payload that is not UTF-8: 0x99 and not routed") {
  broker_harness h(profile::standard());
  auto sub = h.connect(make_connect("sub", v5));
  h.send(sub, sub_packet(1, "t/#", qos1));
  h.take(sub);
  auto pub = h.connect(make_connect("pub", v5));
  h.take(pub);
  const auto bad = [](qos_level q, std::uint16_t id, std::string payload) {
    publish p = pub_packet("t/1", std::move(payload), q, id);
    p.props.payload_format_indicator = payload_format::utf8;
    return p;
  };
  h.send(pub, bad(qos1, 1, "\xC3\x28"));  // a broken two-byte sequence
  auto acks = h.take_all<puback>(pub);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].reason == reason_code::payload_format_invalid);
  h.send(pub, bad(qos2, 2, "\xED\xA0\x80"));  // a UTF-16 surrogate, not allowed in UTF-8
  auto recs = h.take_all<pubrec>(pub);
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].reason == reason_code::payload_format_invalid);
  h.send(pub, bad(qos0, 0, "\xFF"));  // QoS 0: nothing to answer with, dropped
  CHECK_FALSE(h.closed(pub));
  CHECK(h.take_all<publish>(sub).empty());

  h.send(pub, bad(qos1, 3, "caf\xC3\xA9"));  // valid UTF-8 with the indicator: routed
  CHECK(h.take_all<puback>(pub).at(0).reason == reason_code::success);
  auto got = h.take_all<publish>(sub);
  REQUIRE(got.size() == 1);
  CHECK(got[0].props.payload_format_indicator == payload_format::utf8);

  publish raw = pub_packet("t/2", "\xFF", qos1, 4);  // no indicator: bytes are bytes
  h.send(pub, raw);
  CHECK(h.take_all<puback>(pub).at(0).reason == reason_code::success);
  CHECK(h.take_all<publish>(sub).size() == 1);
}

TEST_CASE("a publisher's topic aliases are never forwarded, a subscriber gets aliases only if it announced a maximum") {
  broker_harness h;
  auto plain = h.connect(make_connect("plain", v5));  // no Topic Alias Maximum
  h.send(plain, sub_packet(1, "long/#"));
  h.take(plain);
  auto c = make_connect("aliased", v5);
  c.props.topic_alias_maximum = 2;
  auto aliased = h.connect(c);
  h.send(aliased, sub_packet(1, "long/#"));
  h.take(aliased);

  auto pub = h.connect(make_connect("pub", v5));
  h.take(pub);
  publish first = pub_packet("long/topic/a", "1");
  first.props.topic_alias = 7;  // within the server's maximum (aws: 8)
  h.send(pub, first);
  publish again = pub_packet("", "2");
  again.props.topic_alias = 7;
  h.send(pub, again);

  auto got = h.take_all<publish>(plain);
  REQUIRE(got.size() == 2);
  for (const auto& p : got) {
    CHECK(p.topic == "long/topic/a");
    CHECK_FALSE(p.props.topic_alias);
  }
  got = h.take_all<publish>(aliased);
  REQUIRE(got.size() == 2);
  CHECK(got[0].topic == "long/topic/a");  // the alias is set with the topic…
  REQUIRE(got[0].props.topic_alias);
  CHECK(*got[0].props.topic_alias <= 2);  // …from the subscriber's own range, not the publisher's 7
  CHECK(got[1].topic.empty());            // …then used alone
  CHECK(got[1].props.topic_alias == got[0].props.topic_alias);
}
