#include "dynamo_support.hpp"
#include "emulator/core/dynamo/condition_eval.hpp"
#include "emulator/core/dynamo/expression_parser.hpp"

using namespace lambkin::dynamo;
using namespace lambkin::test;

namespace {

const item reading{{"deviceId", S("dev-1")},
                   {"ts", N("100")},
                   {"temperature", N("21.5")},
                   {"tags", SS({"indoor", "lab"})},
                   {"history", L({N("1"), N("2"), N("3")})},
                   {"meta", M({{"site", S("north")}, {"floor", N("2")}})},
                   {"ok", BOOL(true)},
                   {"name", S("sensor-α")}};

bool eval(std::string_view text, item values = {}, std::map<std::string, std::string, std::less<>> names = {}) {
  auto in = inputs(std::move(values), std::move(names));
  auto c = parse_condition(text, in, "ConditionExpression");
  REQUIRE_MESSAGE(c, (c ? "" : c.error().message));
  return evaluate(*c, reading);
}

std::string parse_error(std::string_view text, item values = {}, std::map<std::string, std::string, std::less<>> names = {}) {
  auto in = inputs(std::move(values), std::move(names));
  auto c = parse_condition(text, in, "ConditionExpression");
  return c ? "" : c.error().message;
}

}  // namespace

TEST_CASE("comparisons order numbers numerically and strings bytewise") {
  CHECK(eval("temperature > :t", {{":t", N("9")}}));
  CHECK_FALSE(eval("temperature < :t", {{":t", N("9")}}));
  CHECK(eval("temperature = :t", {{":t", N("21.50")}}));
  CHECK(eval("deviceId <> :d", {{":d", S("dev-2")}}));
  CHECK(eval("deviceId < :d", {{":d", S("dev-2")}}));
  CHECK(eval("temperature BETWEEN :lo AND :hi", {{":lo", N("20")}, {":hi", N("22")}}));
  CHECK(eval("deviceId IN (:a, :b)", {{":a", S("x")}, {":b", S("dev-1")}}));
}

TEST_CASE("a missing attribute or a type mismatch makes a comparison false, not an error") {
  CHECK_FALSE(eval("nothing = :v", {{":v", S("x")}}));
  CHECK_FALSE(eval("temperature > :s", {{":s", S("1")}}));
  CHECK(eval("NOT nothing = :v", {{":v", S("x")}}));
}

TEST_CASE("functions: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size") {
  CHECK(eval("attribute_exists(deviceId)"));
  CHECK(eval("attribute_not_exists(missing)"));
  CHECK(eval("attribute_exists(meta.site)"));
  CHECK(eval("attribute_exists(history[2])"));
  CHECK_FALSE(eval("attribute_exists(history[3])"));
  CHECK(eval("attribute_type(tags, :t)", {{":t", S("SS")}}));
  CHECK_FALSE(eval("attribute_type(ok, :t)", {{":t", S("S")}}));
  CHECK(eval("begins_with(deviceId, :p)", {{":p", S("dev")}}));
  CHECK(eval("contains(tags, :t)", {{":t", S("lab")}}));
  CHECK(eval("contains(name, :t)", {{":t", S("α")}}));
  CHECK(eval("contains(history, :n)", {{":n", N("2")}}));
  CHECK(eval("size(history) = :n", {{":n", N("3")}}));
  CHECK(eval("size(name) > :n", {{":n", N("8")}}));  // bytes, not characters
  CHECK(eval("size(meta) = :n", {{":n", N("2")}}));
}

TEST_CASE("AND binds tighter than OR, NOT tighter than AND, parentheses group") {
  item v{{":a", S("dev-1")}, {":b", S("nope")}};
  CHECK(eval("deviceId = :b OR deviceId = :a AND attribute_exists(ts)", v));
  CHECK_FALSE(eval("(deviceId = :b OR deviceId = :a) AND attribute_exists(nothing)", v));
  CHECK(eval("NOT deviceId = :b AND deviceId = :a", v));
  CHECK(eval("not (deviceId = :b)", v));  // keywords are case-insensitive
}

TEST_CASE("placeholders: #names resolve, including reserved words and dots") {
  CHECK(eval("#n = :v", {{":v", S("sensor-α")}}, {{"#n", "name"}}));
  CHECK(eval("#m.#s = :v", {{":v", S("north")}}, {{"#m", "meta"}, {"#s", "site"}}));
}

TEST_CASE("syntax and placeholder errors carry DynamoDB's messages") {
  CHECK(parse_error("") == "Invalid ConditionExpression: The expression can not be empty;");
  CHECK(parse_error("a = :missing") ==
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing");
  CHECK(parse_error("#x = :v", {{":v", S("1")}}) ==
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x");
  CHECK(parse_error("a = = :v", {{":v", S("1")}}).starts_with("Invalid ConditionExpression: Syntax error; token: \"=\""));
  CHECK(parse_error("a = :v AND", {{":v", S("1")}}).find("token: \"<EOF>\"") != std::string::npos);
  CHECK(parse_error("frobnicate(a)") == "Invalid ConditionExpression: Invalid function name; function: frobnicate");
  CHECK(parse_error("attribute_type(a, :t)", {{":t", S("X")}}).starts_with("Invalid ConditionExpression: Invalid attribute type name"));
}

TEST_CASE("unused names and values are reported after parsing") {
  auto in = inputs({{":a", S("1")}, {":unused", S("2")}}, {{"#n", "x"}, {"#spare", "y"}});
  REQUIRE(parse_condition("#n = :a", in, "ConditionExpression"));
  auto e = check_all_used(in);
  REQUIRE(e);
  CHECK(e->message == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
  in.used_values.insert(":unused");
  CHECK(check_all_used(in)->message == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#spare}");
}
