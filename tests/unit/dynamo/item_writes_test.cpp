#include "dynamo_support.hpp"
#include "emulator/core/dynamo/item_writes.hpp"
#include "emulator/core/dynamo/table_keys.hpp"

using namespace lambkin;
using namespace lambkin::dynamo;
using namespace lambkin::test;

namespace {

config::table_config readings() {
  config::table_config t;
  t.name = "Readings";
  t.keys.partition = {"deviceId", config::attribute_type::string};
  t.keys.sort = config::key_attribute{"ts", config::attribute_type::number};
  config::secondary_index byroom;
  byroom.name = "byRoom";
  byroom.keys.partition = {"room", config::attribute_type::string};
  byroom.projection = "KEYS_ONLY";
  t.global_indexes.push_back(byroom);
  return t;
}

std::optional<condition> cond(std::string_view text, item values) {
  auto in = inputs(std::move(values));
  auto c = parse_condition(text, in, "ConditionExpression");
  REQUIRE(c);
  return *c;
}

}  // namespace

TEST_CASE("PutItem validates keys with DynamoDB's messages") {
  const auto t = readings();
  auto p = plan_put(t, {{"ts", N("1")}}, nullptr, nullptr, return_values::none);
  CHECK(p.error().message == "One or more parameter values were invalid: Missing the key deviceId in the item");
  p = plan_put(t, {{"deviceId", N("1")}, {"ts", N("1")}}, nullptr, nullptr, return_values::none);
  CHECK(p.error().message == "One or more parameter values were invalid: Type mismatch for key deviceId expected: S actual: N");
  p = plan_put(t, {{"deviceId", S("")}, {"ts", N("1")}}, nullptr, nullptr, return_values::none);
  CHECK(p.error().message ==
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string "
        "value. Key: deviceId");
  p = plan_put(t, {{"deviceId", S("d")}, {"ts", N("1")}, {"room", N("3")}}, nullptr, nullptr, return_values::none);
  CHECK(p.error().message.find("Type mismatch for Index Key room Expected: S Actual: N IndexName: byRoom") != std::string::npos);
  p = plan_put(t, {{"deviceId", S("d")}, {"ts", N("1")}, {"blob", S(std::string(410 * 1024, 'x'))}}, nullptr, nullptr,
               return_values::none);
  CHECK(p.error().message == "Item size has exceeded the maximum allowed size");
}

TEST_CASE("a false ConditionExpression fails the write, ALL_OLD returns the old item") {
  const auto t = readings();
  const item old{{"deviceId", S("d")}, {"ts", N("1")}, {"v", N("1")}};
  const item next{{"deviceId", S("d")}, {"ts", N("1")}, {"v", N("2")}};
  auto c = cond("attribute_not_exists(deviceId)", {});
  auto p = plan_put(t, next, &old, &*c, return_values::all_old);
  CHECK(p.error().code == errc::conditional_check_failed);
  CHECK(p.error().message == "The conditional request failed");
  p = plan_put(t, next, nullptr, &*c, return_values::all_old);
  REQUIRE(p);
  CHECK_FALSE(p->returned);
  p = plan_put(t, next, &old, nullptr, return_values::all_old);
  REQUIRE(p);
  CHECK(*p->returned == old);
  const auto v_is_one = cond("v = :v", {{":v", N("1")}});
  auto d = plan_delete(&old, &*v_is_one, return_values::all_old);
  REQUIRE(d);
  CHECK_FALSE(d->new_item);
}

TEST_CASE("UpdateItem upserts, refuses key changes, and returns UPDATED_OLD / UPDATED_NEW") {
  const auto t = readings();
  const item key{{"deviceId", S("d")}, {"ts", N("1")}};
  auto in = inputs({{":one", N("1")}});
  auto u = parse_update("ADD hits :one", in);
  REQUIRE(u);
  auto p = plan_update(t, key, nullptr, &*u, nullptr, return_values::updated_new);
  REQUIRE(p);
  CHECK(*p->new_item == item{{"deviceId", S("d")}, {"ts", N("1")}, {"hits", N("1")}});
  CHECK(*p->returned == item{{"hits", N("1")}});
  const auto stored = *p->new_item;
  p = plan_update(t, key, &stored, &*u, nullptr, return_values::updated_old);
  REQUIRE(p);
  CHECK(*p->returned == item{{"hits", N("1")}});
  CHECK(p->new_item->at("hits") == N("2"));

  auto in2 = inputs({{":x", N("5")}});
  auto bad = parse_update("SET ts = :x", in2);
  REQUIRE(bad);
  CHECK(plan_update(t, key, &stored, &*bad, nullptr, return_values::none).error().message ==
        "One or more parameter values were invalid: Cannot update attribute ts. This attribute is part of the key");
  CHECK(parse_return_values("ALL_NEW", false).error().message == "ReturnValues can only be ALL_OLD or NONE");
}

TEST_CASE("index entries are sparse and TTL expiry reads a number attribute") {
  const auto t = readings();
  CHECK(index_entries(t, {{"deviceId", S("d")}, {"ts", N("1")}}).empty());
  CHECK(index_entries(t, {{"deviceId", S("d")}, {"ts", N("1")}, {"room", S("lab")}}).size() == 1);
  CHECK(expiry_of(std::string("exp"), {{"exp", N("1700000000")}}) == 1700000000);
  CHECK(expiry_of(std::string("exp"), {{"exp", N("1700000000.9")}}) == 1700000000);
  CHECK_FALSE(expiry_of(std::string("exp"), {{"exp", S("1700000000")}}));
  CHECK_FALSE(expiry_of(std::nullopt, {{"exp", N("1")}}));
}
