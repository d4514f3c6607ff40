// SELECT and WHERE: items, aliases, *, VALUE, nested fields, indexes, Undefined omission, WHERE
// before SELECT, non-JSON payloads, and the 2015-10-08 differences.
#include "rules_support.hpp"

using namespace lambkin::rules;
using namespace lambkin::rules::test;

TEST_CASE("Undefined fields are left out of the output") {
  check_rows({
      {"SELECT a, missing, b FROM 't'", R"({"a":1,"b":2})", R"({"a":1,"b":2})"},
      {"SELECT missing FROM 't'", R"({"a":1})", "{}"},
      {"SELECT a.b.c AS x FROM 't'", R"({"a":{"b":1}})", "{}"},
      {"SELECT null AS n, a FROM 't'", R"({"a":null})", R"({"n":null,"a":null})"},
      {"SELECT VALUE missing FROM 't'", R"({"a":1})", ""},
      {"SELECT [a, missing, 2] AS l FROM 't'", R"({"a":1})", R"({"l":[1,2]})"},
      {"SELECT {'x': missing, 'y': a} AS o FROM 't'", R"({"a":1})", R"({"o":{"y":1}})"},
  });
}

TEST_CASE("output keys: aliases, field names, function names, positions, repeated keys") {
  check_rows({
      {"SELECT a.b FROM 't'", R"({"a":{"b":1}})", R"({"b":1})"},
      {"SELECT upper(s) FROM 't'", R"({"s":"x"})", R"({"upper":"X"})"},
      {"SELECT 1 + 1 FROM 't'", "{}", R"({"_1":2})"},
      {"SELECT l[1] FROM 't'", R"({"l":[5,6]})", R"({"l":6})"},
      {"SELECT a AS x, b AS x FROM 't'", R"({"a":1,"b":2})", R"({"x":2})"},
      {"SELECT *, 3 AS a FROM 't'", R"({"a":1,"b":2})", R"({"a":3,"b":2})"},
      {"SELECT a AS 'quoted key' FROM 't'", R"({"a":1})", R"({"quoted key":1})"},
      {"SELECT foo.bar AS bar.baz FROM 't'", R"({"foo":{"bar":1}})", R"({"bar.baz":1})"},
  });
}

TEST_CASE("the payload's member order is kept, and SELECT order after it") {
  CHECK(run("SELECT * FROM 't'", R"({"z":1,"a":2,"m":{"y":1,"b":2}})") == R"({"z":1,"a":2,"m":{"y":1,"b":2}})");
  CHECK(run("SELECT c, a, b FROM 't'", R"({"a":1,"b":2,"c":3})") == R"({"c":3,"a":1,"b":2})");
}

TEST_CASE("nested fields, array indexes and get()") {
  const char* p = R"({"a":{"b":{"c":[10,{"d":"x"}]}},"item-2":{"0":"zero"},"arr":[[1,2],[3]]})";
  check_exprs(
      {
          {"a.b.c[0]", "10"},
          {"a.b.c[1].d", R"("x")"},
          {"a.b.c[2]", ""},
          {"a.b.c[-1]", ""},
          {"a.b.c['0']", "10"},
          {"a.b['c'][0]", "10"},
          {"arr[0][1]", "2"},
          {"get(get(*, 'item-2'), '0')", R"("zero")"},
          {"get(a, 'b').c[0]", "10"},
          {"a.missing.deeper", ""},
          {"a.b.c.d", ""},
      },
      p);
}

TEST_CASE("SELECT VALUE outputs bare values, including arrays in 2016-03-23") {
  check_rows({
      {"SELECT VALUE 42 FROM 't'", "{}", "42"},
      {"SELECT VALUE 'text' FROM 't'", "{}", R"("text")"},
      {"SELECT VALUE a FROM 't'", R"({"a":[1,"x",null]})", R"([1,"x",null])"},
      {"SELECT VALUE * FROM 't'", R"({"a":1})", R"({"a":1})"},
      {"SELECT value FROM 't'", R"({"value":7})", R"({"value":7})"},
      {"SELECT value, x FROM 't'", R"({"value":7,"x":1})", R"({"value":7,"x":1})"},
  });
}

TEST_CASE("WHERE is evaluated before SELECT and only Boolean true fires") {
  check_rows({
      {"SELECT a FROM 't' WHERE a > 1", R"({"a":2})", R"({"a":2})"},
      {"SELECT a FROM 't' WHERE a > 1", R"({"a":1})", no_output},
      {"SELECT a FROM 't' WHERE missing > 1", R"({"a":1})", no_output},
      {"SELECT a FROM 't' WHERE 'true'", R"({"a":1})", no_output},
      {"SELECT a FROM 't' WHERE 1", R"({"a":1})", no_output},
      {"SELECT a FROM 't' WHERE null", R"({"a":1})", no_output},
      {"SELECT a FROM 't' WHERE true", R"({"a":1})", R"({"a":1})"},
      {"SELECT a AS x FROM 't' WHERE x = 1", R"({"a":1})", no_output},  // aliases are not visible to WHERE
      {"SELECT a FROM 't' WHERE a = 1 AND b = 'x' OR c = 2", R"({"a":1,"b":"x","c":3})", R"({"a":1})"},
      // An Undefined operand makes OR Undefined (AWS's operator table), even when the other side is true.
      {"SELECT a FROM 't' WHERE a = 1 OR missing", R"({"a":1})", no_output},
      {"SELECT a FROM 't' WHERE NOT a = 1", R"({"a":2})", R"({"a":2})"},
      {"SELECT missing FROM 't' WHERE true", R"({"a":1})", "{}"},  // output, but empty
  });
}

TEST_CASE("non-JSON payloads: * is the raw bytes, fields are Undefined") {
  check_rows({
      {"SELECT * FROM 't'", "not json", "not json"},
      {"SELECT temperature FROM 't'", "not json", "{}"},
      {"SELECT * FROM 't' WHERE temperature > 30", "not json", no_output},
      {"SELECT * FROM 't' WHERE timestamp() % 12 = 8", "raw", "raw"},
      {"SELECT encode(*, 'base64') AS data, timestamp() AS ts FROM 't'", "raw\x01",
       R"({"data":"cmF3AQ==","ts":1700000000000})"},
      {"SELECT *, timestamp() AS ts FROM 't'", "raw",
       "<error: SELECT * of a binary (non-JSON) payload cannot be combined with other items>"},
      {"SELECT VALUE * FROM 't'", "raw", "raw"},
  });
  auto s = compile("SELECT * FROM 't'", v2016);
  auto e = evaluate(*s, message("t", "{\"a\":1}"));
  CHECK_FALSE(e.binary);
  CHECK(e.result.kind() == value_kind::object);
}

TEST_CASE("encode(*) encodes the payload's exact bytes, JSON or not") {
  CHECK(run("SELECT encode(*, 'base64') AS d FROM 't'", R"({ "a" : 1 })") == R"({"d":"eyAiYSIgOiAxIH0="})");
}

TEST_CASE("JSON payloads that are not objects") {
  check_rows({
      {"SELECT * FROM 't'", "[1,2]", "[1,2]"},
      {"SELECT * FROM 't'", "42", "42"},
      {"SELECT VALUE get(*, 1) FROM 't'", "[1,2]", "2"},
      {"SELECT a FROM 't'", "[1,2]", "{}"},
  });
}

TEST_CASE("nested SELECT over arrays and objects") {
  const char* p = R"({"e":[{"n":"t","v":1},{"n":"h","v":2},{"n":"t","v":3},5]})";
  check_exprs(
      {
          {"(SELECT VALUE v FROM e)", "[1,2,3]"},
          {"(SELECT VALUE v FROM e WHERE n = 't')", "[1,3]"},
          {"(SELECT n, v * 10 AS w FROM e WHERE v > 1)", R"([{"n":"h","w":20},{"n":"t","w":30}])"},
          {"(SELECT * FROM e WHERE n = 'h')", R"([{"n":"h","v":2}])"},
          {"(SELECT VALUE * FROM e WHERE isUndefined(n))", "[5]"},
          {"(SELECT VALUE v FROM missing)", ""},
          {"(SELECT v FROM get(e, 0))", R"({"v":1})"},
          {"(SELECT VALUE (SELECT VALUE x FROM y) FROM z)", R"([[1,2],[3]])"},
      },
      R"({"e":[{"n":"t","v":1},{"n":"h","v":2},{"n":"t","v":3},5],"z":[{"y":[{"x":1},{"x":2}]},{"y":[{"x":3}]}]})");
  (void)p;
}

TEST_CASE("CASE: simple and searched forms, no match, Undefined subject") {
  check_exprs(
      {
          {"CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", R"("two")"},
          {"CASE a WHEN 1 THEN 'one' END", ""},
          {"CASE a WHEN 1 THEN 'one' ELSE 'other' END", R"("other")"},
          {"CASE missing WHEN 1 THEN 'one' ELSE 'other' END", ""},
          {"CASE a WHEN 2.0 THEN 'num' END", R"("num")"},
          {"CASE a WHEN '2' THEN 'str' ELSE 'no' END", R"("no")"},
          {"CASE WHEN a > 1 THEN 'big' ELSE 'small' END", R"("big")"},
          {"CASE WHEN a > 5 THEN 'big' END", ""},
      },
      R"({"a":2})");
}

TEST_CASE("2016-03-23 turns whole Decimals into Ints, 2015-10-08 keeps them") {
  CHECK(run("SELECT a, b, a * 2 AS c, 1.50 AS d FROM 't'", R"({"a":10.0,"b":1e2})", v2016) ==
        R"({"a":10,"b":100,"c":20,"d":1.50})");
  CHECK(run("SELECT a, b, 1.50 AS d FROM 't'", R"({"a":10.0,"b":1e2})", v2015) == R"({"a":10.0,"b":1e2,"d":1.50})");
  CHECK(run("SELECT sqrt(9) AS r, power(2, 5) AS p FROM 't'", "{}", v2015) == R"({"r":3.0,"p":32.0})");
  CHECK(run("SELECT sqrt(9) AS r, power(2, 5) AS p FROM 't'", "{}", v2016) == R"({"r":3,"p":32})");
  CHECK(run("SELECT sql_version() AS v FROM 't'", "{}", v2015) == R"({"v":"2015-10-08"})");
  CHECK(run("SELECT 21.5 * 2 AS x FROM 't'", "{}", v2015) == R"({"x":43.0})");
}

TEST_CASE("the evaluation's value is available to actions") {
  auto s = compile("SELECT a, b FROM 't'", v2016);
  auto e = evaluate(*s, message("t", R"({"a":1,"b":"x"})"));
  REQUIRE(e.kind == evaluation::outcome::output);
  CHECK(e.result.field("a").as_int() == 1);
  CHECK(e.result.field("b").as_string() == "x");
}

TEST_CASE("newuuid() and rand() without sources are evaluation errors, with sources they work") {
  message_context m;
  m.topic = "t";
  m.payload = "{}";
  CHECK(run("SELECT newuuid() AS id FROM 't'", m) == "<error: newuuid(): no UUID source was given to the evaluator>");
  CHECK(run("SELECT rand() AS r FROM 't'", m) == "<error: rand(): no random source was given to the evaluator>");
  CHECK(run("SELECT newuuid() AS id, rand() AS r FROM 't'", message("t", "{}")) ==
        R"({"id":"123e4567-e89b-12d3-a456-426614174000","r":0.25})");
}

TEST_CASE("evaluate_expression evaluates one expression against a message") {
  auto v = evaluate_expression("topic(2) + '-' + a", message("x/y", R"({"a":1})"));
  REQUIRE(v);
  CHECK(to_json(*v) == R"("y-1")");
  CHECK_FALSE(evaluate_expression("a +", message("x/y", "{}")));
}
