#include "dynamo_support.hpp"
#include "emulator/core/dynamo/key_condition.hpp"
#include "emulator/core/dynamo/key_encoding.hpp"

using namespace lambkin;
using namespace lambkin::dynamo;
using namespace lambkin::test;

namespace {

config::key_schema readings_keys() {
  config::key_schema k;
  k.partition = {"deviceId", config::attribute_type::string};
  k.sort = config::key_attribute{"ts", config::attribute_type::number};
  return k;
}

dynamo::result<key_range> analyze(std::string_view text, item values, std::map<std::string, std::string, std::less<>> names = {}) {
  auto in = inputs(std::move(values), std::move(names));
  auto c = parse_condition(text, in, "KeyConditionExpression");
  if (!c) return c.error();
  return analyze_key_condition(*c, readings_keys());
}

}  // namespace

TEST_CASE("a key condition becomes a partition key and a sort key range") {
  auto r = analyze("deviceId = :d AND ts BETWEEN :a AND :b", {{":d", S("dev-1")}, {":a", N("10")}, {":b", N("20")}});
  REQUIRE(r);
  CHECK(r->pk == encode_key_value(S("dev-1")));
  CHECK(r->op == key_range::sort_op::between);
  CHECK(r->low == encode_key_value(N("10")));
  CHECK(r->high == encode_key_value(N("20")));

  r = analyze("#d = :d", {{":d", S("x")}}, {{"#d", "deviceId"}});
  REQUIRE(r);
  CHECK(r->op == key_range::sort_op::none);

  r = analyze("ts >= :t AND deviceId = :d", {{":d", S("x")}, {":t", N("5")}});
  REQUIRE(r);
  CHECK(r->op == key_range::sort_op::ge);
  r = analyze("deviceId = :d AND ts < :t", {{":d", S("x")}, {":t", N("5")}});
  REQUIRE(r);
  CHECK(r->op == key_range::sort_op::lt);
  CHECK(r->high == encode_key_value(N("5")));
}

TEST_CASE("key conditions DynamoDB refuses") {
  CHECK(analyze("ts = :t", {{":t", N("1")}}).error().message == "Query condition missed key schema element: deviceId");
  CHECK(analyze("deviceId = :d OR deviceId = :e", {{":d", S("x")}, {":e", S("y")}}).error().message ==
        "Query key condition not supported");
  CHECK(analyze("deviceId = :d", {{":d", N("1")}}).error().message ==
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
  CHECK(analyze("deviceId = :d AND begins_with(ts, :t)", {{":d", S("x")}, {":t", N("1")}})
            .error()
            .message.find("begins_with") != std::string::npos);
  CHECK(analyze("deviceId = :d AND ts BETWEEN :b AND :a", {{":d", S("x")}, {":a", N("1")}, {":b", N("2")}})
            .error()
            .message.find("BETWEEN operator requires upper bound") != std::string::npos);
}
