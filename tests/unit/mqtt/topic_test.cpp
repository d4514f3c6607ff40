// Topic syntax, matching in both profiles, shared subscriptions, AWS limits and reserved topics.
#include "emulator/core/mqtt/topic.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace lambkin;
using namespace lambkin::mqtt;

namespace {
const profile aws = profile::aws();
const profile standard = profile::standard();
}  // namespace

TEST_CASE("topic names: non-empty, no wildcards, empty levels are fine") {
  for (auto ok : {"a", "a/b", "/", "a//b", "/a/", "$SYS/x", "sport/tennis/player1", " "}) {
    CAPTURE(ok);
    CHECK_FALSE(validate_topic_name(ok));
  }
  for (auto bad : {"", "a/+", "a/#", "+", "#", "a+b", "a/b#"}) {
    CAPTURE(bad);
    CHECK(validate_topic_name(bad) == errc::topic_name_invalid);
  }
}

TEST_CASE("topic filters: `#` last and alone, `+` alone in its level") {
  for (auto ok : {"#", "+", "a/#", "a/+/b", "+/+", "/+", "a//#", "+/#", "/", "$share/g/a/#", "$share/g/#"}) {
    CAPTURE(ok);
    CHECK_FALSE(validate_topic_filter(ok));
  }
  for (auto bad : {"", "a/#/b", "a#", "a/b#", "a+/b", "+a", "#/a", "a/##", "$share/g", "$share//a", "$share/g+/a",
                   "$share/g/", "$share/#/a", "$share/g/a/#/b"}) {
    CAPTURE(bad);
    CHECK(validate_topic_filter(bad) == errc::topic_filter_invalid);
  }
}

TEST_CASE("shared subscriptions split into group and filter") {
  auto s = parse_shared("$share/consumers/things/+/temperature");
  REQUIRE(s);
  CHECK(s->group == "consumers");
  CHECK(s->filter == "things/+/temperature");
  CHECK_FALSE(parse_shared("things/+/temperature"));
  CHECK_FALSE(parse_shared("$share/nofilter"));
  CHECK_FALSE(parse_shared("$shared/g/a"));
}

TEST_CASE("matching: the spec's examples, in both profiles") {
  for (const profile* p : {&aws, &standard}) {
    CHECK(matches("sport/tennis/player1/#", "sport/tennis/player1/ranking", *p));
    CHECK(matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", *p));
    CHECK(matches("sport/#", "sport/", *p));
    CHECK(matches("sport/tennis/+", "sport/tennis/player1", *p));
    CHECK_FALSE(matches("sport/tennis/+", "sport/tennis/player1/ranking", *p));
    CHECK(matches("sport/+", "sport/", *p));
    CHECK_FALSE(matches("sport/+", "sport", *p));
    CHECK(matches("+/+", "/finance", *p));
    CHECK(matches("/+", "/finance", *p));
    CHECK_FALSE(matches("+", "/finance", *p));
    CHECK(matches("#", "a/b/c", *p));
    CHECK(matches("+/b/+", "a/b/c", *p));
    CHECK(matches("a//c", "a//c", *p));
    CHECK(matches("a/+/c", "a//c", *p));
    CHECK_FALSE(matches("a/b", "a/B", *p));  // case sensitive
    CHECK_FALSE(matches("a/b", "a/b/c", *p));
    CHECK_FALSE(matches("a/b/c", "a/b", *p));
  }
}

TEST_CASE("`$` topics are not matched by a leading wildcard") {
  for (const profile* p : {&aws, &standard}) {
    CHECK_FALSE(matches("#", "$SYS/broker", *p));
    CHECK_FALSE(matches("+/broker", "$SYS/broker", *p));
    CHECK_FALSE(matches("+/events/#", "$aws/events/presence/connected/c1", *p));
    CHECK(matches("$SYS/#", "$SYS/broker", *p));
    CHECK(matches("$aws/events/presence/+/+", "$aws/events/presence/connected/c1", *p));
    CHECK(matches("a/#", "a/$b", *p));
  }
}

TEST_CASE("`a/#` matches `a` in the standard profile, not in AWS's (reference §1.9)") {
  CHECK(matches("sport/#", "sport", standard));
  CHECK(matches("a/+/#", "a/b", standard));
  CHECK_FALSE(matches("sport/#", "sport", aws));
  CHECK_FALSE(matches("a/+/#", "a/b", aws));
  CHECK(matches("sport/#", "sport/x", aws));
}

TEST_CASE("AWS limits: 256 bytes and 7 slashes, with the Basic Ingest and shared prefixes exempt") {
  const std::string eight_levels = "a/b/c/d/e/f/g/h";
  CHECK_FALSE(check_topic_limits(eight_levels, aws, errc::topic_name_invalid));
  CHECK(check_topic_limits(eight_levels + "/i", aws, errc::topic_name_invalid) == errc::topic_name_invalid);
  CHECK_FALSE(check_topic_limits(eight_levels + "/i", standard, errc::topic_name_invalid));
  CHECK_FALSE(check_topic_limits("$aws/rules/my_rule/" + eight_levels, aws, errc::topic_name_invalid));
  CHECK_FALSE(check_topic_limits("$share/group/" + eight_levels, aws, errc::topic_filter_invalid));
  CHECK(check_topic_limits("$share/group/" + eight_levels + "/x", aws, errc::topic_filter_invalid) ==
        errc::topic_filter_invalid);

  const std::string long_topic(256, 'x');
  CHECK_FALSE(check_topic_limits(long_topic, aws, errc::topic_name_invalid));
  CHECK(check_topic_limits(long_topic + "x", aws, errc::topic_name_invalid) == errc::topic_name_invalid);
  CHECK_FALSE(check_topic_limits("$aws/rules/r/" + long_topic, aws, errc::topic_name_invalid));
  CHECK_FALSE(check_topic_limits(long_topic + "x", standard, errc::topic_name_invalid));
}

TEST_CASE("AWS limits: payload 128 KB, client id 128 bytes, 8 filters per SUBSCRIBE") {
  CHECK_FALSE(check_payload_size(128 * 1024, aws));
  CHECK(check_payload_size(128 * 1024 + 1, aws) == errc::packet_too_large);
  CHECK_FALSE(check_payload_size(10'000'000, standard));
  CHECK_FALSE(check_client_id(std::string(128, 'c'), aws));
  CHECK(check_client_id(std::string(129, 'c'), aws) == errc::client_id_rejected);
  CHECK_FALSE(check_client_id(std::string(1000, 'c'), standard));
  CHECK_FALSE(check_subscribe_count(8, aws));
  CHECK(check_subscribe_count(9, aws) == errc::quota_exceeded);
  CHECK_FALSE(check_subscribe_count(100, standard));
}

TEST_CASE("Basic Ingest topics name a rule and the topic the rule sees") {
  auto b = parse_basic_ingest("$aws/rules/StoreTemperature/things/dev-1/temperature");
  REQUIRE(b);
  CHECK(b->rule == "StoreTemperature");
  CHECK(b->topic == "things/dev-1/temperature");
  auto bare = parse_basic_ingest("$aws/rules/R");
  REQUIRE(bare);
  CHECK(bare->rule == "R");
  CHECK(bare->topic.empty());
  CHECK_FALSE(parse_basic_ingest("$aws/rules/"));
  CHECK_FALSE(parse_basic_ingest("$aws/things/x"));
  CHECK_FALSE(parse_basic_ingest("rules/R/x"));
}

TEST_CASE("AWS reserved topics: what a client may publish and subscribe to") {
  CHECK(may_publish("things/dev-1/temperature", aws));
  CHECK(may_publish("$aws/things/dev-1/shadow/update", aws));
  CHECK(may_publish("$aws/rules/R/x", aws));
  CHECK_FALSE(may_publish("$aws/events/presence/connected/x", aws));
  CHECK_FALSE(may_publish("$SYS/x", aws));
  CHECK_FALSE(may_publish("$aws", aws));
  CHECK(may_publish("$SYS/x", standard));

  CHECK(may_subscribe("$aws/events/presence/+/+", aws));
  CHECK(may_subscribe("$aws/things/dev-1/shadow/update/accepted", aws));
  CHECK(may_subscribe("$aws/+/x", aws));
  CHECK(may_subscribe("#", aws));
  CHECK_FALSE(may_subscribe("$aws/rules/R/#", aws));
  CHECK_FALSE(may_subscribe("$SYS/#", aws));
  CHECK(may_subscribe("$SYS/#", standard));
}
