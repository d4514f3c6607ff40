// compile(): the grammar, the located errors, and the static checks (functions, versions).
#include "rules_support.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

namespace {
std::string error_of(const std::string& sql, sql_version v = v2016) {
  auto s = compile(sql, v);
  if (s) return "<compiled>";
  return s.error().what();
}
}  // namespace

TEST_CASE("a misspelt keyword is reported with its line, column and token") {
  auto s = compile("SELECT temperature AS t FORM 'things/+/temperature'", v2016);
  REQUIRE_FALSE(s);
  CHECK(s.error().line == 1);
  CHECK(s.error().column == 25);
  CHECK(s.error().token == "FORM");
  CHECK(s.error().what() == "line 1, column 25: unexpected token 'FORM'");
}

TEST_CASE("errors on later lines count lines and columns") {
  CHECK(error_of("SELECT a,\n  b\nFROM 't'\nWHERE a >") == "line 4, column 10: unexpected end of statement");
  CHECK(error_of("SELECT a,\n  )\nFROM 't'") == "line 2, column 3: unexpected token ')'");
}

TEST_CASE("syntax errors") {
  CHECK(error_of("") == "line 1, column 1: unexpected end of statement");
  CHECK(error_of("SELEC * FROM 't'") == "line 1, column 1: unexpected token 'SELEC'");
  CHECK(error_of("SELECT FROM 't'") == "line 1, column 8: unexpected token 'FROM'");
  CHECK(error_of("SELECT a FROM t") == "line 1, column 15: expected a quoted topic filter, got 't'");
  CHECK(error_of("SELECT a FROM") == "line 1, column 14: expected a quoted topic filter after FROM");
  CHECK(error_of("SELECT 'abc FROM 't'") == "line 1, column 20: unterminated string");
  CHECK(error_of("SELECT a # b FROM 't'") == "line 1, column 10: unexpected character '#'");
  CHECK(error_of("SELECT (a FROM 't'") == "line 1, column 11: unexpected token 'FROM'");
  CHECK(error_of("SELECT a FROM 't' WHERE") == "line 1, column 24: unexpected end of statement");
  CHECK(error_of("SELECT a AS FROM 't'") == "line 1, column 13: unexpected token 'FROM'");
  CHECK(error_of("SELECT CASE a THEN 1 END FROM 't'") == "line 1, column 15: unexpected token 'THEN'");
  CHECK(error_of("SELECT a FROM 't' extra") == "line 1, column 19: unexpected token 'extra'");
  CHECK(error_of("SELECT a FROM 'a/#/b'") == "line 1, column 15: invalid topic filter 'a/#/b'");
  CHECK(error_of("SELECT a FROM 'a/b+'") == "line 1, column 15: invalid topic filter 'a/b+'");
}

TEST_CASE("function checks: unknown, arity, external, version") {
  CHECK(error_of("SELECT foo(a) FROM 't'") == "line 1, column 8: unknown function 'foo'");
  CHECK(error_of("SELECT substring('abc') FROM 't'") == "line 1, column 8: function substring takes 2 to 3 arguments, got 1");
  CHECK(error_of("SELECT upper() FROM 't'") == "line 1, column 8: function upper takes 1 argument, got 0");
  CHECK(error_of("SELECT timestamp(1) FROM 't'") == "line 1, column 8: function timestamp takes 0 arguments, got 1");
  for (const char* ext : {"aws_lambda('arn', *)", "get_thing_shadow('t', 'arn')", "get_dynamodb('t','k',1,'arn')",
                          "get_secret('s','SecretString','k','arn')", "machinelearning_predict('m','arn',*)",
                          "get_registry_data('t','arn')"}) {
    CAPTURE(ext);
    const auto e = error_of(std::string("SELECT ") + ext + " AS x FROM 't'");
    CHECK(e.find("is not emulated by lambkin") != std::string::npos);
  }
  CHECK(error_of("SELECT aws_lambda('arn', *) FROM 't'") ==
        "line 1, column 8: function aws_lambda is not emulated by lambkin");
  CHECK(error_of("SELECT encode(*, 'base64') FROM 't'", v2015) ==
        "line 1, column 8: function encode requires SQL version 2016-03-23");
  CHECK(error_of("SELECT isUndefined(a) FROM 't'", v2015).find("requires SQL version 2016-03-23") != std::string::npos);
}

TEST_CASE("2016-03-23-only syntax is refused in 2015-10-08") {
  CHECK(error_of("SELECT {'a': 1} AS o FROM 't'", v2015) == "line 1, column 8: object literals require SQL version 2016-03-23");
  CHECK(error_of("SELECT [1, 2] AS o FROM 't'", v2015) == "line 1, column 8: array literals require SQL version 2016-03-23");
  CHECK(error_of("SELECT (SELECT VALUE n FROM e) AS o FROM 't'", v2015) ==
        "line 1, column 8: nested SELECT statements require SQL version 2016-03-23");
  CHECK(error_of("SELECT cast(a AS Boolean) AS b FROM 't'", v2015) ==
        "line 1, column 18: cast to Boolean requires SQL version 2016-03-23");
  CHECK(error_of("SELECT cast(a AS Blob) AS b FROM 't'") == "line 1, column 18: unknown cast type 'Blob'");
}

TEST_CASE("keywords and function names are case-insensitive, field names are not") {
  CHECK(run("select Upper(Color) as C from 't' where TEMP > 1", R"({"Color":"red","TEMP":2,"temp":0})") == R"({"C":"RED"})");
  CHECK(run("SeLeCt VaLuE color FrOm 't'", R"({"color":"x"})") == R"("x")");
}

TEST_CASE("FROM is optional and the filter keeps wildcards and reserved topics") {
  auto s = compile("SELECT * WHERE a = 1", v2016);
  REQUIRE(s);
  CHECK(s->topic_filter().empty());
  auto t = compile("SELECT * FROM '$aws/things/+/shadow/update/accepted'", v2016);
  REQUIRE(t);
  CHECK(t->topic_filter() == "$aws/things/+/shadow/update/accepted");
  CHECK(t->version() == v2016);
  CHECK(compile("SELECT * FROM \"topic/#\"", v2016)->topic_filter() == "topic/#");
}

TEST_CASE("sql versions parse and print") {
  CHECK(parse_sql_version("2015-10-08") == v2015);
  CHECK(parse_sql_version("2016-03-23") == v2016);
  CHECK(parse_sql_version("beta") == sql_version::beta);
  CHECK_FALSE(parse_sql_version("2017-01-01"));
  CHECK(to_string(v2016) == "2016-03-23");
  CHECK(default_rule_sql_version == v2015);
}

TEST_CASE("deep nesting is a compile error, not a crash") {
  std::string sql = "SELECT ";
  for (int i = 0; i < 5000; ++i) sql += "(";
  sql += "1";
  for (int i = 0; i < 5000; ++i) sql += ")";
  sql += " AS x FROM 't'";
  CHECK(error_of(sql).find("expression nested too deeply") != std::string::npos);
  std::string nots = "SELECT * FROM 't' WHERE ";
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  nots += "true";
  CHECK(error_of(nots).find("expression nested too deeply") != std::string::npos);
  std::string minus = "SELECT ";
  for (int i = 0; i < 5000; ++i) minus += "- ";
  minus += "a AS x FROM 't'";
  CHECK(error_of(minus).find("expression nested too deeply") != std::string::npos);
}

TEST_CASE("string literals: both quotes, doubled quotes and backslash escapes") {
  check_exprs({
      {"'it''s'", R"("it's")"},
      {R"("say \"hi\"")", R"("say \"hi\"")"},
      {R"('a\'b')", R"("a'b")"},
      {R"('tab\tnl\n')", R"("tab\tnl\n")"},
  });
}
