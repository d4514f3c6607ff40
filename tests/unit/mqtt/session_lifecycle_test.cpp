// Connected → offline → ended: keep-alive on the fake clock, wills (normal DISCONNECT vs abnormal
// close, reason 0x04, Will Delay), session expiry, and being taken over.
#include "emulator/core/mqtt/session.hpp"

#include "session_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

connect with_will(protocol_version v, std::uint32_t will_delay = 0, std::uint32_t session_expiry = 0) {
  auto c = make_connect("dev-1", v, session_expiry == 0);
  c.will = will_message{"things/dev-1/status", "offline", qos1, true, {}};
  if (will_delay != 0) c.will->props.will_delay_interval = will_delay;
  if (v == v5 && session_expiry != 0) c.props.session_expiry_interval = session_expiry;
  return c;
}
}  // namespace

TEST_CASE("keep-alive: the timer is re-armed from the last packet and fires after 1.5 × keep-alive of silence") {
  session_fixture f;
  auto c = with_will(v5);
  c.keep_alive = 60;
  auto out = f.connect(c);
  CHECK(one<arm_timer>(out).deadline == f.clock.now() + seconds(90));

  f.clock.advance(seconds(50));
  CHECK(f.receive(pingreq{}).size() == 1);  // PINGRESP only: no timer command per packet
  f.clock.advance(seconds(40));             // t = 90: the first deadline
  out = f.timer(timer_kind::keep_alive);
  CHECK(one<arm_timer>(out).deadline == f.clock.now() + seconds(50));  // 50 + 90 = 140
  CHECK(f.s.connected());

  f.clock.advance(seconds(50));  // t = 140, silent since t = 50
  out = f.timer(timer_kind::keep_alive);
  CHECK(one<disconnect>(out).reason == reason_code::keep_alive_timeout);
  CHECK(one<close_connection>(out).reason == disconnect_reason::keep_alive_timeout);
  CHECK(one<publish_will>(out).msg->topic == "things/dev-1/status");  // abnormal: the will goes out
  CHECK(f.s.ended());
  // A late firing changes nothing.
  CHECK(f.timer(timer_kind::keep_alive).empty());
}

TEST_CASE("a normal DISCONNECT discards the will, a lost connection publishes it") {
  session_fixture normal;
  normal.connect(with_will(v311));
  auto out = normal.receive(disconnect{});
  CHECK(one<close_connection>(out).reason == disconnect_reason::client_initiated);
  CHECK(count<publish_will>(out) == 0);
  CHECK(count<session_ended>(out) == 1);

  session_fixture lost;
  lost.connect(with_will(v311));
  out = lost.closed();
  CHECK(count<close_connection>(out) == 0);  // the socket is already gone
  auto will = one<publish_will>(out).msg;
  CHECK(will->payload == "offline");
  CHECK(will->qos == qos1);
  CHECK(will->retain);
  CHECK(count<session_ended>(out) == 1);
}

TEST_CASE("MQTT 5 DISCONNECT 0x04 asks for the will, a protocol error publishes it too") {
  session_fixture f;
  f.connect(with_will(v5));
  auto out = f.receive(disconnect{reason_code::disconnect_with_will_message, {}});
  CHECK(count<publish_will>(out) == 1);

  session_fixture g;
  g.connect(with_will(v5));
  out = g.receive(make_connect("dev-1", v5));  // second CONNECT
  CHECK(count<publish_will>(out) == 1);
}

TEST_CASE("Will Delay: the will waits, a reconnection in time cancels it") {
  session_fixture f;
  f.connect(with_will(v5, /*will_delay=*/10, /*session_expiry=*/300));
  auto out = f.closed();
  CHECK(count<publish_will>(out) == 0);
  auto timers = all<arm_timer>(out);
  REQUIRE(timers.size() == 2);
  CHECK(timers[0].kind == timer_kind::will_delay);
  CHECK(timers[0].deadline == f.clock.now() + seconds(10));
  CHECK(timers[1].kind == timer_kind::session_expiry);
  f.clock.advance(seconds(10));
  CHECK(one<publish_will>(f.timer(timer_kind::will_delay)).msg->topic == "things/dev-1/status");
  CHECK(f.timer(timer_kind::will_delay).empty());

  session_fixture g;
  g.connect(with_will(v5, 10, 300));
  g.closed();
  g.clock.advance(seconds(5));
  out = g.connect(with_will(v5, 10, 300), true);
  auto cancelled = all<cancel_timer>(out);
  REQUIRE(cancelled.size() == 2);
  CHECK(cancelled[0].kind == timer_kind::will_delay);
  CHECK(cancelled[1].kind == timer_kind::session_expiry);
  g.clock.advance(seconds(5));
  CHECK(g.timer(timer_kind::will_delay).empty());  // stale firing
}

TEST_CASE("a session that ends before its Will Delay publishes the will then") {
  session_fixture f;
  f.connect(with_will(v5, /*will_delay=*/100, /*session_expiry=*/30));
  f.closed();
  f.clock.advance(seconds(30));
  auto out = f.timer(timer_kind::session_expiry);
  CHECK(count<publish_will>(out) == 1);
  CHECK(one<cancel_timer>(out).kind == timer_kind::will_delay);
  CHECK(count<session_ended>(out) == 1);
  CHECK(f.s.ended());
  CHECK(f.deliver(msg("a", "x")).empty());  // an ended session takes nothing
}

TEST_CASE("session expiry: 0 ends at disconnect, otherwise the session waits, then ends") {
  session_fixture zero;
  zero.connect(make_connect("dev-1", v5));
  CHECK(count<session_ended>(zero.closed()) == 1);

  session_fixture f;
  auto c = make_connect("dev-1", v5, false);
  c.props.session_expiry_interval = 120;
  f.connect(c);
  auto out = f.closed();
  CHECK(one<arm_timer>(out).deadline == f.clock.now() + seconds(120));
  CHECK_FALSE(f.s.ended());
  f.clock.advance(seconds(120));
  CHECK(count<session_ended>(f.timer(timer_kind::session_expiry)) == 1);

  // "Never" (0xFFFFFFFF, standard profile) arms nothing.
  session_fixture never(profile::standard());
  c.props.session_expiry_interval = 0xFFFFFFFF;
  never.connect(c);
  out = never.closed();
  CHECK(count<arm_timer>(out) == 0);
  CHECK(count<session_ended>(out) == 0);
}

TEST_CASE("MQTT 5 DISCONNECT may change the Session Expiry, but not from 0") {
  session_fixture f;
  auto c = make_connect("dev-1", v5, false);
  c.props.session_expiry_interval = 60;
  f.connect(c);
  disconnect d;
  d.props.session_expiry_interval = 0;
  auto out = f.receive(d);
  CHECK(count<session_ended>(out) == 1);

  session_fixture g;
  g.connect(make_connect("dev-1", v5));
  d.props.session_expiry_interval = 60;
  out = g.receive(d);
  CHECK(one<disconnect>(out).reason == reason_code::protocol_error);
}

TEST_CASE("taken over: DISCONNECT 0x8E (MQTT 5) and a close, 3.1.1 just closes") {
  session_fixture f;
  auto c = make_connect("dev-1", v5, false);
  c.props.session_expiry_interval = 60;
  f.connect(c);
  auto out = f.run([&](auto& o) { f.s.on_taken_over(f.clock.now(), o); });
  CHECK(one<disconnect>(out).reason == reason_code::session_taken_over);
  CHECK(one<close_connection>(out).reason == disconnect_reason::duplicate_client_id);
  CHECK_FALSE(f.s.connected());
  CHECK_FALSE(f.s.ended());  // the broker resumes or ends it

  session_fixture g;
  g.connect(make_connect("dev-1", v311));
  out = g.run([&](auto& o) { g.s.on_taken_over(g.clock.now(), o); });
  CHECK(count<disconnect>(out) == 0);
  CHECK(one<close_connection>(out).error == errc::session_taken_over);
}

TEST_CASE("disconnect reasons read like AWS's lifecycle events") {
  CHECK(to_string(disconnect_reason::client_initiated) == "CLIENT_INITIATED_DISCONNECT");
  CHECK(to_string(disconnect_reason::duplicate_client_id) == "DUPLICATE_CLIENTID");
  CHECK(to_string(disconnect_reason::keep_alive_timeout) == "MQTT_KEEP_ALIVE_TIMEOUT");
  CHECK(to_string(disconnect_reason::connection_lost) == "CONNECTION_LOST");
}
