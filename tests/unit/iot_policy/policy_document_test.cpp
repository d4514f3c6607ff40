// Parsing policy documents: the shapes AWS accepts, and errors that name the element.
#include "emulator/core/iot_policy/policy_document.hpp"

#include <doctest/doctest.h>

#include <variant>

using namespace lambkin::iot_policy;

namespace {

policy_document ok(std::string_view json) {
  auto r = parse_policy_document(json);
  if (auto* e = std::get_if<parse_error>(&r)) FAIL_CHECK(e->path << ": " << e->message);
  REQUIRE(std::holds_alternative<policy_document>(r));
  return std::get<policy_document>(std::move(r));
}

parse_error bad(std::string_view json) {
  auto r = parse_policy_document(json);
  REQUIRE(std::holds_alternative<parse_error>(r));
  return std::get<parse_error>(std::move(r));
}

}  // namespace

TEST_CASE("Statement as one object, Action and Resource as strings") {
  auto d = ok(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}})");
  REQUIRE(d.statements.size() == 1);
  CHECK(d.statements[0].allow);
  CHECK(d.statements[0].actions == std::vector<std::string>{"iot:Connect"});
  CHECK(d.statements[0].resources == std::vector<std::string>{"*"});
}

TEST_CASE("Statement as a list, lists of actions and resources, Deny, NotAction, conditions") {
  auto d = ok(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"a","Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":["arn:aws:iot:*:*:topic/a","arn:aws:iot:*:*:topic/b"]},
    {"Effect":"Deny","NotAction":"iot:Connect","Resource":"*",
     "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":false},"StringLike":{"iot:ClientId":["dev-*","x"]}}}]})");
  REQUIRE(d.statements.size() == 2);
  CHECK(d.statements[0].actions.size() == 2);
  CHECK(d.statements[0].resources.size() == 2);
  CHECK_FALSE(d.statements[1].allow);
  CHECK(d.statements[1].not_action);
  REQUIRE(d.statements[1].conditions.size() == 2);
  CHECK(d.statements[1].conditions[0].op == condition_operator::boolean);
  CHECK(d.statements[1].conditions[0].values == std::vector<std::string>{"false"});
  CHECK(d.statements[1].conditions[1].values.size() == 2);
}

TEST_CASE("errors name the element") {
  CHECK(bad("{").message == "is not valid JSON");
  CHECK(bad("[]").message == "a policy document must be a JSON object");
  CHECK(bad(R"({"Version":"2012-10-17"})").path == "Statement");
  auto e = bad(R"({"Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"},{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]})");
  CHECK(e.path == "Statement[1].Effect");
  CHECK(e.message == "must be Allow or Deny");
  CHECK(bad(R"({"Version":"2020-01-01","Statement":[]})").path == "Version");
  CHECK(bad(R"({"Statement":{"Effect":"Allow","Resource":"*"}})").message == "must have exactly one of Action and NotAction");
  CHECK(bad(R"({"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}})").path == "Statement.Action");
  CHECK(bad(R"({"Statement":{"Effect":"Allow","Action":"iot:*","Resource":"*","Principal":"*"}})").path ==
        "Statement.Principal");
  auto op = bad(R"({"Statement":{"Effect":"Allow","Action":"iot:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"1.2.3.4"}}}})");
  CHECK(op.path == "Statement.Condition.IpAddress");
  CHECK(bad(R"({"Statement":{"Effect":"Allow","Action":"iot:*","Resource":7}})").path == "Statement.Resource");
}
