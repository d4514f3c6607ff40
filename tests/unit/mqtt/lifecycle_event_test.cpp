// AWS lifecycle events: the topics, the JSON AWS publishes (field by field), and when the broker
// publishes them.
#include "emulator/core/mqtt/lifecycle_event.hpp"

#include "broker_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;
}  // namespace

TEST_CASE("lifecycle payloads have AWS's fields in AWS's order") {
  const lifecycle_identity id{"186b5", "a4666d2a7d844ae4ac5d7b38c9cb7967", "12345678901234567890123456789012",
                              1573002230757};
  CHECK(connected_topic("186b5") == "$aws/events/presence/connected/186b5");
  CHECK(connected_payload(id, "192.0.2.0", 0) ==
        R"({"clientId":"186b5","timestamp":1573002230757,"eventType":"connected",)"
        R"("sessionIdentifier":"a4666d2a7d844ae4ac5d7b38c9cb7967",)"
        R"("principalIdentifier":"12345678901234567890123456789012","ipAddress":"192.0.2.0","versionNumber":0})");
  CHECK(disconnected_topic("186b5") == "$aws/events/presence/disconnected/186b5");
  CHECK(disconnected_payload(id, disconnect_reason::client_initiated, 0) ==
        R"({"clientId":"186b5","timestamp":1573002230757,"eventType":"disconnected",)"
        R"("sessionIdentifier":"a4666d2a7d844ae4ac5d7b38c9cb7967",)"
        R"("principalIdentifier":"12345678901234567890123456789012",)"
        R"("clientInitiatedDisconnect":true,"disconnectReason":"CLIENT_INITIATED_DISCONNECT","versionNumber":0})");
  CHECK(disconnected_payload(id, disconnect_reason::duplicate_client_id, 3).find(
            R"("clientInitiatedDisconnect":false,"disconnectReason":"DUPLICATE_CLIENTID","versionNumber":3})") !=
        std::string::npos);
  const std::vector<std::string> topics{"foo/bar", "device/data", "dog/cat"};
  CHECK(subscription_topic("186b5", true) == "$aws/events/subscriptions/subscribed/186b5");
  CHECK(subscription_topic("186b5", false) == "$aws/events/subscriptions/unsubscribed/186b5");
  CHECK(subscription_payload(id, true, topics) ==
        R"({"clientId":"186b5","timestamp":1573002230757,"eventType":"subscribed",)"
        R"("sessionIdentifier":"a4666d2a7d844ae4ac5d7b38c9cb7967",)"
        R"("principalIdentifier":"12345678901234567890123456789012","topics":["foo/bar","device/data","dog/cat"]})");
}

TEST_CASE("JSON strings are escaped, session identifiers are 32 stable hex digits") {
  CHECK(json_string("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
  CHECK(json_string("é") == "\"é\"");
  const auto s1 = make_session_identifier(1);
  CHECK(s1.size() == 32);
  CHECK(s1.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(s1 == make_session_identifier(1));
  CHECK(s1 != make_session_identifier(2));
  CHECK(has_lifecycle_events("dev-1"));
  CHECK_FALSE(has_lifecycle_events("dev+1"));
  CHECK_FALSE(has_lifecycle_events("dev#1"));
}

TEST_CASE("the broker publishes connected, subscribed, unsubscribed and disconnected events") {
  broker_harness h;  // wall clock: 1,700,000,000,000 ms at the fake clock's start
  auto watcher = h.connect(make_connect("watcher", v5));
  h.send(watcher, sub_packet(1, "$aws/events/#"));
  h.take(watcher);

  h.advance(milliseconds(1500));
  auto dev = h.connect(make_connect("dev-1", v311), "198.51.100.7");
  auto events = h.take_all<publish>(watcher);
  REQUIRE(events.size() == 1);
  CHECK(events[0].topic == "$aws/events/presence/connected/dev-1");
  const std::string session_id = make_session_identifier(2);
  CHECK(events[0].payload.view() ==
        R"({"clientId":"dev-1","timestamp":1700000001500,"eventType":"connected","sessionIdentifier":")" +
            session_id + R"(","principalIdentifier":"principal-2","ipAddress":"198.51.100.7","versionNumber":2})");

  h.send(dev, subscribe{1, {subscribe_topic{"a/b", {qos1, false, false, retain_handling::send_on_subscribe}},
                            subscribe_topic{"c/#", {qos0, false, false, retain_handling::send_on_subscribe}},
                            subscribe_topic{"bad/#/x", {qos0, false, false, retain_handling::send_on_subscribe}}},
                        {}});
  events = h.take_all<publish>(watcher);
  REQUIRE(events.size() == 1);
  CHECK(events[0].topic == "$aws/events/subscriptions/subscribed/dev-1");
  CHECK(events[0].payload.view().ends_with(R"("topics":["a/b","c/#"]})"));

  h.send(dev, unsubscribe{2, {"a/b", "never"}, {}});
  events = h.take_all<publish>(watcher);
  REQUIRE(events.size() == 1);
  CHECK(events[0].topic == "$aws/events/subscriptions/unsubscribed/dev-1");
  CHECK(events[0].payload.view().ends_with(R"("topics":["a/b"]})"));

  h.send(dev, disconnect{});
  events = h.take_all<publish>(watcher);
  REQUIRE(events.size() == 1);
  CHECK(events[0].topic == "$aws/events/presence/disconnected/dev-1");
  CHECK(events[0].payload.view().find(R"("clientInitiatedDisconnect":true,"disconnectReason":"CLIENT_INITIATED_DISCONNECT")") !=
        std::string::npos);
}

TEST_CASE("takeover publishes DUPLICATE_CLIENTID for the old connection, then connected for the new") {
  broker_harness h;
  auto watcher = h.connect(make_connect("watcher", v5));
  h.send(watcher, sub_packet(1, "$aws/events/presence/+/+"));
  h.take(watcher);
  h.connect(make_connect("dev-1", v5));
  h.connect(make_connect("dev-1", v5));
  auto events = h.take_all<publish>(watcher);
  REQUIRE(events.size() == 3);
  CHECK(events[0].topic == "$aws/events/presence/connected/dev-1");
  CHECK(events[1].topic == "$aws/events/presence/disconnected/dev-1");
  CHECK(events[1].payload.view().find("DUPLICATE_CLIENTID") != std::string::npos);
  CHECK(events[2].topic == "$aws/events/presence/connected/dev-1");
  // versionNumber grows with each connection.
  CHECK(events[0].payload.view().ends_with(R"("versionNumber":2})"));
  CHECK(events[2].payload.view().ends_with(R"("versionNumber":3})"));
}

TEST_CASE("a lost connection and a keep-alive timeout carry their reasons, listeners hear events too") {
  broker_harness h;
  auto listener = h.b.add_listener("$aws/events/presence/disconnected/+");
  REQUIRE(listener);
  auto a = h.connect(make_connect("a", v311));
  h.drop(a);
  auto b = h.connect(make_connect("b", v311, true, 30));
  h.advance(seconds(45));
  CHECK(h.closed(b));
  REQUIRE(h.heard.size() == 2);
  CHECK(h.heard[0].msg->payload.view().find(R"("disconnectReason":"CONNECTION_LOST")") != std::string::npos);
  CHECK(h.heard[1].msg->payload.view().find(R"("disconnectReason":"MQTT_KEEP_ALIVE_TIMEOUT")") != std::string::npos);
}

TEST_CASE("no lifecycle events for client ids with wildcards, nor in the standard profile") {
  broker_harness h;
  auto listener = h.b.add_listener("$aws/events/#");
  REQUIRE(listener);
  h.connect(make_connect("odd+id", v5));
  CHECK(h.heard.empty());

  broker_harness s(profile::standard());
  REQUIRE(s.b.add_listener("$aws/events/#"));
  s.connect(make_connect("dev-1", v5));
  CHECK(s.heard.empty());
}

TEST_CASE("SUBACK comes before the retained messages a subscription brings") {
  broker_harness h;
  auto dev = h.connect(make_connect("dev-1", v5));
  h.send(dev, pub_packet("state", "on", qos1, 1, true));
  auto s = h.connect(make_connect("s", v5));
  h.take(s);
  h.send(s, sub_packet(1, "state"));
  auto got = h.take(s);
  REQUIRE(got.size() == 2);
  CHECK(std::holds_alternative<suback>(got[0]));
  CHECK(std::holds_alternative<publish>(got[1]));
}
