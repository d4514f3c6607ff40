// What a persistent session reports between snapshots (session_snapshot.hpp): per-message deltas
// and "head changed", and the parts of a snapshot added for restarts (inbound QoS 2 ids, the Will
// and when it is due). Driven through the broker with the fake clock.
#include "emulator/core/mqtt/broker.hpp"

#include "broker_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v5 = protocol_version::v5;
using kind = message_change::kind;

connect persistent(std::string id, std::uint32_t expiry = 600) {
  auto c = make_connect(std::move(id), v5, false);
  c.props.session_expiry_interval = expiry;
  return c;
}

/// The journal reported for `id` (merged if it appears more than once), and whether it appeared.
std::pair<session_journal, bool> journal_of(broker& b, const std::string& id) {
  session_journal j;
  bool seen = false;
  for (auto& c : b.take_session_changes()) {
    if (c.client_id != id) continue;
    seen = true;
    j.head_changed = j.head_changed || c.journal.head_changed;
    for (auto& m : c.journal.messages) j.messages.push_back(std::move(m));
  }
  return {std::move(j), seen};
}

std::vector<kind> kinds(const session_journal& j) {
  std::vector<kind> out;
  for (const auto& m : j.messages) out.push_back(m.what);
  return out;
}
}  // namespace

TEST_CASE("journal: a QoS 1 message is added when sent (with its packet id) or queued, removed when acknowledged") {
  broker_harness h;
  h.b.track_session_changes(true);
  auto sub = h.connect(persistent("reader"));
  h.send(sub, sub_packet(1, "t/#", qos1));
  h.take(sub);
  auto [first, seen] = journal_of(h.b, "reader");
  CHECK(seen);
  CHECK(first.messages.empty());  // journaling started with the session's first report: a whole write

  h.send(sub, sub_packet(2, "u/#", qos1));
  CHECK(journal_of(h.b, "reader").first.head_changed);  // a subscription is head

  auto pub = h.connect(make_connect("pub", v5));
  h.send(pub, pub_packet("t/a", "one", qos1, 5));
  auto sent = h.take_all<publish>(sub);
  REQUIRE(sent.size() == 1);
  auto j = journal_of(h.b, "reader").first;
  CHECK_FALSE(j.head_changed);  // a delivery changes messages only
  REQUIRE(kinds(j) == std::vector<kind>{kind::added});
  CHECK(j.messages[0].message.packet_id == sent[0].packet_id);
  CHECK(j.messages[0].message.msg->payload == "one");
  const auto seq = j.messages[0].seq;
  CHECK(seq != 0);

  h.send(sub, puback{sent[0].packet_id, reason_code::success, {}});
  j = journal_of(h.b, "reader").first;
  REQUIRE(kinds(j) == std::vector<kind>{kind::removed});
  CHECK(j.messages[0].seq == seq);

  // Offline: queued (packet id 0), then sent on reconnect under the same number.
  h.drop(sub);
  h.send(pub, pub_packet("t/a", "two", qos1, 6));
  j = journal_of(h.b, "reader").first;
  CHECK(j.head_changed);  // went offline
  REQUIRE(kinds(j) == std::vector<kind>{kind::added});
  CHECK(j.messages[0].message.packet_id == 0);
  CHECK(j.messages[0].seq > seq);
  const auto queued = j.messages[0].seq;
  auto again = h.connect(persistent("reader"));
  const auto resent = h.take_all<publish>(again);
  REQUIRE(resent.size() == 1);
  j = journal_of(h.b, "reader").first;
  REQUIRE(kinds(j) == std::vector<kind>{kind::sent});
  CHECK(j.messages[0].seq == queued);
  CHECK(j.messages[0].packet_id == resent[0].packet_id);
}

TEST_CASE("journal: QoS 2 out is released on PUBREC and removed on PUBCOMP, an expired queued message is removed") {
  broker_harness h(profile::standard());
  h.b.track_session_changes(true);
  auto sub = h.connect(persistent("reader"));
  h.send(sub, sub_packet(1, "t/#", qos2));
  journal_of(h.b, "reader");
  auto pub = h.connect(make_connect("pub", v5));
  h.send(pub, pub_packet("t/a", "two", qos2, 5));
  h.send(pub, pubrel{5, reason_code::success, {}});
  const auto sent = h.take_all<publish>(sub);
  REQUIRE(sent.size() == 1);
  h.send(sub, pubrec{sent[0].packet_id, reason_code::success, {}});
  h.send(sub, pubcomp{sent[0].packet_id, reason_code::success, {}});
  CHECK(kinds(journal_of(h.b, "reader").first) == std::vector<kind>{kind::added, kind::released, kind::removed});

  h.drop(sub);
  auto p = pub_packet("t/a", "short-lived", qos1, 6);
  p.props.message_expiry_interval = 5;
  h.send(pub, p);
  h.advance(seconds(10));
  auto again = h.connect(persistent("reader"));
  CHECK(h.take_all<publish>(again).empty());
  CHECK(kinds(journal_of(h.b, "reader").first) == std::vector<kind>{kind::added, kind::removed});
}

TEST_CASE("a publisher's QoS 1 PUBLISH changes nothing it must store, its inbound QoS 2 ids are head") {
  broker_harness h(profile::standard());
  h.b.track_session_changes(true);
  auto pub = h.connect(persistent("pub"));
  journal_of(h.b, "pub");
  h.send(pub, pub_packet("t/a", "x", qos1, 3));
  auto j = journal_of(h.b, "pub").first;
  CHECK_FALSE(j.head_changed);
  CHECK(j.messages.empty());

  h.send(pub, pub_packet("t/a", "y", qos2, 4));
  CHECK(journal_of(h.b, "pub").first.head_changed);
  CHECK(h.b.find_session("pub")->snapshot().inbound_qos2 == std::vector<std::uint16_t>{4});
  h.send(pub, pubrel{4, reason_code::success, {}});
  CHECK(journal_of(h.b, "pub").first.head_changed);
  CHECK(h.b.find_session("pub")->snapshot().inbound_qos2.empty());
}

TEST_CASE("a restored inbound QoS 2 id: the re-sent PUBLISH is acknowledged, not routed, the PUBREL completes it") {
  broker_harness before(profile::standard());
  auto pub = before.connect(persistent("pub"));
  before.send(pub, pub_packet("t/a", "once", qos2, 9));
  CHECK(before.take_all<pubrec>(pub).size() == 1);
  auto snapshot = before.b.find_session("pub")->snapshot();
  REQUIRE(snapshot.inbound_qos2 == std::vector<std::uint16_t>{9});

  broker_harness after(profile::standard());
  after.run([&](auto& out) { CHECK(after.b.restore_session(snapshot, after.clock.now(), out)); });
  auto sub = after.connect(make_connect("sub", v5));
  after.send(sub, sub_packet(1, "t/#", qos2));
  after.take(sub);
  auto again = after.connect(persistent("pub"));
  after.take(again);
  auto dup = pub_packet("t/a", "once", qos2, 9);
  dup.dup = true;
  after.send(again, dup);
  const auto rec = after.take_all<pubrec>(again);
  REQUIRE(rec.size() == 1);
  CHECK(rec[0].reason == reason_code::success);
  CHECK(after.take_all<publish>(sub).empty());  // routed before the restart, not again
  after.send(again, pubrel{9, reason_code::success, {}});
  const auto comp = after.take_all<pubcomp>(again);
  REQUIRE(comp.size() == 1);
  CHECK(comp[0].reason == reason_code::success);
}

TEST_CASE("a restored Will is published when due (unless the client is back first), and only once") {
  broker_harness before;
  auto c = make_connect("dev", v5, false);
  c.props.session_expiry_interval = 600;
  c.will = will_message{"wills/dev", std::string("gone"), qos1, false, {}};
  c.will->props.will_delay_interval = 30;
  auto conn = before.connect(c);
  auto snapshot = before.b.find_session("dev")->snapshot();
  REQUIRE(snapshot.will.has_value());
  CHECK(snapshot.connected);
  CHECK_FALSE(snapshot.will_at.has_value());  // connected: the shell decides when the connection was lost
  (void)conn;

  SUBCASE("due: published at its time, to a session restored beside it") {
    broker_harness after;
    auto restored = snapshot;
    restored.will_at = after.clock.now() + seconds(10);
    after.run([&](auto& out) { CHECK(after.b.restore_session(restored, after.clock.now(), out)); });
    CHECK(after.timers.size() == 1);  // the Will (the session never expires here)
    auto watcher = after.connect(make_connect("watcher", v5));
    after.send(watcher, sub_packet(1, "wills/#", qos1));
    after.take(watcher);
    after.advance(seconds(9));
    CHECK(after.take_all<publish>(watcher).empty());
    after.advance(seconds(1));
    const auto wills = after.take_all<publish>(watcher);
    REQUIRE(wills.size() == 1);
    CHECK(wills[0].payload == "gone");
    CHECK_FALSE(after.b.find_session("dev")->snapshot().will.has_value());  // published: gone from the head
    after.advance(seconds(100));
    CHECK(after.take_all<publish>(watcher).empty());
  }
  SUBCASE("the client reconnects before the delay: no Will") {
    broker_harness after;
    auto restored = snapshot;
    restored.will_at = after.clock.now() + seconds(10);
    after.run([&](auto& out) { after.b.restore_session(restored, after.clock.now(), out); });
    auto watcher = after.connect(make_connect("watcher", v5));
    after.send(watcher, sub_packet(1, "wills/#", qos1));
    after.take(watcher);
    auto back = make_connect("dev", v5, false);
    back.props.session_expiry_interval = 600;
    after.connect(back);
    after.advance(seconds(100));
    CHECK(after.take_all<publish>(watcher).empty());
  }
  SUBCASE("the session ends before the Will is due: the Will goes out with the end") {
    broker_harness after;
    auto restored = snapshot;
    restored.will_at = after.clock.now() + seconds(10);
    restored.expires_at = after.clock.now();
    after.run([&](auto& out) { after.b.restore_session(restored, after.clock.now(), out); });
    auto watcher = after.connect(make_connect("watcher", v5));
    after.send(watcher, sub_packet(1, "wills/#", qos1));
    after.take(watcher);
    after.advance(seconds(0));
    CHECK(after.take_all<publish>(watcher).size() == 1);
    CHECK(after.b.find_session("dev") == nullptr);
  }
}
