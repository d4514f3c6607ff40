#include "dynamo_support.hpp"
#include "emulator/core/dynamo/update_apply.hpp"

using namespace lambkin::dynamo;
using namespace lambkin::test;

namespace {

/// Applies `text` to `i`; returns the error message or "".
std::string run_update(item& i, std::string_view text, item values = {}, std::map<std::string, std::string, std::less<>> names = {}) {
  auto in = inputs(std::move(values), std::move(names));
  auto u = parse_update(text, in);
  if (!u) return u.error().message;
  auto e = apply_update(*u, i);
  return e ? e->message : "";
}

}  // namespace

TEST_CASE("SET assigns values, arithmetic, if_not_exists and list_append") {
  item i{{"id", S("a")}, {"count", N("1")}, {"list", L({N("1")})}};
  CHECK(run_update(i, "SET #c = #c + :one, newer = if_not_exists(newer, :zero), list = list_append(list, :more), other = :s",
              {{":one", N("1")}, {":zero", N("0")}, {":more", L({N("2")})}, {":s", S("x")}}, {{"#c", "count"}}) == "");
  CHECK(i.at("count") == N("2"));
  CHECK(i.at("newer") == N("0"));
  CHECK(i.at("list") == L({N("1"), N("2")}));
  CHECK(i.at("other") == S("x"));
  CHECK(run_update(i, "SET newer = if_not_exists(newer, :nine) - :one", {{":nine", N("9")}, {":one", N("1")}}) == "");
  CHECK(i.at("newer") == N("-1"));
}

TEST_CASE("SET on nested paths, and list indexes past the end append") {
  item i{{"m", M({{"a", N("1")}})}, {"l", L({S("x")})}};
  CHECK(run_update(i, "SET m.b = :v, l[5] = :w", {{":v", N("2")}, {":w", S("y")}}) == "");
  CHECK(i.at("m").map.at("b") == N("2"));
  CHECK(i.at("l") == L({S("x"), S("y")}));
  CHECK(run_update(i, "SET missing.deep = :v", {{":v", N("1")}}) ==
        "The document path provided in the update expression is invalid for update");
}

TEST_CASE("REMOVE deletes attributes and list elements, highest index first") {
  item i{{"a", N("1")}, {"l", L({N("0"), N("1"), N("2"), N("3")})}};
  CHECK(run_update(i, "REMOVE a, l[1], l[3]") == "");
  CHECK_FALSE(i.contains("a"));
  CHECK(i.at("l") == L({N("0"), N("2")}));
}

TEST_CASE("ADD increments numbers and unions sets, DELETE removes from sets") {
  item i{{"n", N("5")}, {"tags", SS({"a", "b"})}};
  CHECK(run_update(i, "ADD n :d, tags :t, fresh :d", {{":d", N("-2")}, {":t", SS({"b", "c"})}}) == "");
  CHECK(i.at("n") == N("3"));
  CHECK(i.at("fresh") == N("-2"));
  CHECK(i.at("tags") == SS({"a", "b", "c"}));
  CHECK(run_update(i, "DELETE tags :t", {{":t", SS({"a", "b", "c"})}}) == "");
  CHECK_FALSE(i.contains("tags"));  // an empty set is no attribute
  CHECK(run_update(i, "ADD n :s", {{":s", S("x")}}) ==
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
}

TEST_CASE("update errors: wrong operand types, missing attributes, overlapping paths, repeated clauses") {
  item i{{"s", S("x")}};
  CHECK(run_update(i, "SET s = s + :one", {{":one", N("1")}}) == "An operand in the update expression has an incorrect data type");
  CHECK(run_update(i, "SET a = nothing") == "The provided expression refers to an attribute that does not exist in the item");
  CHECK(run_update(i, "SET a = :v, a.b = :v", {{":v", N("1")}}).find("Two document paths overlap") != std::string::npos);
  CHECK(run_update(i, "SET a = :v SET b = :v", {{":v", N("1")}}) ==
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
}

TEST_CASE("projection keeps the named paths, nested maps and list elements in order") {
  item i{{"a", N("1")}, {"b", N("2")}, {"m", M({{"x", N("1")}, {"y", N("2")}})}, {"l", L({S("p"), S("q"), S("r")})}};
  auto in = inputs();
  auto p = parse_projection("a, m.y, l[2], l[0], missing", in);
  REQUIRE(p);
  const auto out = project(i, *p);
  CHECK(out == item{{"a", N("1")}, {"m", M({{"y", N("2")}})}, {"l", L({S("p"), S("r")})}});
}
