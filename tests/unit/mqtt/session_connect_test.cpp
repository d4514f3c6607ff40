// CONNECT: the checks before a session is chosen, and what the CONNACK negotiates.
#include "emulator/core/mqtt/session.hpp"

#include "session_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;
}  // namespace

TEST_CASE("check_connect refuses what AWS refuses, with the reason code to send") {
  const profile aws;
  CHECK_FALSE(check_connect(make_connect("dev-1"), aws));
  CHECK(check_connect(make_connect(std::string(129, 'c')), aws)->reason == reason_code::client_identifier_not_valid);
  CHECK_FALSE(check_connect(make_connect(std::string(129, 'c')), profile::standard()));

  // Empty client ids: 3.1.1 only with Clean Session; otherwise the broker assigns one.
  CHECK_FALSE(check_connect(make_connect("", v311, true), aws));
  CHECK(check_connect(make_connect("", v311, false), aws)->reason == reason_code::client_identifier_not_valid);
  CHECK_FALSE(check_connect(make_connect("", v5, false), aws));
  profile no_assign;
  no_assign.assign_client_ids = false;
  CHECK(check_connect(make_connect("", v5), no_assign)->reason == reason_code::client_identifier_not_valid);

  auto c = make_connect("dev-1");
  c.props.authentication_method = "SCRAM-SHA-1";
  CHECK(check_connect(c, aws)->reason == reason_code::bad_authentication_method);

  auto with_will = [](std::string topic, qos_level q = qos0, bool retain = false, std::size_t size = 3) {
    auto w = make_connect("dev-1");
    w.will = will_message{std::move(topic), std::string(size, 'x'), q, retain, {}};
    return w;
  };
  CHECK_FALSE(check_connect(with_will("things/dev-1/status", qos1, true), aws));
  CHECK(check_connect(with_will("a/+"), aws)->reason == reason_code::topic_name_invalid);
  CHECK(check_connect(with_will("a/b/c/d/e/f/g/h/i"), aws)->reason == reason_code::topic_name_invalid);
  CHECK(check_connect(with_will("$aws/events/presence/connected/x"), aws)->reason == reason_code::not_authorized);
  CHECK(check_connect(with_will("w", qos2), aws)->reason == reason_code::qos_not_supported);
  CHECK_FALSE(check_connect(with_will("w", qos2), profile::standard()));
  CHECK(check_connect(with_will("w", qos0, false, 128 * 1024 + 1), aws)->reason == reason_code::packet_too_large);
}

TEST_CASE("a 3.1.1 clean CONNECT gets a plain CONNACK and a keep-alive timer at 1.5 × keep-alive") {
  session_fixture f;
  auto out = f.connect(make_connect("dev-1", v311, true, 60));
  auto ack = one<connack>(out);
  CHECK_FALSE(ack.session_present);
  CHECK(ack.reason == reason_code::success);
  CHECK(one<arm_timer>(out).kind == timer_kind::keep_alive);
  CHECK(one<arm_timer>(out).deadline == f.clock.now() + seconds(90));
  CHECK(f.s.connected());
  CHECK(f.s.version() == v311);
  CHECK(f.s.session_expiry() == 0);
}

TEST_CASE("AWS clamps keep-alive to 30–1200 s (0 → 1200) and says so in MQTT 5's Server Keep Alive") {
  struct row { std::uint16_t requested, granted; };
  for (auto r : {row{0, 1200}, row{5, 30}, row{29, 30}, row{30, 30}, row{600, 600}, row{1200, 1200}, row{5000, 1200}}) {
    CAPTURE(r.requested);
    session_fixture f;
    auto out = f.connect(make_connect("dev-1", v5, true, r.requested));
    CHECK(f.s.keep_alive() == r.granted);
    auto ack = one<connack>(out);
    if (r.granted == r.requested) CHECK_FALSE(ack.props.server_keep_alive);
    else CHECK(ack.props.server_keep_alive == r.granted);
    CHECK(one<arm_timer>(out).deadline == f.clock.now() + milliseconds(r.granted * 1500));
  }
  // The standard profile keeps what the client asked; 0 disables keep-alive.
  session_fixture s(profile::standard());
  auto out = s.connect(make_connect("dev-1", v5, true, 0));
  CHECK(s.s.keep_alive() == 0);
  CHECK(count<arm_timer>(out) == 0);
  CHECK_FALSE(one<connack>(out).props.server_keep_alive);
}

TEST_CASE("the MQTT 5 CONNACK announces the aws profile's limits and features") {
  session_fixture f;
  auto c = make_connect("", v5);
  auto ack = one<connack>(f.connect(c, false, "lambkin-1"));
  CHECK(ack.props.receive_maximum == 100);
  CHECK(ack.props.maximum_qos == 1);
  CHECK_FALSE(ack.props.retain_available);  // absent = available
  CHECK(ack.props.maximum_packet_size == 256 * 1024);
  CHECK(ack.props.topic_alias_maximum == 8);
  CHECK(ack.props.subscription_identifier_available == false);
  CHECK_FALSE(ack.props.shared_subscription_available);
  CHECK(ack.props.assigned_client_identifier == "lambkin-1");

  session_fixture s(profile::standard());
  auto std_ack = one<connack>(s.connect(make_connect("x", v5)));
  CHECK_FALSE(std_ack.props.maximum_qos);
  CHECK_FALSE(std_ack.props.subscription_identifier_available);
  CHECK(std_ack.props.topic_alias_maximum == 10);
  // A 3.1.1 CONNACK has no properties.
  session_fixture old;
  CHECK(one<connack>(old.connect(make_connect("x", v311))).props.empty());
}

TEST_CASE("Session Expiry: 3.1.1 from Clean Session, MQTT 5 from the property, capped at AWS's 1 hour") {
  session_fixture persistent;
  persistent.connect(make_connect("a", v311, false));
  CHECK(persistent.s.session_expiry() == 3600);

  session_fixture standard311(profile::standard());
  standard311.connect(make_connect("a", v311, false));
  CHECK(standard311.s.session_expiry() == 0xFFFFFFFF);  // 3.1.1: the session never expires

  session_fixture v5_long;
  auto c = make_connect("a", v5, false);
  c.props.session_expiry_interval = 7200;
  auto ack = one<connack>(v5_long.connect(c));
  CHECK(v5_long.s.session_expiry() == 3600);
  CHECK(ack.props.session_expiry_interval == 3600u);

  session_fixture v5_short;
  c.props.session_expiry_interval = 60;
  CHECK_FALSE(one<connack>(v5_short.connect(c)).props.session_expiry_interval);
  CHECK(v5_short.s.session_expiry() == 60);
}

TEST_CASE("a second CONNECT is a protocol error, PINGREQ gets PINGRESP, server packets are refused") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  CHECK(count<pingresp>(f.receive(pingreq{})) == 1);
  auto out = f.receive(make_connect("dev-1", v5));
  CHECK(one<disconnect>(out).reason == reason_code::protocol_error);
  CHECK(one<close_connection>(out).reason == disconnect_reason::client_error);
  CHECK_FALSE(f.s.connected());
  CHECK(f.s.ended());  // Session Expiry 0

  session_fixture g;
  g.connect(make_connect("dev-2", v311));
  out = g.receive(suback{1, {reason_code::success}, {}});
  CHECK(count<disconnect>(out) == 0);  // 3.1.1: just close
  CHECK(one<close_connection>(out).error == errc::protocol_error);

  session_fixture h;
  h.connect(make_connect("dev-3", v5));
  CHECK(one<disconnect>(h.receive(auth{})).reason == reason_code::protocol_error);
}

TEST_CASE("a decode error becomes a DISCONNECT with its reason code (MQTT 5) and a close") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  auto out = f.run([&](auto& o) { f.s.on_decode_error(errc::packet_too_large, "too big", f.clock.now(), o); });
  auto d = one<disconnect>(out);
  CHECK(d.reason == reason_code::packet_too_large);
  CHECK(d.props.reason_string == "too big");
  CHECK(one<close_connection>(out).error == errc::packet_too_large);
}
