// Persistent sessions across a broker restart, as the core sees it: a snapshot taken from one
// broker and restored into a new one (the shell's storage in between is io's business).
#include "emulator/core/mqtt/broker.hpp"

#include "broker_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

std::vector<std::string> ids(const std::vector<session_change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.client_id);
  return out;
}

connect persistent(std::string id, protocol_version v, std::uint32_t expiry = 0) {
  auto c = make_connect(std::move(id), v, false);
  if (v == v5) c.props.session_expiry_interval = expiry;
  return c;
}
}  // namespace

TEST_CASE("a persistent session's subscriptions, in-flight and queued QoS 1 messages survive a broker restart") {
  broker_harness before;
  before.b.track_session_changes(true);
  auto sub = before.connect(persistent("sensor-reader", v311));
  before.send(sub, sub_packet(1, "things/+/temperature", qos1));
  before.take(sub);
  auto dev = before.connect(make_connect("dev-1", v311));
  before.send(dev, pub_packet("things/dev-1/temperature", "one", qos1, 7));
  auto first = before.take_all<publish>(sub);
  REQUIRE(first.size() == 1);  // sent, never acknowledged
  before.drop(sub);
  before.send(dev, pub_packet("things/dev-1/temperature", "two", qos1, 8));  // queued while offline

  auto changed = ids(before.b.take_session_changes());
  CHECK(std::find(changed.begin(), changed.end(), "sensor-reader") != changed.end());
  const auto* s = before.b.find_session("sensor-reader");
  REQUIRE(s != nullptr);
  const auto snapshot = s->snapshot();
  CHECK_FALSE(snapshot.connected);
  REQUIRE(snapshot.expires_at.has_value());  // aws profile: 3.1.1 persistent sessions live 3600 s
  CHECK(*snapshot.expires_at == before.clock.now() + seconds(3600));
  REQUIRE(snapshot.messages.size() == 2);
  CHECK(snapshot.messages[0].packet_id == first[0].packet_id);
  CHECK(snapshot.messages[1].packet_id == 0);

  broker_harness after;
  auto restored = snapshot;
  restored.expires_at = after.clock.now() + seconds(100);
  after.run([&](auto& out) { CHECK(after.b.restore_session(restored, after.clock.now(), out)); });
  CHECK(after.timers.size() == 1);  // its expiry
  CHECK(after.b.subscription_count() == 1);

  // A message published after the restart joins the queue behind the restored ones.
  auto dev2 = after.connect(make_connect("dev-1", v311));
  after.send(dev2, pub_packet("things/dev-1/temperature", "three", qos1, 9));
  auto again = after.connect(persistent("sensor-reader", v311));
  const auto packets = after.take(again);
  REQUIRE_FALSE(packets.empty());
  REQUIRE(std::holds_alternative<connack>(packets[0]));
  CHECK(std::get<connack>(packets[0]).session_present);
  std::vector<publish> got;
  for (const auto& p : packets)
    if (const auto* pub = std::get_if<publish>(&p)) got.push_back(*pub);
  REQUIRE(got.size() == 3);
  CHECK(got[0].payload == "one");
  CHECK(got[0].dup);  // re-sent with its packet id
  CHECK(got[0].packet_id == first[0].packet_id);
  CHECK(got[1].payload == "two");
  CHECK_FALSE(got[1].dup);
  CHECK(got[1].packet_id != got[0].packet_id);
  CHECK(got[2].payload == "three");
}

TEST_CASE("a restored session expires at its restored deadline, and its end is reported as a change") {
  broker_harness before;
  auto c = before.connect(persistent("short", v5, 30));
  before.send(c, sub_packet(1, "a/b", qos1));
  before.drop(c);
  auto snapshot = before.b.find_session("short")->snapshot();
  CHECK(snapshot.session_expiry == 30);

  broker_harness after;
  snapshot.expires_at = after.clock.now() + seconds(5);  // 25 s passed while the broker was down
  after.run([&](auto& out) { after.b.restore_session(snapshot, after.clock.now(), out); });
  after.b.track_session_changes(true);
  after.advance(seconds(4));
  CHECK(after.b.find_session("short") != nullptr);
  after.advance(seconds(1));
  CHECK(after.b.find_session("short") == nullptr);
  CHECK(after.b.subscription_count() == 0);
  CHECK(ids(after.b.take_session_changes()) == std::vector<std::string>{"short"});
  auto back = after.connect(persistent("short", v5, 30));
  CHECK_FALSE(after.take_all<connack>(back).at(0).session_present);
}

TEST_CASE("sessions that never persist are never reported as changed") {
  broker_harness h;
  h.b.track_session_changes(true);
  auto clean = h.connect(make_connect("clean", v311));
  h.send(clean, sub_packet(1, "a/b", qos1));
  h.send(clean, pub_packet("a/b", "x", qos1, 3));
  h.drop(clean);
  CHECK(h.b.take_session_changes().empty());
  auto kept = h.connect(persistent("kept", v5, 60));
  auto changed = ids(h.b.take_session_changes());
  CHECK(changed == std::vector<std::string>{"kept"});
  // MQTT 5 DISCONNECT may set the expiry to 0: the end of a once-persistent session is reported.
  disconnect d{reason_code::success, {}};
  d.props.session_expiry_interval = 0;
  h.send(kept, d);
  changed = ids(h.b.take_session_changes());
  CHECK(std::find(changed.begin(), changed.end(), "kept") != changed.end());
  CHECK(h.b.find_session("kept") == nullptr);
}

TEST_CASE("restoring refuses a client id that already has a session") {
  broker_harness h;
  auto c = h.connect(persistent("taken", v5, 60));
  auto snapshot = h.b.find_session("taken")->snapshot();
  h.run([&](auto& out) { CHECK_FALSE(h.b.restore_session(snapshot, h.clock.now(), out)); });
  CHECK_FALSE(h.closed(c));
}
