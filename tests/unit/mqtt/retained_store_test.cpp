// Retained messages: replace, delete with an empty payload, AWS's exact-match rule vs the spec's
// wildcard matching, and message expiry.
#include "emulator/core/mqtt/retained_store.hpp"

#include "lambkin/fake_clock.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace lambkin;
using namespace lambkin::mqtt;

namespace {

message_ptr retained(std::string topic, std::string payload, std::optional<std::uint32_t> expiry = {},
                     time_point now = {}) {
  properties p;
  p.message_expiry_interval = expiry;
  return make_message(std::move(topic), std::move(payload), qos1, true, p, now);
}

std::vector<std::string> topics(retained_store& s, std::string_view filter, time_point now = {}) {
  std::vector<message_ptr> out;
  s.match(filter, now, out);
  std::vector<std::string> t;
  for (const auto& m : out) t.push_back(m->topic);
  return t;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("one message per topic: a new one replaces it, an empty payload deletes it") {
  retained_store s;
  CHECK(s.store(retained("a/b", "1"), {}));
  CHECK(s.store(retained("a/b", "2"), {}));
  CHECK(s.size() == 1);
  REQUIRE(s.find("a/b", {}));
  CHECK(s.find("a/b", {})->msg->payload == "2");
  CHECK_FALSE(s.store(retained("a/b", ""), {}));
  CHECK(s.size() == 0);
  CHECK_FALSE(s.find("a/b", {}));
  CHECK_FALSE(s.store(retained("never/stored", ""), {}));
  CHECK(s.size() == 0);
}

TEST_CASE("AWS: retained messages go only to a filter equal to the topic (reference §1.3)") {
  retained_store s(profile::aws());
  s.store(retained("things/dev-1/temperature", "21"), {});
  s.store(retained("things/dev-2/temperature", "22"), {});
  s.store(retained("things", "root"), {});
  CHECK(topics(s, "things/dev-1/temperature") == strings{"things/dev-1/temperature"});
  CHECK(topics(s, "things/+/temperature").empty());
  CHECK(topics(s, "things/#").empty());
  CHECK(topics(s, "#").empty());
  CHECK(topics(s, "things") == strings{"things"});
}

TEST_CASE("spec: retained messages go to every matching filter, `$` topics and `a/#` included") {
  retained_store s(profile::standard());
  for (auto t : {"a", "a/b", "a/b/c", "a/c", "b", "$SYS/load", "a/"}) s.store(retained(t, "x"), {});
  CHECK(topics(s, "a/+") == strings{"a/", "a/b", "a/c"});
  CHECK(topics(s, "a/#") == strings{"a", "a/", "a/b", "a/b/c", "a/c"});
  CHECK(topics(s, "a/b/#") == strings{"a/b", "a/b/c"});
  CHECK(topics(s, "+/b") == strings{"a/b"});
  CHECK(topics(s, "#") == strings{"a", "a/", "a/b", "a/b/c", "a/c", "b"});  // no `$SYS`
  CHECK(topics(s, "$SYS/#") == strings{"$SYS/load"});
  CHECK(topics(s, "a/b") == strings{"a/b"});
  CHECK(topics(s, "z/#").empty());
}

TEST_CASE("expired retained messages are not delivered and are dropped") {
  fake_clock clock;
  retained_store s(profile::standard());
  s.store(retained("short", "x", 10, clock.now()), clock.now());
  s.store(retained("long", "y", 100, clock.now()), clock.now());
  s.store(retained("forever", "z"), clock.now());
  clock.advance(seconds(9));
  CHECK(topics(s, "#", clock.now()).size() == 3);
  CHECK(*remaining_expiry(*s.find("short", clock.now())->msg, clock.now()) == 1);
  clock.advance(seconds(1));
  CHECK(topics(s, "#", clock.now()) == strings{"forever", "long"});
  CHECK(s.size() == 2);
  CHECK_FALSE(s.find("short", clock.now()));
  clock.advance(seconds(100));
  CHECK(s.expire(clock.now()) == 1);
  CHECK(s.list(clock.now()).size() == 1);
}

TEST_CASE("list returns every retained message by topic with its store time") {
  fake_clock clock;
  retained_store s;
  s.store(retained("b", "2"), clock.now());
  clock.advance(seconds(5));
  s.store(retained("a", "1"), clock.now());
  const auto all = s.list(clock.now());
  REQUIRE(all.size() == 2);
  CHECK(all[0].msg->topic == "a");
  CHECK(all[0].stored_at == clock.now());
  CHECK(all[1].msg->topic == "b");
  CHECK(all[1].stored_at == clock.now() - seconds(5));
  CHECK(s.erase("a"));
  CHECK_FALSE(s.erase("a"));
}

TEST_CASE("a message keeps only the properties that travel with it, expiry becomes a deadline") {
  fake_clock clock;
  publish p{"t", "x", qos1, true, true, 9, {}};
  p.props.topic_alias = 4;
  p.props.subscription_identifiers = {3};
  p.props.message_expiry_interval = 30;
  p.props.content_type = "text/plain";
  p.props.user_properties = {{"k", "v"}};
  auto m = make_message(std::move(p), clock.now());
  CHECK(m->topic == "t");
  CHECK(m->retain);
  CHECK(m->qos == qos1);
  CHECK_FALSE(m->props.topic_alias);
  CHECK(m->props.subscription_identifiers.empty());
  CHECK_FALSE(m->props.message_expiry_interval);
  CHECK(m->props.content_type == "text/plain");
  CHECK(m->props.user_properties.size() == 1);
  CHECK(m->expires_at == clock.now() + seconds(30));
  clock.advance(milliseconds(10'500));
  CHECK(remaining_expiry(*m, clock.now()) == 20u);  // 19.5 s left, rounded up
}

TEST_CASE("change tracking reports each stored or erased topic once, only while on") {
  retained_store s(profile::standard());
  s.store(retained("a", "1"), {});
  CHECK_FALSE(s.has_changes());  // off by default
  s.track_changes(true);
  s.store(retained("b", "1"), {});
  s.store(retained("b", "2"), {});
  s.store(retained("a", ""), {});  // empty payload: deletes a
  s.store(retained("none", ""), {});  // deletes nothing: no change
  CHECK(s.has_changes());
  CHECK(s.take_changes() == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(s.has_changes());
  CHECK(s.erase("b"));
  CHECK(s.take_changes() == std::vector<std::string>{"b"});
  CHECK(s.size() == 0);
}
