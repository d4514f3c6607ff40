// Substitution templates: `${expr}` against the original message, never the SELECT output.
#include "rules_support.hpp"

#include "emulator/core/rules/substitution_template.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

namespace {
std::string render_text(const std::string& text, const message_context& m) {
  auto t = compile_template(text, v2016);
  if (!t) return "<compile: " + t.error().what() + ">";
  auto r = render(*t, m);
  if (!r) return "<error: " + r.error().message + ">";
  return *r;
}
}  // namespace

TEST_CASE("templates render functions, operators and payload fields") {
  const auto m = message("device/32/data", R"({"id":"abc","n":5,"o":{"k":[1,2]},"nul":null})");
  CHECK(render_text("${topic()}/republish", m) == "device/32/data/republish");
  CHECK(render_text("${replace(topic(), '/', '-') + '-' + timestamp() + '-' + newuuid()}", m) ==
        "device-32-data-1700000000000-123e4567-e89b-12d3-a456-426614174000");
  CHECK(render_text("arn:aws:lambda:us-east-1:123456789012:function:${topic(2)}", m) ==
        "arn:aws:lambda:us-east-1:123456789012:function:32");
  CHECK(render_text("device/${id}/n=${n * 2}", m) == "device/abc/n=10");
  CHECK(render_text("${o}", m) == R"({"k":[1,2]})");
  CHECK(render_text("[${missing}][${nul}]", m) == "[][]");
  CHECK(render_text("no expressions", m) == "no expressions");
  CHECK(render_text("", m) == "");
  CHECK(render_text("$$aws/things/${topic(2)}/shadow/update", m) == "$$aws/things/32/shadow/update");
  CHECK(render_text("${ {'a': '}'}.a }", m) == "}");
  CHECK(render_text("${'it''s'}", m) == "it's");
  CHECK(render_text("${parse_time('yyyy', timestamp(), 'UTC')}", m) == "2023");
}

TEST_CASE("template errors are located") {
  const auto m = message("t", "{}");
  CHECK(render_text("a/${topic(2)", m) == "<compile: line 1, column 3: unterminated '${' in substitution template>");
  CHECK(render_text("a/${upper(}", m) == "<compile: line 1, column 11: unexpected end of statement>");
  CHECK(render_text("x\n${nope()}", m) == "<compile: line 2, column 3: unknown function 'nope'>");
  CHECK(render_text("${aws_lambda('arn', *)}", m) ==
        "<compile: line 1, column 3: function aws_lambda is not emulated by lambkin>");
  message_context no_uuid;
  no_uuid.topic = "t";
  CHECK(render_text("${newuuid()}", no_uuid) == "<error: newuuid(): no UUID source was given to the evaluator>");
}

TEST_CASE("templates see the original message, not SELECT aliases") {
  auto stmt = compile("SELECT upper(id) AS id, 1 AS alias_only FROM 't'", v2016);
  REQUIRE(stmt);
  const auto m = message("t", R"({"id":"abc"})");
  CHECK(evaluate(*stmt, m).payload == R"({"id":"ABC","alias_only":1})");
  CHECK(render_text("${id}/${alias_only}", m) == "abc/");
}

TEST_CASE("has_expressions tells literal parameters apart") {
  CHECK_FALSE(compile_template("plain/topic", v2016)->has_expressions());
  CHECK(compile_template("a/${topic()}", v2016)->has_expressions());
  CHECK(compile_template("a/${topic()}", v2016)->text() == "a/${topic()}");
}
