// Versions and aliases: $LATEST revisions get fresh ids, publishing snapshots only what changed,
// aliases resolve to the version the pool runs.
#include "emulator/core/lambda/function_versions.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;

TEST_CASE("$LATEST starts as id 1 and gets a fresh id on every change, old ids keep its name") {
  function_versions v;
  CHECK(v.latest() == version_id{1});
  CHECK(v.resolve("") == version_id{1});
  CHECK(v.resolve("$LATEST") == version_id{1});
  const auto old = v.renew_latest();
  CHECK(old == version_id{1});
  CHECK(v.latest() == version_id{2});
  CHECK(v.name_of(old) == "$LATEST");
  CHECK(v.name_of(v.latest()) == "$LATEST");
  CHECK(v.name_of(version_id{99}).empty());
}

TEST_CASE("publish numbers versions 1, 2, … and publishes nothing when nothing changed") {
  function_versions v;
  auto first = v.publish("code-a/128");
  CHECK(first.created);
  CHECK(first.version.name == "1");
  CHECK(first.version.id == version_id{2});
  auto again = v.publish("code-a/128");
  CHECK_FALSE(again.created);
  CHECK(again.version.name == "1");
  v.renew_latest();
  auto second = v.publish("code-b/128");
  CHECK(second.created);
  CHECK(second.version.name == "2");
  CHECK(second.version.id != first.version.id);
  CHECK(second.version.id != v.latest());
  CHECK(v.published().size() == 2);
  CHECK(v.resolve("1") == first.version.id);
  CHECK(v.resolve("2") == second.version.id);
  CHECK_FALSE(v.resolve("3"));
  CHECK(v.name_of(second.version.id) == "2");
}

TEST_CASE("aliases point to a version, move, and go") {
  function_versions v;
  const auto one = v.publish("a").version;
  CHECK(v.create_alias({"live", "1", "prod", "r1"}) == std::error_code{});
  CHECK(v.resolve("live") == one.id);
  CHECK(v.create_alias({"live", "1", "", "r2"}) == errc::resource_conflict);
  CHECK(v.create_alias({"next", "7", "", "r3"}) == errc::resource_not_found);
  CHECK(v.create_alias({"123", "1", "", "r4"}) == errc::validation);
  CHECK(v.create_alias({"bad name", "1", "", "r5"}) == errc::validation);
  CHECK(v.create_alias({"dev", "latest", "", "r6"}) == errc::validation);
  CHECK(v.create_alias({"dev", "$LATEST", "", "r7"}) == std::error_code{});
  CHECK(v.resolve("dev") == v.latest());

  v.renew_latest();
  CHECK(v.resolve("dev") == v.latest());  // an alias of $LATEST follows it
  const auto two = v.publish("b").version;
  CHECK(v.update_alias("live", std::string("2"), std::nullopt, "r8") == std::error_code{});
  CHECK(v.resolve("live") == two.id);
  CHECK(v.find_alias("live")->description == "prod");
  CHECK(v.find_alias("live")->revision_id == "r8");
  CHECK(v.update_alias("live", std::string("9"), std::nullopt, "r9") == errc::resource_not_found);
  CHECK(v.update_alias("nope", std::nullopt, std::string("d"), "r9") == errc::resource_not_found);
  CHECK(v.aliases().size() == 2);
  CHECK(v.delete_alias("live") == std::error_code{});
  CHECK(v.delete_alias("live") == errc::resource_not_found);
  CHECK_FALSE(v.resolve("live"));
}

TEST_CASE("alias names follow AWS's pattern") {
  CHECK(function_versions::is_valid_alias_name("live"));
  CHECK(function_versions::is_valid_alias_name("v1_blue-2"));
  CHECK(function_versions::is_valid_alias_name("1a"));
  CHECK_FALSE(function_versions::is_valid_alias_name("12"));
  CHECK_FALSE(function_versions::is_valid_alias_name(""));
  CHECK_FALSE(function_versions::is_valid_alias_name("$LATEST"));
  CHECK_FALSE(function_versions::is_valid_alias_name(std::string(129, 'a')));
  CHECK(function_versions::is_version_name("$LATEST"));
  CHECK(function_versions::is_version_name("42"));
  CHECK_FALSE(function_versions::is_version_name("v1"));
}
