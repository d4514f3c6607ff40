// The authorizer: certificates, attachments, variables and IAM's evaluation order.
#include "emulator/core/iot_policy/connection_grant.hpp"
#include "emulator/core/iot_policy/policy_store.hpp"

#include <doctest/doctest.h>

#include <variant>

using namespace lambkin;
using namespace lambkin::iot_policy;
using mqtt::iot_action;

namespace {

constexpr const char* prefix = "arn:aws:iot:us-east-1:123456789012:";

policy_document doc(std::string_view json) {
  auto r = parse_policy_document(json);
  REQUIRE(std::holds_alternative<policy_document>(r));
  return std::get<policy_document>(std::move(r));
}

// The policy of the e2e test: connect as your thing, publish and receive under your thing's
// topics, subscribe to them, never to `.../secret`.
const char* device_policy = R"({"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"},
  {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],
   "Resource":"arn:aws:iot:us-east-1:123456789012:topic/things/${iot:Connection.Thing.ThingName}/*"},
  {"Effect":"Allow","Action":"iot:Subscribe",
   "Resource":"arn:aws:iot:us-east-1:123456789012:topicfilter/things/${iot:Connection.Thing.ThingName}/*"},
  {"Effect":"Deny","Action":"iot:*","Resource":["arn:aws:iot:us-east-1:123456789012:topic/things/*/secret",
   "arn:aws:iot:us-east-1:123456789012:topicfilter/things/*/secret"]}]})";

policy_store store() {
  policy_store s("us-east-1", "123456789012");
  s.add_policy("Device", doc(device_policy));
  s.add_certificate("c1", "ACTIVE");
  s.attach_policy("Device", std::string(prefix) + "cert/c1");
  s.add_thing("dev-1");
  s.attach_thing("dev-1", std::string(prefix) + "cert/c1");
  return s;
}

mqtt::connect_verdict connect(policy_store& s, std::string principal, std::string client) {
  return s.authorize_connect(mqtt::connection_info{"127.0.0.1", std::move(principal), {}}, client);
}

}  // namespace

TEST_CASE("iot:Connect on client/${iot:Connection.Thing.ThingName}: only the attached thing's client id") {
  auto s = store();
  auto v = connect(s, "c1", "dev-1");
  REQUIRE(v.allowed);
  REQUIRE(v.authority);
  auto other = connect(s, "c1", "dev-2");
  CHECK_FALSE(other.allowed);
  CHECK(other.resource == std::string(prefix) + "client/dev-2");
  CHECK(other.reason.find("no policy of certificate c1 allows it") != std::string::npos);
}

TEST_CASE("publish, subscribe, receive under the thing's topics, an explicit Deny wins over the Allow") {
  auto s = store();
  auto v = connect(s, "c1", "dev-1");
  REQUIRE(v.authority);
  auto& a = *v.authority;
  CHECK(a.allowed(iot_action::publish, "things/dev-1/temperature"));
  CHECK(a.allowed(iot_action::receive, "things/dev-1/cmd"));
  CHECK(a.allowed(iot_action::subscribe, "things/dev-1/#"));
  CHECK_FALSE(a.allowed(iot_action::publish, "things/dev-2/temperature"));
  CHECK_FALSE(a.allowed(iot_action::subscribe, "things/+/temperature"));
  CHECK_FALSE(a.allowed(iot_action::publish, "things/dev-1/secret"));
  CHECK_FALSE(a.allowed(iot_action::receive, "things/dev-1/secret"));
  CHECK_FALSE(a.allowed(iot_action::retain_publish, "things/dev-1/temperature"));  // not granted
  CHECK(a.resource(iot_action::subscribe, "x/#") == std::string(prefix) + "topicfilter/x/#");
}

TEST_CASE("decisions are cached per action and name") {
  auto s = store();
  auto v = connect(s, "c1", "dev-1");
  auto* g = dynamic_cast<connection_grant*>(v.authority.get());
  REQUIRE(g);
  const auto before = g->evaluations();
  CHECK(g->allowed(iot_action::publish, "things/dev-1/a"));
  CHECK(g->allowed(iot_action::publish, "things/dev-1/a"));
  CHECK_FALSE(g->allowed(iot_action::receive, "things/dev-2/a"));
  CHECK_FALSE(g->allowed(iot_action::receive, "things/dev-2/a"));
  CHECK(g->evaluations() == before + 2);
}

TEST_CASE("no thing attached: ${iot:Connection.Thing.ThingName} resolves to nothing, so nothing matches") {
  policy_store s("us-east-1", "123456789012");
  s.add_policy("Device", doc(device_policy));
  s.add_policy("Open", doc(R"({"Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}})"));
  s.attach_policy("Device", "c2");  // a bare id; an undeclared certificate counts as ACTIVE
  auto refused = connect(s, "c2", "dev-9");
  CHECK_FALSE(refused.allowed);  // client/${…ThingName} matches no client
  s.attach_policy("Open", "c2");
  auto v = connect(s, "c2", "dev-9");
  REQUIRE(v.allowed);
  CHECK_FALSE(v.authority->allowed(iot_action::publish, "things/dev-9/temperature"));
  CHECK_FALSE(v.authority->allowed(iot_action::publish, "things//temperature"));
}

TEST_CASE("certificates: no policy, not ACTIVE, unknown → refused, no principal → unrestricted unless require_auth") {
  auto s = store();
  s.add_certificate("c3", "INACTIVE");
  s.attach_policy("Device", "c3");
  auto inactive = connect(s, "c3", "dev-1");
  CHECK_FALSE(inactive.allowed);
  CHECK(inactive.reason == "certificate c3 is INACTIVE");
  s.add_certificate("c4", "ACTIVE");
  CHECK(connect(s, "c4", "dev-1").reason == "no policy is attached to certificate c4");
  CHECK_FALSE(connect(s, "unknown", "dev-1").allowed);

  auto anonymous = connect(s, "", "anyone");
  CHECK(anonymous.allowed);
  CHECK_FALSE(anonymous.authority);  // nothing is checked on that connection
  s.set_require_auth(true);
  auto refused = connect(s, "", "anyone");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.reason == "no client certificate, and --require-auth is set");
}

TEST_CASE("IsAttached and thing attributes, in conditions and resources") {
  policy_store s("us-east-1", "123456789012");
  s.add_policy("P", doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"iot:Connect","Resource":"*","Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
    {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:123456789012:topic/site/${iot:Connection.Thing.Attributes[site]}/*"},
    {"Effect":"Allow","Action":"iot:Receive","Resource":"*","Condition":{"StringLike":{"iot:ClientId":"sensor-*"}}}]})"));
  s.add_thing("sensor-1", {{"site", "paris"}});
  s.attach_thing("sensor-1", "c1");
  s.attach_policy("P", "c1");
  auto v = connect(s, "c1", "sensor-1");
  REQUIRE(v.allowed);
  CHECK(v.authority->allowed(iot_action::publish, "site/paris/t"));
  CHECK_FALSE(v.authority->allowed(iot_action::publish, "site/lyon/t"));
  CHECK(v.authority->allowed(iot_action::receive, "anything"));
  CHECK_FALSE(connect(s, "c1", "sensor-2").allowed);  // sensor-2 is not a thing attached to c1
}

TEST_CASE("NotAction and NotResource") {
  policy_store s("r", "1");
  s.add_policy("P", doc(R"({"Statement":[
    {"Effect":"Allow","Action":"iot:*","Resource":"*"},
    {"Effect":"Deny","NotAction":["iot:Connect","iot:Subscribe"],"NotResource":"arn:aws:iot:r:1:topic/open/*"}]})"));
  s.attach_policy("P", "c");
  auto v = connect(s, "c", "x");
  REQUIRE(v.allowed);
  CHECK(v.authority->allowed(iot_action::publish, "open/a"));
  CHECK_FALSE(v.authority->allowed(iot_action::publish, "closed/a"));
  CHECK(v.authority->allowed(iot_action::subscribe, "closed/a"));
}

TEST_CASE("certificate variables: iot:Certificate.Subject.CommonName and a second Organization value") {
  policy_store s("us-east-1", "123456789012");
  s.add_policy("ByCert", doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:Certificate.Subject.CommonName}"},
    {"Effect":"Allow","Action":"iot:Publish",
     "Resource":"arn:aws:iot:us-east-1:123456789012:topic/${iot:Certificate.Subject.Organization.1}/${iot:Certificate.SerialNumber}"},
    {"Effect":"Allow","Action":"iot:Subscribe",
     "Resource":"arn:aws:iot:us-east-1:123456789012:topicfilter/${iot:Certificate.Subject.Organization.2}/*"}]})"));
  s.attach_policy("ByCert", "c1");
  mqtt::connection_info info{"127.0.0.1", "c1", {}};
  info.certificate_variables = {{"iot:Certificate.Subject.CommonName", "sensor-7"},
                                {"iot:Certificate.Subject.Organization", "acme"},
                                {"iot:Certificate.Subject.Organization.1", "plant-2"},
                                {"iot:Certificate.SerialNumber", "1234"}};
  auto v = s.authorize_connect(info, "sensor-7");
  REQUIRE(v.allowed);
  CHECK(v.authority->allowed(iot_action::publish, "plant-2/1234"));
  CHECK_FALSE(v.authority->allowed(iot_action::publish, "acme/1234"));
  // An index with no value: no substitution, the resource matches nothing.
  CHECK_FALSE(v.authority->allowed(iot_action::subscribe, "plant-2/x"));
  CHECK_FALSE(s.authorize_connect(info, "sensor-8").allowed);
  info.certificate_variables.clear();  // a certificate without the attribute: nothing resolves
  CHECK_FALSE(s.authorize_connect(info, "sensor-7").allowed);
}

TEST_CASE("iot:ConnectAttributes: AWS's LastWill and PersistentConnect conditions with ForAllValues/ForAnyValue") {
  policy_store s("us-east-1", "123456789012");
  // AWS's "Policy to connect and publish retained Will messages", and "disallows PersistentConnect".
  s.add_policy("Will", doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":["iot:Connect"],"Resource":["arn:aws:iot:us-east-1:123456789012:client/*"],
     "Condition":{"ForAllValues:StringEquals":{"iot:ConnectAttributes":["LastWill"]}}},
    {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],"Resource":["arn:aws:iot:us-east-1:123456789012:topic/will"]}]})"));
  s.attach_policy("Will", "c1");
  s.add_policy("NoPersistence", doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
    {"Effect":"Deny","Action":"iot:Connect","Resource":"*",
     "Condition":{"ForAnyValue:StringEquals":{"iot:ConnectAttributes":["PersistentConnect"]}}}]})"));
  s.attach_policy("NoPersistence", "c2");
  const mqtt::connection_info c1{"127.0.0.1", "c1", {}}, c2{"127.0.0.1", "c2", {}};
  using attrs = mqtt::connect_attributes;
  CHECK(s.authorize_connect(c1, "d", attrs{false, false}).allowed);  // no attributes: ForAllValues holds
  CHECK(s.authorize_connect(c1, "d", attrs{false, true}).allowed);
  CHECK_FALSE(s.authorize_connect(c1, "d", attrs{true, true}).allowed);  // PersistentConnect not listed
  CHECK(s.authorize_connect(c2, "d", attrs{false, true}).allowed);
  CHECK_FALSE(s.authorize_connect(c2, "d", attrs{true, false}).allowed);  // the Deny's ForAnyValue matches
}

TEST_CASE("set operators: only on iot:ConnectAttributes, which needs one, and not with Bool") {
  auto error_of = [](std::string_view json) {
    auto r = parse_policy_document(json);
    REQUIRE(std::holds_alternative<parse_error>(r));
    return std::get<parse_error>(r);
  };
  auto e = error_of(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*",
    "Condition":{"StringEquals":{"iot:ConnectAttributes":"LastWill"}}}]})");
  CHECK(e.path == "Statement[0].Condition.StringEquals.iot:ConnectAttributes");
  CHECK(e.message.find("use ForAllValues: or ForAnyValue:") != std::string::npos);
  e = error_of(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*",
    "Condition":{"ForAnyValue:StringEquals":{"iot:ClientId":"a"}}}]})");
  CHECK(e.message.find("apply to iot:ConnectAttributes only") != std::string::npos);
  e = error_of(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*",
    "Condition":{"ForAllValues:Bool":{"iot:ConnectAttributes":"true"}}}]})");
  CHECK(e.message.find("not 'ForAllValues:Bool'") != std::string::npos);
}
