// Wildcards and policy variables: what a resource pattern matches.
#include "emulator/core/iot_policy/policy_variables.hpp"
#include "emulator/core/iot_policy/wildcard.hpp"

#include <doctest/doctest.h>

using namespace lambkin::iot_policy;

TEST_CASE("* matches any run (also / and :), ? exactly one character") {
  CHECK(wildcard_match("arn:aws:iot:*:topic/a/*", "arn:aws:iot:us-east-1:1:topic/a/b/c"));
  CHECK(wildcard_match("topic/a/*", "topic/a/"));
  CHECK_FALSE(wildcard_match("topic/a/*", "topic/a"));
  CHECK(wildcard_match("topic/a?c", "topic/abc"));
  CHECK_FALSE(wildcard_match("topic/a?c", "topic/ac"));
  CHECK(wildcard_match("*", ""));
  CHECK(wildcard_match("a*b*c", "aXXbYYbc"));
  CHECK_FALSE(wildcard_match("a*b*c", "aXXbYYb"));
  CHECK_FALSE(wildcard_match("topic/A", "topic/a"));  // resources are case sensitive
  CHECK(wildcard_match("iot:publish", "iot:Publish", true));
  CHECK(wildcard_match("IOT:*", "iot:Receive", true));
}

TEST_CASE("escaped characters are literal") {
  CHECK(wildcard_match(escape_pattern("a*b"), "a*b"));
  CHECK_FALSE(wildcard_match(escape_pattern("a*b"), "aXb"));
  CHECK_FALSE(wildcard_match(escape_pattern("a?"), "ab"));
  CHECK(wildcard_match(compile_pattern("a\\b*"), "a\\bcd"));
}

TEST_CASE("variables expand to literal values, unresolved ones match nothing") {
  variable_values vars;
  vars.set("iot:ClientId", "dev*1");
  auto p = expand_resource("arn:aws:iot:r:1:topic/things/${iot:ClientId}/*", vars);
  REQUIRE(p);
  CHECK(wildcard_match(*p, "arn:aws:iot:r:1:topic/things/dev*1/temp"));
  CHECK_FALSE(wildcard_match(*p, "arn:aws:iot:r:1:topic/things/dev-x-1/temp"));  // the * is the client's, literal
  CHECK_FALSE(expand_resource("topic/${iot:Connection.Thing.ThingName}", vars));
  CHECK_FALSE(expand_resource("topic/${iot:ClientId", vars));
  auto lit = expand_resource("topic/${*}", vars);
  REQUIRE(lit);
  CHECK(wildcard_match(*lit, "topic/*"));
  CHECK_FALSE(wildcard_match(*lit, "topic/x"));
}
