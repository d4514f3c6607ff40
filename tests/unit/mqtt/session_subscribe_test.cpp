// SUBSCRIBE and UNSUBSCRIBE at the session: reason codes per filter, the aws profile's QoS 2 and
// filter-count rules, reserved topics, shared subscriptions, and the order of SUBACK and indexing.
#include "emulator/core/mqtt/session.hpp"

#include "session_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

subscribe_topic topic(std::string filter, qos_level q = qos1) {
  return subscribe_topic{std::move(filter), subscription_options{q, false, false, retain_handling::send_on_subscribe}};
}
}  // namespace

TEST_CASE("SUBACK grants each filter, the subscriptions are indexed after it") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  auto out = f.receive(subscribe{3, {topic("a/+", qos0), topic("b/#", qos1), topic("c", qos2)}, {}});
  REQUIRE(out.size() == 4);
  auto ack = std::get<suback>(std::get<send_packet>(out[0]).packet);
  CHECK(ack.packet_id == 3);
  CHECK(ack.reasons == std::vector{reason_code::granted_qos_0, reason_code::granted_qos_1, reason_code::granted_qos_1});
  auto adds = all<add_subscription>(out);
  REQUIRE(adds.size() == 3);
  CHECK(adds[2].filter == "c");
  CHECK(adds[2].options.max_qos == qos1);  // aws: QoS 2 granted as QoS 1
  CHECK(adds[0].is_new);
  CHECK(f.s.subscriptions().size() == 3);

  // Subscribing again replaces, and says it is not new.
  out = f.receive(subscribe{4, {topic("a/+", qos1)}, {}});
  CHECK_FALSE(one<add_subscription>(out).is_new);
  CHECK(f.s.subscriptions().at("a/+").options.max_qos == qos1);
}

TEST_CASE("failures per filter: invalid, over the limits, reserved, 3.1.1 sees 0x80") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  auto out = f.receive(subscribe{1, {topic("a/#/b"), topic("a/b/c/d/e/f/g/h/i"), topic("$aws/rules/R/#"),
                                     topic("$aws/events/presence/+/+"), topic("$SYS/#")}, {}});
  auto ack = one<suback>(out);
  CHECK(ack.reasons == std::vector{reason_code::topic_filter_invalid, reason_code::topic_filter_invalid,
                                   reason_code::not_authorized, reason_code::granted_qos_1, reason_code::not_authorized});
  CHECK(ack.props.reason_string == "invalid topic filter: a/#/b");
  CHECK(one<add_subscription>(out).filter == "$aws/events/presence/+/+");

  // Request Problem Information 0: no Reason String on the SUBACK.
  session_fixture quiet;
  auto c = make_connect("dev-2", v5);
  c.props.request_problem_information = false;
  quiet.connect(c);
  CHECK_FALSE(one<suback>(quiet.receive(subscribe{1, {topic("a/#/b")}, {}})).props.reason_string);

  session_fixture old;
  old.connect(make_connect("dev-3", v311));
  CHECK(one<suback>(old.receive(subscribe{1, {topic("+/#/")}, {}})).props.empty());
}

TEST_CASE("aws: more than 8 filters in one SUBSCRIBE are refused with quota exceeded") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  subscribe s{1, {}, {}};
  for (int i = 0; i < 9; ++i) s.topics.push_back(topic("t/" + std::to_string(i)));
  auto out = f.receive(s);
  auto ack = one<suback>(out);
  CHECK(ack.reasons.size() == 9);
  for (auto rc : ack.reasons) CHECK(rc == reason_code::quota_exceeded);
  CHECK(count<add_subscription>(out) == 0);

  session_fixture g(profile::standard());
  g.connect(make_connect("dev-1", v5));
  CHECK(count<add_subscription>(g.receive(s)) == 9);
}

TEST_CASE("aws: a session holds at most 50 subscriptions, re-subscribing an existing one still works") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  for (int i = 0; i < 50; ++i) CHECK(count<add_subscription>(f.receive(subscribe{1, {topic("t/" + std::to_string(i))}, {}})) == 1);
  CHECK(one<suback>(f.receive(subscribe{2, {topic("one/more")}, {}})).reasons == std::vector{reason_code::quota_exceeded});
  CHECK(one<add_subscription>(f.receive(subscribe{3, {topic("t/7", qos0)}, {}})).filter == "t/7");
  f.receive(unsubscribe{4, {"t/0"}, {}});
  CHECK(count<add_subscription>(f.receive(subscribe{5, {topic("one/more")}, {}})) == 1);
}

TEST_CASE("QoS 2 subscriptions: downgraded in aws, refused when the downgrade is off, granted in standard") {
  profile strict;
  strict.qos2_subscription_downgrade = false;
  session_fixture f(strict);
  f.connect(make_connect("dev-1", v5));
  CHECK(one<suback>(f.receive(subscribe{1, {topic("a", qos2)}, {}})).reasons ==
        std::vector{reason_code::unspecified_error});

  session_fixture g(profile::standard());
  g.connect(make_connect("dev-1", v5));
  CHECK(one<suback>(g.receive(subscribe{1, {topic("a", qos2)}, {}})).reasons == std::vector{reason_code::granted_qos_2});
}

TEST_CASE("shared subscriptions: granted, No Local on one is a protocol error") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  CHECK(one<add_subscription>(f.receive(subscribe{1, {topic("$share/g/jobs/+")}, {}})).filter == "$share/g/jobs/+");
  auto shared_no_local = topic("$share/g/x");
  shared_no_local.options.no_local = true;
  CHECK(one<disconnect>(f.receive(subscribe{2, {shared_no_local}, {}})).reason == reason_code::protocol_error);

  profile none;
  none.shared_subscriptions_available = false;
  session_fixture g(none);
  g.connect(make_connect("dev-1", v5));
  CHECK(one<suback>(g.receive(subscribe{1, {topic("$share/g/x")}, {}})).reasons ==
        std::vector{reason_code::shared_subscriptions_not_supported});
}

TEST_CASE("Subscription Identifiers: refused by AWS (DISCONNECT 0xA1), kept in standard") {
  subscribe s{1, {topic("a")}, {}};
  s.props.subscription_identifiers = {12};
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  CHECK(one<disconnect>(f.receive(s)).reason == reason_code::subscription_identifiers_not_supported);

  session_fixture g(profile::standard());
  g.connect(make_connect("dev-1", v5));
  CHECK(one<add_subscription>(g.receive(s)).identifier == 12);
  CHECK(g.s.subscriptions().at("a").identifier == 12);
}

TEST_CASE("UNSUBSCRIBE removes existing subscriptions, unknown filters get 0x11") {
  session_fixture f;
  f.connect(make_connect("dev-1", v5));
  f.receive(subscribe{1, {topic("a"), topic("b")}, {}});
  auto out = f.receive(unsubscribe{2, {"a", "zzz", "a/#/b"}, {}});
  CHECK(one<remove_subscription>(out).filter == "a");
  CHECK(one<unsuback>(out).reasons ==
        std::vector{reason_code::success, reason_code::no_subscription_existed, reason_code::topic_filter_invalid});
  CHECK(f.s.subscriptions().size() == 1);
}
