#include "emulator/core/text/url.hpp"

#include <doctest/doctest.h>

using namespace lambkin::text;

TEST_CASE("percent_decode decodes escapes and rejects malformed ones") {
  CHECK(percent_decode("my-function%3Av1") == "my-function:v1");
  CHECK(percent_decode("a%2fb%2F") == "a/b/");
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK_FALSE(percent_decode("%4"));
  CHECK_FALSE(percent_decode("%"));
  CHECK_FALSE(percent_decode("%zz"));
}

TEST_CASE("parse_query splits, decodes and keeps order") {
  auto q = parse_query("Qualifier=%24LATEST&x=a+b&flag&&y=");
  REQUIRE(q.size() == 4);
  CHECK(q[0] == std::pair<std::string, std::string>{"Qualifier", "$LATEST"});
  CHECK(q[1].second == "a b");
  CHECK(q[2] == std::pair<std::string, std::string>{"flag", ""});
  CHECK(q[3] == std::pair<std::string, std::string>{"y", ""});
  CHECK(split_target("/a/b?x=1").first == "/a/b");
  CHECK(split_target("/a/b?x=1").second == "x=1");
  CHECK(split_target("/a").second.empty());
}
