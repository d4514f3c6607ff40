// The JSON payload parser and serializer: precision, Int vs Decimal, member order, escapes.
#include "rules_support.hpp"

#include "emulator/core/rules/json.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

namespace {
std::string round_trip(std::string_view text, bool quirk = false) {
  auto v = parse_json(text, quirk);
  return v ? to_json(*v) : "<invalid>";
}
}  // namespace

TEST_CASE("numbers keep their precision and their Int/Decimal kind") {
  CHECK(round_trip("123456789012345678901234567890.123") == "123456789012345678901234567890.123");
  CHECK(round_trip("0.1000") == "0.1000");
  CHECK(round_trip("-0") == "0");
  CHECK(round_trip("1E+2") == "1E+2");
  CHECK(round_trip("12345678901234567890") == "12345678901234567890");
  CHECK(parse_json("22", false)->kind() == value_kind::integer);
  CHECK(parse_json("22.5", false)->kind() == value_kind::decimal);
  CHECK(parse_json("12345678901234567890", false)->kind() == value_kind::decimal);
  CHECK(parse_json("10.0", false)->kind() == value_kind::decimal);
  CHECK(parse_json("10.0", true)->kind() == value_kind::integer);
  CHECK(parse_json("1.5e1", true)->kind() == value_kind::integer);
  CHECK(parse_json("1.25e1", true)->kind() == value_kind::decimal);
  CHECK(expr("a + 1", R"({"a":123456789012345678901234567890.5})") == "123456789012345678901234567891.5");
  // A payload decimal converted only when used still compares, rounds and computes exactly.
  CHECK(expr("[a > 21.4, a = 21.50, floor(a), a * 2, -a, cast(a AS String)]", R"({"a":21.5})") ==
        R"([true,true,21,43,-21.5,"21.5"])");
}

TEST_CASE("strings: escapes in, escapes out") {
  CHECK(round_trip(R"("a\"b\\c\/d\n\t\u00e9\ud83d\ude00")") == "\"a\\\"b\\\\c/d\\n\\t\xc3\xa9\xf0\x9f\x98\x80\"");
  CHECK(round_trip("\"\x01\"") == "<invalid>");
  CHECK(round_trip(R"("\u0001")") == R"("\u0001")");
}

TEST_CASE("objects keep member order, repeated keys read as the last one") {
  CHECK(round_trip(R"({ "b" : 1, "a" : [ true, false, null ] })") == R"({"b":1,"a":[true,false,null]})");
  CHECK(expr("k", R"({"k":1,"k":2})") == "2");
}

TEST_CASE("invalid JSON is refused, surrounding whitespace is not") {
  for (const char* bad : {"", "{", "[1,]", "{\"a\"}", "{'a':1}", "01x", "1 2", "nul", "[1] x", "\"abc", "{\"a\":1,}", "-", "01.5", "1.", "1.2.3", "1e", "--1", ".5"}) {
    CAPTURE(bad);
    CHECK(round_trip(bad) == "<invalid>");
  }
  CHECK(round_trip("  {\"a\":1}\n") == R"({"a":1})");
}

TEST_CASE("deep nesting is refused rather than overflowing the stack") {
  std::string deep(100000, '[');
  CHECK_FALSE(parse_json(deep, false));
  std::string ok(500, '[');
  ok += std::string(500, ']');
  CHECK(parse_json(ok, false));
}

TEST_CASE("value basics") {
  CHECK(to_string(value_kind::decimal) == "Decimal");
  CHECK(value().is_undefined());
  CHECK(to_json(value()) == "");
  CHECK(to_json(value::binary("raw")) == "raw");
  CHECK(value::integer(1).field("x").is_undefined());
  CHECK(value::make_array({value::integer(1)}).item(0).as_int() == 1);
}
