// Codec round trips: every packet type, both protocol versions, properties of every kind, and
// byte-exact encodings checked against the spec's layouts.
#include "emulator/core/mqtt/encoder.hpp"

#include "codec_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {

properties all_publish_properties() {
  properties p;
  p.payload_format_indicator = payload_format::utf8;
  p.message_expiry_interval = 3600;
  p.content_type = "application/json";
  p.response_topic = "replies/dev-1";
  p.correlation_data = std::string("\x00\x01\xFF", 3);
  p.topic_alias = 3;
  p.subscription_identifiers = {1, 268'435'455};
  p.user_properties = {{"a", "1"}, {"b", "2"}, {"a", "3"}};  // order and duplicates kept
  return p;
}

void round_trip(const packet& p, protocol_version v) {
  CAPTURE(to_string(type_of(p)));
  CAPTURE(static_cast<int>(v));
  const auto b = encoded(p, v);
  // A server-side decoder learns the version from CONNECT; give it the version otherwise.
  const std::optional<protocol_version> known =
      std::holds_alternative<connect>(p) ? std::nullopt : std::optional(v);
  CHECK(decode_one(b, known) == p);
  // Any split decodes to the same packet.
  for (std::size_t chunk : {1U, 2U, 3U, 7U}) {
    auto rs = decode_all(b, known, chunk);
    REQUIRE(rs.size() == 1);
    REQUIRE(std::holds_alternative<packet>(rs[0]));
    CHECK(std::get<packet>(rs[0]) == p);
  }
}

}  // namespace

TEST_CASE("CONNECT round-trips in 3.1.1 and 5, with and without will, user name and password") {
  connect c311;
  c311.version = protocol_version::v311;
  c311.client_id = "dev-1";
  c311.clean_start = false;
  c311.keep_alive = 30;
  round_trip(c311, protocol_version::v311);

  c311.username = "user";
  c311.password = std::string("p\0w", 3);
  c311.will = will_message{"things/dev-1/status", "offline", qos1, true, {}};
  round_trip(c311, protocol_version::v311);

  connect c5;
  c5.version = protocol_version::v5;
  c5.client_id = "";
  c5.keep_alive = 0;
  c5.props.session_expiry_interval = 0xFFFFFFFF;
  c5.props.receive_maximum = 20;
  c5.props.maximum_packet_size = 1024;
  c5.props.topic_alias_maximum = 10;
  c5.props.request_response_information = true;
  c5.props.request_problem_information = false;
  c5.props.authentication_method = "none";
  c5.props.authentication_data = "xyz";
  c5.props.user_properties = {{"k", "v"}};
  c5.password = "no-user";  // MQTT 5 allows a password without a user name
  will_message w{"will/topic", "bye", qos2, false, all_publish_properties()};
  w.props.topic_alias.reset();
  w.props.subscription_identifiers.clear();
  w.props.will_delay_interval = 5;
  c5.will = w;
  round_trip(c5, protocol_version::v5);
}

TEST_CASE("CONNACK round-trips, 3.1.1 carries the return codes") {
  round_trip(connack{true, reason_code::success, {}}, protocol_version::v311);
  for (auto rc : {reason_code::unsupported_protocol_version, reason_code::client_identifier_not_valid,
                  reason_code::server_unavailable, reason_code::bad_user_name_or_password,
                  reason_code::not_authorized})
    round_trip(connack{false, rc, {}}, protocol_version::v311);

  connack a;
  a.session_present = true;
  a.props.session_expiry_interval = 3600;
  a.props.receive_maximum = 100;
  a.props.maximum_qos = 1;
  a.props.retain_available = true;
  a.props.maximum_packet_size = 131'072;
  a.props.assigned_client_identifier = "lambkin-1";
  a.props.topic_alias_maximum = 8;
  a.props.reason_string = "welcome";
  a.props.wildcard_subscription_available = true;
  a.props.subscription_identifier_available = false;
  a.props.shared_subscription_available = true;
  a.props.server_keep_alive = 1200;
  a.props.response_information = "resp";
  a.props.server_reference = "other";
  a.props.authentication_method = "m";
  a.props.authentication_data = "d";
  a.props.user_properties = {{"x", "y"}};
  round_trip(a, protocol_version::v5);
  round_trip(connack{false, reason_code::bad_authentication_method, {}}, protocol_version::v5);
}

TEST_CASE("PUBLISH round-trips at every QoS, with flags, empty payloads and all properties") {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    round_trip(publish{"a/b", "hello", qos0, false, false, 0, {}}, v);
    round_trip(publish{"a/b", "", qos1, true, true, 7, {}}, v);
    round_trip(publish{"t", std::string(300, 'x'), qos2, false, false, 65535, {}}, v);
  }
  round_trip(publish{"", "aliased", qos1, false, false, 9, all_publish_properties()}, protocol_version::v5);
}

TEST_CASE("PUBACK, PUBREC, PUBREL and PUBCOMP round-trip in their short and long forms") {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    round_trip(puback{1, reason_code::success, {}}, v);
    round_trip(pubrec{2, reason_code::success, {}}, v);
    round_trip(pubrel{3, reason_code::success, {}}, v);
    round_trip(pubcomp{65535, reason_code::success, {}}, v);
  }
  properties why;
  why.reason_string = "nope";
  why.user_properties = {{"k", "v"}};
  round_trip(puback{1, reason_code::no_matching_subscribers, {}}, protocol_version::v5);
  round_trip(puback{1, reason_code::quota_exceeded, why}, protocol_version::v5);
  round_trip(pubrec{1, reason_code::success, why}, protocol_version::v5);
  round_trip(pubrel{1, reason_code::packet_identifier_not_found, {}}, protocol_version::v5);
  round_trip(pubcomp{1, reason_code::packet_identifier_not_found, why}, protocol_version::v5);

  // Short forms: Success without properties is just the packet identifier.
  CHECK(encoded(puback{0x1234, reason_code::success, {}}, protocol_version::v5) == bytes{0x40, 0x02, 0x12, 0x34});
  CHECK(encoded(pubrel{1, reason_code::success, {}}, protocol_version::v5) == bytes{0x62, 0x02, 0x00, 0x01});
  CHECK(encoded(puback{1, reason_code::quota_exceeded, {}}, protocol_version::v5) ==
        bytes{0x40, 0x03, 0x00, 0x01, 0x97});
  // 3.1.1 drops the reason code.
  CHECK(encoded(puback{1, reason_code::quota_exceeded, why}, protocol_version::v311) == bytes{0x40, 0x02, 0x00, 0x01});
}

TEST_CASE("SUBSCRIBE and SUBACK round-trip with every subscription option") {
  subscribe s311{10, {{"a/+", {qos0, false, false, retain_handling::send_on_subscribe}},
                      {"b/#", {qos2, false, false, retain_handling::send_on_subscribe}}}, {}};
  round_trip(s311, protocol_version::v311);
  round_trip(suback{10, {reason_code::granted_qos_0, reason_code::granted_qos_2, reason_code::unspecified_error}, {}},
             protocol_version::v311);

  subscribe s5{11, {{"$share/g/x", {qos1, false, true, retain_handling::send_if_new}},
                    {"y", {qos2, true, false, retain_handling::dont_send}}}, {}};
  s5.props.subscription_identifiers = {42};
  s5.props.user_properties = {{"u", "p"}};
  round_trip(s5, protocol_version::v5);
  properties why;
  why.reason_string = "r";
  round_trip(suback{11, {reason_code::granted_qos_1, reason_code::shared_subscriptions_not_supported}, why},
             protocol_version::v5);

  // 3.1.1 SUBACK failure is 0x80 whatever the MQTT 5 reason.
  CHECK(encoded(suback{1, {reason_code::topic_filter_invalid}, {}}, protocol_version::v311) ==
        bytes{0x90, 0x03, 0x00, 0x01, 0x80});
}

TEST_CASE("UNSUBSCRIBE and UNSUBACK round-trip, the 3.1.1 UNSUBACK has no reason codes") {
  round_trip(unsubscribe{5, {"a", "b/+", "#"}, {}}, protocol_version::v311);
  round_trip(unsubscribe{5, {"a"}, {}}, protocol_version::v5);
  round_trip(unsuback{5, {}, {}}, protocol_version::v311);
  round_trip(unsuback{5, {reason_code::success, reason_code::no_subscription_existed}, {}}, protocol_version::v5);
  CHECK(encoded(unsuback{5, {reason_code::success}, {}}, protocol_version::v311) == bytes{0xB0, 0x02, 0x00, 0x05});
}

TEST_CASE("PINGREQ, PINGRESP, DISCONNECT and AUTH round-trip") {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    round_trip(pingreq{}, v);
    round_trip(pingresp{}, v);
    round_trip(disconnect{}, v);
  }
  CHECK(encoded(pingreq{}, protocol_version::v5) == bytes{0xC0, 0x00});
  CHECK(encoded(pingresp{}, protocol_version::v311) == bytes{0xD0, 0x00});
  CHECK(encoded(disconnect{}, protocol_version::v5) == bytes{0xE0, 0x00});

  disconnect d{reason_code::session_taken_over, {}};
  d.props.reason_string = "another connection";
  d.props.session_expiry_interval = 0;
  d.props.server_reference = "elsewhere";
  round_trip(d, protocol_version::v5);
  round_trip(disconnect{reason_code::disconnect_with_will_message, {}}, protocol_version::v5);
  CHECK(encoded(disconnect{reason_code::session_taken_over, {}}, protocol_version::v311) == bytes{0xE0, 0x00});

  round_trip(auth{}, protocol_version::v5);
  auth a{reason_code::continue_authentication, {}};
  a.props.authentication_method = "SCRAM";
  a.props.authentication_data = "abc";
  round_trip(a, protocol_version::v5);
  bytes out;
  CHECK(encode(auth{}, protocol_version::v311, out) == errc::protocol_error);
  CHECK(out.empty());
}

TEST_CASE("a 3.1.1 CONNECT is byte-exact, and properties are dropped for 3.1.1") {
  connect c;
  c.version = protocol_version::v311;
  c.client_id = "ab";
  c.keep_alive = 60;
  c.props.session_expiry_interval = 10;  // not on a 3.1.1 wire
  const bytes expected{0x10, 0x0E, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x02, 'a', 'b'};
  CHECK(encoded(c, protocol_version::v311) == expected);

  publish p{"t", "x", qos0, false, false, 0, all_publish_properties()};
  CHECK(encoded(p, protocol_version::v311) == bytes{0x30, 0x04, 0x00, 0x01, 't', 'x'});
}

TEST_CASE("Remaining Length uses 1 to 4 bytes at the spec's boundaries") {
  for (std::uint32_t payload : {0U, 122U, 123U, 16'379U, 16'380U, 2'097'148U}) {
    CAPTURE(payload);
    publish p{"t", std::string(payload, 'x'), qos0, false, false, 0, {}};
    const auto b = encoded(p, protocol_version::v311);
    const std::uint32_t remaining = payload + 3;
    const std::size_t len_bytes = remaining < 128 ? 1 : remaining < 16'384 ? 2 : remaining < 2'097'152 ? 3 : 4;
    CHECK(b.size() == 1 + len_bytes + remaining);
    CHECK(decode_one(b, protocol_version::v311) == packet{p});
  }
}

TEST_CASE("encoding refuses strings past 65,535 bytes and leaves the output alone") {
  bytes out{0xAA};
  CHECK(encode(publish{std::string(70'000, 'a'), "x", qos0, false, false, 0, {}}, protocol_version::v5, out) ==
        errc::packet_too_large);
  CHECK(out == bytes{0xAA});
  CHECK(encoded_size(publish{std::string(70'000, 'a'), "x", qos0, false, false, 0, {}}, protocol_version::v5) == 0);
}
