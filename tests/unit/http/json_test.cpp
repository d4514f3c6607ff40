#include "emulator/core/http/json_reader.hpp"
#include "emulator/core/http/json_writer.hpp"

#include <doctest/doctest.h>

using namespace lambkin::http;

TEST_CASE("parse_json reads objects, arrays, strings, numbers and literals") {
  auto v = parse_json(R"( {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "o": {}} )");
  REQUIRE(v);
  REQUIRE(v->is_object());
  const auto* a = v->find("a");
  REQUIRE(a);
  REQUIRE(a->items.size() == 5);
  CHECK(a->items[0].as_integer() == 1);
  CHECK(a->items[1].text == "-2.5e3");
  CHECK(a->items[1].as_integer() == -2500);
  CHECK(a->items[2].boolean);
  CHECK(a->items[4].type == json_value::kind::null);
  CHECK(v->find("s")->text == "x\"\\/\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(v->find("o")->is_object());
  CHECK_FALSE(v->find("missing"));
}

TEST_CASE("parse_json refuses what is not exactly one JSON value") {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru", "\"a", "\"\x01\"",
                          "{} {}", "{'a':1}", "\"\\x\"", "\"\\u12\""})
    CHECK_MESSAGE(!parse_json(bad), bad);
  CHECK(parse_json(std::string(600, '[') + std::string(600, ']')) == std::nullopt);
  CHECK(parse_json(std::string(100, '[') + std::string(100, ']')));
}

TEST_CASE("find returns the last of repeated members, as JSON.parse keeps it") {
  auto v = parse_json(R"({"k":1,"k":2})");
  REQUIRE(v);
  CHECK(v->find("k")->as_integer() == 2);
}

TEST_CASE("as_integer accepts integral numbers only") {
  CHECK(parse_json("200.0")->as_integer() == 200);
  CHECK(parse_json("2e2")->as_integer() == 200);
  CHECK_FALSE(parse_json("200.5")->as_integer());
  CHECK_FALSE(parse_json("1e300")->as_integer());
  CHECK_FALSE(parse_json("\"200\"")->as_integer());
}

TEST_CASE("json_quote escapes and replaces bytes that are not UTF-8") {
  CHECK(json_quote("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
  CHECK(json_quote("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
  CHECK(json_quote("\xFF") == "\"\xEF\xBF\xBD\"");
  CHECK(json_quote("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK(is_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  CHECK_FALSE(is_utf8("\xC0\xAF"));
  CHECK_FALSE(is_utf8("\xE2\x82"));
}

TEST_CASE("json_writer builds objects and arrays in call order") {
  json_writer list(true);
  list.string({}, "a").number({}, 2).boolean({}, true).null({});
  json_writer w;
  w.string("s", "x").raw("list", list.finish()).string_map("m", {{"k", "v"}});
  CHECK(w.finish() == R"({"s":"x","list":["a",2,true,null],"m":{"k":"v"}})");
  CHECK(json_writer().finish() == "{}");
}
