// The broker with an authorizer: what clients of each MQTT version see when a policy refuses.
// Connections in broker_harness carry principal "principal-<connection number>".
#include "emulator/core/iot_policy/policy_store.hpp"
#include "emulator/core/mqtt/broker.hpp"

#include "broker_support.hpp"

#include <doctest/doctest.h>

#include <variant>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {

constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

std::shared_ptr<iot_policy::policy_store> store(std::initializer_list<const char*> principals) {
  auto s = std::make_shared<iot_policy::policy_store>("us-east-1", "123456789012");
  auto r = iot_policy::parse_policy_document(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}"},
    {"Effect":"Allow","Action":["iot:Publish","iot:Receive","iot:RetainPublish"],"Resource":"arn:aws:iot:us-east-1:123456789012:topic/ok/*"},
    {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:us-east-1:123456789012:topicfilter/ok/*"},
    {"Effect":"Deny","Action":"iot:Receive","Resource":"arn:aws:iot:us-east-1:123456789012:topic/ok/hidden"}]})");
  REQUIRE(std::holds_alternative<iot_policy::policy_document>(r));
  s->add_policy("P", std::get<iot_policy::policy_document>(std::move(r)));
  for (const char* p : principals) s->attach_policy("P", p);
  return s;
}

}  // namespace

TEST_CASE("a refused CONNECT: 3.1.1 return code 5, MQTT 5 0x87, logged with client, action, resource") {
  broker_harness h;
  h.b.set_authorizer(store({"principal-1", "principal-2"}));
  auto c = h.connect(make_connect("dev-1", v311));  // principal-1 has a policy
  CHECK(h.take_all<connack>(c).at(0).reason == reason_code::success);
  auto wrong_id = h.connect(make_connect("dev-3", v311));  // principal-2 has the policy; any client id passes
  CHECK(h.take_all<connack>(wrong_id).at(0).reason == reason_code::success);
  auto none = h.connect(make_connect("dev-4", v5));  // principal-3: no policy
  auto acks = h.take_all<connack>(none);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].reason == reason_code::not_authorized);
  CHECK(h.closed(none));
  REQUIRE_FALSE(h.denied.empty());
  CHECK(h.denied.back().client_id == "dev-4");
  CHECK(h.denied.back().action == iot_action::connect);
  CHECK(h.denied.back().resource == "arn:aws:iot:us-east-1:123456789012:client/dev-4");
  CHECK(h.denied.back().reason == "no policy is attached to certificate principal-3");
}

TEST_CASE("a refused CONNECT leaves the session it names alone") {
  broker_harness h;
  h.b.set_authorizer(store({"principal-1"}));
  auto c = h.connect(make_connect("dev-1", v311));
  h.take(c);
  auto intruder = h.connect(make_connect("dev-1", v311));  // principal-2: no policy
  CHECK(h.take_all<connack>(intruder).at(0).reason == reason_code::not_authorized);
  CHECK(h.closed(intruder));
  CHECK_FALSE(h.closed(c));
  CHECK(h.b.session_count() == 1);
}

TEST_CASE("publish: 3.1.1 is disconnected, MQTT 5 QoS 1 gets PUBACK 0x87, nothing is routed") {
  broker_harness h;
  h.b.set_authorizer(store({"principal-1", "principal-2", "principal-3"}));
  auto listener = h.b.add_listener("#");
  REQUIRE(listener);
  auto a = h.connect(make_connect("a", v5));
  h.take(a);
  h.send(a, pub_packet("ok/1", "x", qos1, 1));
  CHECK(h.take_all<puback>(a).at(0).reason == reason_code::success);
  h.send(a, pub_packet("no/1", "x", qos1, 2));
  CHECK(h.take_all<puback>(a).at(0).reason == reason_code::not_authorized);
  h.send(a, pub_packet("no/1", "x", qos0));
  CHECK_FALSE(h.closed(a));
  h.send(a, pub_packet("ok/1", "x", qos1, 3, true));  // RetainPublish granted
  CHECK(h.take_all<puback>(a).at(0).reason == reason_code::success);
  CHECK(h.heard.size() == 2);

  auto b = h.connect(make_connect("b", v311));
  h.take(b);
  h.send(b, pub_packet("no/1", "x", qos1, 1));
  CHECK(h.closed(b));
  CHECK(h.take(b).empty());
  REQUIRE(h.closes.size() == 1);
  CHECK(h.closes[0].reason == disconnect_reason::forbidden_access);
  CHECK(h.heard.size() == 2);
  CHECK(h.denied.back().client_id == "b");
  CHECK(h.denied.back().action == iot_action::publish);
  CHECK(h.denied.back().resource == "arn:aws:iot:us-east-1:123456789012:topic/no/1");
}

TEST_CASE("subscribe: MQTT 5 gets 0x87 for the refused filter only, 3.1.1 is disconnected") {
  broker_harness h;
  h.b.set_authorizer(store({"principal-1", "principal-2"}));
  auto a = h.connect(make_connect("a", v5));
  h.take(a);
  subscribe s{1, {subscribe_topic{"ok/#", {qos1}}, subscribe_topic{"no/#", {qos1}}}, {}};
  h.send(a, s);
  auto acks = h.take_all<suback>(a);
  REQUIRE(acks.size() == 1);
  REQUIRE(acks[0].reasons.size() == 2);
  CHECK(acks[0].reasons[0] == reason_code::granted_qos_1);
  CHECK(acks[0].reasons[1] == reason_code::not_authorized);

  auto b = h.connect(make_connect("b", v311));
  h.take(b);
  h.send(b, sub_packet(1, "no/#"));
  CHECK(h.closed(b));
  CHECK(h.denied.back().action == iot_action::subscribe);
  CHECK(h.denied.back().resource == "arn:aws:iot:us-east-1:123456789012:topicfilter/no/#");
}

TEST_CASE("receive: a denied topic is silently not delivered to that subscriber, unauthenticated clients are free") {
  broker_harness h;
  h.b.set_authorizer(store({"principal-1"}));
  auto a = h.connect(make_connect("a", v5));
  h.take(a);
  h.send(a, sub_packet(1, "ok/#"));
  h.take(a);
  // A connection without a principal (plain TCP): unrestricted.
  const connection_id free{100};
  h.clients[100].version = v5;
  h.clients[100].server_side = decoder(decoder_options{h.b.profile().max_packet_size, std::nullopt});
  h.clients[100].client_side = decoder(decoder_options{268'435'460, v5});
  h.run([&](auto& out) { h.b.on_connection_opened(free, connection_info{"127.0.0.1", "", {}}, h.clock.now(), out); });
  h.send(free, make_connect("tcp-client", v5));
  CHECK(h.take_all<connack>(free).at(0).reason == reason_code::success);
  h.send(free, sub_packet(1, "#"));
  h.take(free);

  h.send(free, pub_packet("ok/hidden", "h", qos0));
  h.send(free, pub_packet("ok/shown", "s", qos0));
  auto got = h.take_all<publish>(a);
  REQUIRE(got.size() == 1);
  CHECK(got[0].topic == "ok/shown");
  CHECK(h.take_all<publish>(free).size() == 2);
  CHECK(h.denied.back().action == iot_action::receive);
  CHECK(h.denied.back().client_id == "a");
  CHECK(h.denied.back().resource == "arn:aws:iot:us-east-1:123456789012:topic/ok/hidden");
}

TEST_CASE("the will: published only when iot:Publish (and iot:RetainPublish if retained) allows its topic") {
  broker_harness h;
  h.b.set_authorizer(store({"principal-1", "principal-2", "principal-3"}));
  auto listener = h.b.add_listener("#");
  REQUIRE(listener);
  auto allowed = make_connect("a", v311);
  allowed.will = will_message{"ok/a/status", "gone", qos1, true, {}};  // Publish + RetainPublish granted
  auto denied = make_connect("b", v5);
  denied.will = will_message{"no/b/status", "gone", qos1, false, {}};
  auto a = h.connect(allowed);
  auto b = h.connect(denied);
  CHECK(h.take_all<connack>(a).at(0).reason == reason_code::success);  // a will is no reason to refuse
  CHECK(h.take_all<connack>(b).at(0).reason == reason_code::success);
  h.drop(a);
  h.drop(b);
  REQUIRE(h.heard.size() == 1);
  CHECK(h.heard[0].msg->topic == "ok/a/status");
  REQUIRE_FALSE(h.denied.empty());
  CHECK(h.denied.back().client_id == "b");
  CHECK(h.denied.back().action == iot_action::publish);
  CHECK(h.denied.back().resource == "arn:aws:iot:us-east-1:123456789012:topic/no/b/status");
}

TEST_CASE("the will: a retained will needs iot:RetainPublish too") {
  broker_harness h;
  auto s = std::make_shared<iot_policy::policy_store>("us-east-1", "123456789012");
  auto r = iot_policy::parse_policy_document(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":["iot:Connect","iot:Publish"],"Resource":"*"}]})");
  REQUIRE(std::holds_alternative<iot_policy::policy_document>(r));
  s->add_policy("P", std::get<iot_policy::policy_document>(std::move(r)));
  s->attach_policy("P", "principal-1");
  h.b.set_authorizer(s);
  REQUIRE(h.b.add_listener("#"));
  auto c = make_connect("a", v5);
  c.will = will_message{"status/a", "gone", qos0, true, {}};
  auto a = h.connect(c);
  h.take(a);
  h.drop(a);
  CHECK(h.heard.empty());
  REQUIRE_FALSE(h.denied.empty());
  CHECK(h.denied.back().action == iot_action::retain_publish);
  CHECK(h.denied.back().resource == "arn:aws:iot:us-east-1:123456789012:topic/status/a");
}

TEST_CASE("the CONNECT's iot:ConnectAttributes: a will is LastWill, Clean Session 0 / Session Expiry > 0 PersistentConnect") {
  broker_harness h;
  auto s = std::make_shared<iot_policy::policy_store>("us-east-1", "123456789012");
  auto r = iot_policy::parse_policy_document(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"iot:Connect","Resource":"*",
     "Condition":{"ForAllValues:StringEquals":{"iot:ConnectAttributes":["PersistentConnect"]}}}]})");
  REQUIRE(std::holds_alternative<iot_policy::policy_document>(r));
  s->add_policy("P", std::get<iot_policy::policy_document>(std::move(r)));
  for (const char* p : {"principal-1", "principal-2", "principal-3", "principal-4"}) s->attach_policy("P", p);
  h.b.set_authorizer(s);
  auto persistent = make_connect("a", v311, false);
  auto a = h.connect(persistent);
  CHECK(h.take_all<connack>(a).at(0).reason == reason_code::success);
  auto with_will = make_connect("b", v311, false);
  with_will.will = will_message{"w", "x", qos0, false, {}};
  auto b = h.connect(with_will);
  CHECK(h.take_all<connack>(b).at(0).reason == reason_code::not_authorized);
  auto v5_expiry = make_connect("c", v5);
  v5_expiry.props.session_expiry_interval = 60;
  auto c = h.connect(v5_expiry);
  CHECK(h.take_all<connack>(c).at(0).reason == reason_code::success);
  auto v5_will = make_connect("d", v5);
  v5_will.will = will_message{"w", "x", qos0, false, {}};
  auto d = h.connect(v5_will);
  CHECK(h.take_all<connack>(d).at(0).reason == reason_code::not_authorized);
}
