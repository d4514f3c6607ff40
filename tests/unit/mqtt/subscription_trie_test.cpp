// The subscription trie: wildcards, `$` topics, both `#` rules, merging per session, No Local,
// Subscription Identifiers, shared groups taking turns, and pruning.
#include "emulator/core/mqtt/subscription_trie.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using namespace lambkin;
using namespace lambkin::mqtt;

namespace {

session_handle s(std::uint64_t n) { return session_handle{n}; }

subscription sub(std::uint64_t session, qos_level q = qos0, std::uint32_t id = 0) {
  return subscription{s(session), subscription_options{q, false, false, retain_handling::send_on_subscribe}, id};
}

/// The sessions a message on `topic` reaches.
std::vector<std::uint64_t> sessions(subscription_trie& t, std::string_view topic, std::uint64_t publisher = 0) {
  match_result r;
  t.match(topic, s(publisher), r);
  std::vector<std::uint64_t> out;
  for (const auto& m : r.subscribers) out.push_back(m.session.value());
  return out;
}

using ids = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("exact, `+` and `#` filters match level by level") {
  subscription_trie t;
  t.subscribe("a/b/c", sub(1));
  t.subscribe("a/+/c", sub(2));
  t.subscribe("a/#", sub(3));
  t.subscribe("#", sub(4));
  t.subscribe("+/+/+", sub(5));
  t.subscribe("a/b", sub(6));
  t.subscribe("+", sub(7));
  CHECK(t.size() == 7);

  CHECK(sessions(t, "a/b/c") == ids{1, 2, 3, 4, 5});
  CHECK(sessions(t, "a/x/c") == ids{2, 3, 4, 5});
  CHECK(sessions(t, "a/b") == ids{3, 4, 6});
  CHECK(sessions(t, "a") == ids{4, 7});  // AWS: `a/#` does not match `a`
  CHECK(sessions(t, "b") == ids{4, 7});
  CHECK(sessions(t, "a/b/c/d") == ids{3, 4});
  CHECK(sessions(t, "a//c") == ids{2, 3, 4, 5});
  CHECK(sessions(t, "/") == ids{4});
}

TEST_CASE("the spec's rule: `a/#` also matches `a`") {
  subscription_trie t(/*hash_matches_parent=*/true);
  t.subscribe("a/#", sub(1));
  t.subscribe("a/+/#", sub(2));
  CHECK(sessions(t, "a") == ids{1});
  CHECK(sessions(t, "a/b") == ids{1, 2});
  CHECK(sessions(t, "a/b/c") == ids{1, 2});
}

TEST_CASE("`$` topics are not matched by leading wildcards, only by filters starting with `$`") {
  subscription_trie t;
  t.subscribe("#", sub(1));
  t.subscribe("+/events/#", sub(2));
  t.subscribe("$aws/events/#", sub(3));
  t.subscribe("$aws/+/presence/#", sub(4));
  CHECK(sessions(t, "$aws/events/presence/connected/c1") == ids{3, 4});
  CHECK(sessions(t, "x/events/y") == ids{1, 2});
}

TEST_CASE("a session matching through several filters gets one delivery at the highest QoS") {
  subscription_trie t;
  t.subscribe("a/+", sub(1, qos0, 7));
  t.subscribe("a/#", sub(1, qos1, 3));
  t.subscribe("#", sub(1, qos0));
  t.subscribe("a/b", sub(2, qos2, 9));
  subscription rap = sub(3, qos0);
  rap.options.retain_as_published = true;
  t.subscribe("a/b", rap);
  t.subscribe("#", sub(3, qos1));

  match_result r;
  t.match("a/b", s(0), r);
  REQUIRE(r.subscribers.size() == 3);
  CHECK(r.subscribers[0].session == s(1));
  CHECK(r.subscribers[0].qos == qos1);
  CHECK(std::vector<std::uint32_t>(r.identifiers_of(r.subscribers[0]).begin(),
                                   r.identifiers_of(r.subscribers[0]).end()) == std::vector<std::uint32_t>{3, 7});
  CHECK(r.subscribers[1].qos == qos2);
  CHECK(r.identifiers_of(r.subscribers[1]).size() == 1);
  CHECK(r.subscribers[2].qos == qos1);
  CHECK(r.subscribers[2].retain_as_published);
  CHECK(r.identifiers_of(r.subscribers[2]).empty());
}

TEST_CASE("subscribing again replaces the options, unsubscribing removes and prunes") {
  subscription_trie t;
  CHECK(t.subscribe("a/b", sub(1, qos0)));
  CHECK_FALSE(t.subscribe("a/b", sub(1, qos1)));
  CHECK(t.size() == 1);
  match_result r;
  t.match("a/b", s(0), r);
  REQUIRE(r.subscribers.size() == 1);
  CHECK(r.subscribers[0].qos == qos1);

  CHECK(t.subscribe("a/b/c/d", sub(2)));
  CHECK(t.unsubscribe("a/b/c/d", s(2)));
  CHECK_FALSE(t.unsubscribe("a/b/c/d", s(2)));
  CHECK_FALSE(t.unsubscribe("a/b", s(2)));
  CHECK_FALSE(t.unsubscribe("x/y", s(1)));
  CHECK(t.unsubscribe("a/b", s(1)));
  CHECK(t.size() == 0);
  CHECK(sessions(t, "a/b").empty());
  // The pruned trie takes new subscriptions normally.
  t.subscribe("a/+", sub(3));
  CHECK(sessions(t, "a/b") == ids{3});
}

TEST_CASE("No Local skips the publisher's own subscriptions only") {
  subscription_trie t;
  subscription own = sub(1);
  own.options.no_local = true;
  t.subscribe("chat", own);
  t.subscribe("chat", sub(2));
  CHECK(sessions(t, "chat", 1) == ids{2});
  CHECK(sessions(t, "chat", 2) == ids{1, 2});
  // Another of the publisher's subscriptions without No Local still delivers.
  t.subscribe("#", sub(1));
  CHECK(sessions(t, "chat", 1) == ids{1, 2});
}

TEST_CASE("a shared group delivers each message to one member, taking turns") {
  subscription_trie t;
  t.subscribe("$share/workers/jobs/+", sub(1));
  t.subscribe("$share/workers/jobs/+", sub(2));
  t.subscribe("$share/workers/jobs/+", sub(3));
  t.subscribe("$share/audit/jobs/#", sub(4));
  t.subscribe("jobs/+", sub(5));
  CHECK(t.size() == 5);

  CHECK(sessions(t, "jobs/1") == ids{1, 4, 5});
  CHECK(sessions(t, "jobs/2") == ids{2, 4, 5});
  CHECK(sessions(t, "jobs/3") == ids{3, 4, 5});
  CHECK(sessions(t, "jobs/4") == ids{1, 4, 5});

  // Unavailable members are skipped while others are available.
  std::set<std::uint64_t> offline{2};
  t.set_availability([&](session_handle h) { return !offline.contains(h.value()); });
  CHECK(sessions(t, "jobs/5") == ids{3, 4, 5});
  CHECK(sessions(t, "jobs/6") == ids{1, 4, 5});
  CHECK(sessions(t, "jobs/7") == ids{3, 4, 5});
  offline = {1, 2, 3};
  CHECK(sessions(t, "jobs/8").size() == 3);  // all offline: someone still gets it (queued)

  // Leaving the group.
  offline.clear();
  CHECK(t.unsubscribe("$share/workers/jobs/+", s(1)));
  CHECK(t.unsubscribe("$share/workers/jobs/+", s(3)));
  CHECK(sessions(t, "jobs/9") == ids{2, 4, 5});
  CHECK(t.unsubscribe("$share/workers/jobs/+", s(2)));
  CHECK(sessions(t, "jobs/10") == ids{4, 5});
  CHECK_FALSE(t.unsubscribe("$share/other/jobs/+", s(4)));
}

TEST_CASE("many subscribers: one match result is reused without growing") {
  subscription_trie t;
  for (std::uint64_t i = 1; i <= 1000; ++i) t.subscribe("fan/out", sub(i, qos1));
  match_result r;
  t.match("fan/out", s(0), r);
  CHECK(r.subscribers.size() == 1000);
  const auto capacity = r.subscribers.capacity();
  const auto* data = r.subscribers.data();
  t.match("fan/out", s(0), r);
  CHECK(r.subscribers.capacity() == capacity);
  CHECK(r.subscribers.data() == data);
}
