// The SQLite table store on ":memory:" and on a real file (WAL, reopened, reset).
#include "emulator/core/dynamo/item_codec.hpp"
#include "emulator/core/dynamo/key_encoding.hpp"
#include "emulator/core/dynamo/number.hpp"
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/io/store/table_store.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::io::store;
using dynamo::attribute_value;
using dynamo::item;

namespace {

attribute_value S(std::string s) { return attribute_value::string(std::move(s)); }
attribute_value N(std::string_view n) { return attribute_value::number(*dynamo::normalize_number(n)); }

config::table_config readings() {
  config::table_config t;
  t.name = "Readings";
  t.keys.partition = {"deviceId", config::attribute_type::string};
  t.keys.sort = config::key_attribute{"ts", config::attribute_type::number};
  t.attributes = {t.keys.partition, *t.keys.sort, {"room", config::attribute_type::string}};
  config::secondary_index byroom;
  byroom.name = "byRoom";
  byroom.keys.partition = {"room", config::attribute_type::string};
  byroom.keys.sort = t.keys.sort;
  t.global_indexes.push_back(byroom);
  return t;
}

item reading(std::string device, std::string_view ts, std::string room = "") {
  item i{{"deviceId", S(std::move(device))}, {"ts", N(ts)}};
  if (!room.empty()) i["room"] = S(std::move(room));
  return i;
}

/// The `ts` values a read returns, in order.
std::vector<std::string> read_ts(table_store& s, const stored_table& t, const read_spec& spec) {
  std::vector<std::string> out;
  s.read(t, spec, [&](std::string_view bytes) {
    out.push_back(dynamo::decode_item(bytes)->at("ts").text);
    return true;
  });
  return out;
}

dynamo::key_range range_for(const std::string& device) {
  dynamo::key_range r;
  r.pk = dynamo::encode_key_value(S(device));
  return r;
}

}  // namespace

TEST_CASE("tables: create, find, list, refuse duplicates, drop") {
  table_store s({});
  auto t = s.create(readings(), 1000);
  REQUIRE(t);
  CHECK(s.find("Readings") == *t);
  CHECK(s.names() == std::vector<std::string>{"Readings"});
  auto again = s.create(readings(), 1000);
  CHECK(again.error().code == errc::resource_in_use);
  CHECK(again.error().message == "Table already exists: Readings");
  CHECK(s.arn(**t) == "arn:aws:dynamodb:us-east-1:000000000000:table/Readings");
  s.put(**t, reading("d", "1"));
  CHECK(s.stats(**t).items == 1);
  CHECK(s.drop("Readings"));
  CHECK_FALSE(s.find("Readings"));
  CHECK_FALSE(s.drop("Readings"));
}

TEST_CASE("items: put replaces, get by key, remove") {
  table_store s({});
  const auto& t = **s.create(readings(), 0);
  auto i = reading("d", "1");
  i["temperature"] = N("21.5");
  s.put(t, i);
  i["temperature"] = N("22");
  s.put(t, i);
  auto got = s.get(t, dynamo::encode_primary_key(t.def, i), 0);
  REQUIRE(got);
  CHECK(got->at("temperature") == N("22"));
  s.remove(t, dynamo::encode_primary_key(t.def, i));
  CHECK_FALSE(s.get(t, dynamo::encode_primary_key(t.def, i), 0));
}

TEST_CASE("Query reads one partition in numeric sort key order, both ways, from a start key") {
  table_store s({});
  const auto& t = **s.create(readings(), 0);
  for (auto ts : {"10", "9", "100", "-1", "2.5"}) s.put(t, reading("d", ts));
  s.put(t, reading("other", "5"));
  read_spec spec;
  spec.range = range_for("d");
  CHECK(read_ts(s, t, spec) == std::vector<std::string>{"-1", "2.5", "9", "10", "100"});
  spec.forward = false;
  CHECK(read_ts(s, t, spec) == std::vector<std::string>{"100", "10", "9", "2.5", "-1"});
  spec.forward = true;
  spec.range->op = dynamo::key_range::sort_op::between;
  spec.range->low = dynamo::encode_key_value(N("2"));
  spec.range->high = dynamo::encode_key_value(N("10"));
  CHECK(read_ts(s, t, spec) == std::vector<std::string>{"2.5", "9", "10"});
  spec.start = read_position{dynamo::encode_primary_key(t.def, reading("d", "2.5")), {}, {}};
  CHECK(read_ts(s, t, spec) == std::vector<std::string>{"9", "10"});
}

TEST_CASE("index reads see only items holding the index key, kept up to date on replace and delete") {
  table_store s({});
  const auto& t = **s.create(readings(), 0);
  s.put(t, reading("a", "1", "lab"));
  s.put(t, reading("b", "2", "lab"));
  s.put(t, reading("c", "3"));  // not in the index
  s.put(t, reading("d", "4", "hall"));
  read_spec spec;
  spec.index = dynamo::find_index(t.def, "byRoom");
  spec.range = dynamo::key_range{dynamo::encode_key_value(S("lab")), {}, {}, {}};
  CHECK(read_ts(s, t, spec) == std::vector<std::string>{"1", "2"});
  s.put(t, reading("a", "1", "hall"));  // moves out of "lab"
  s.remove(t, dynamo::encode_primary_key(t.def, reading("b", "2")));
  CHECK(read_ts(s, t, spec).empty());
  read_spec scan;
  scan.index = spec.index;
  CHECK(read_ts(s, t, scan).size() == 2);
}

TEST_CASE("Scan segments partition the table without overlap") {
  table_store s({});
  const auto& t = **s.create(readings(), 0);
  for (int i = 0; i < 50; ++i) s.put(t, reading("dev-" + std::to_string(i), "1"));
  std::size_t total = 0;
  for (int seg = 0; seg < 3; ++seg) {
    read_spec spec;
    spec.segment = {{seg, 3}};
    total += read_ts(s, t, spec).size();
  }
  CHECK(total == 50);
}

TEST_CASE("TTL: expired items are invisible at once and purged later") {
  table_store s({});
  auto def = readings();
  const auto& t = **s.create(def, 0);
  auto i = reading("d", "1");
  i["expires"] = N("1000");
  s.put(t, i);
  const auto k = dynamo::encode_primary_key(t.def, i);
  CHECK(s.get(t, k, 2000));  // TTL not enabled yet
  s.set_ttl("Readings", "expires");
  CHECK(s.get(t, k, 999));
  CHECK_FALSE(s.get(t, k, 1000));
  read_spec spec;
  spec.now_s = 2000;
  CHECK(read_ts(s, t, spec).empty());
  CHECK(s.stats(t).items == 1);
  CHECK(s.purge_expired(2000) == 1);
  CHECK(s.stats(t).items == 0);
}

TEST_CASE("a file store keeps tables and items across reopening, and reset empties it") {
  lambkin::test::temp_dir dir;
  store_options o;
  o.path = (dir.path() / "tables.sqlite3").string();
  {
    table_store s(o);
    const auto& t = **s.create(readings(), 42);
    s.put(t, reading("d", "7", "lab"));
    s.set_ttl("Readings", "expires");
  }
  {
    table_store s(o);
    const auto* t = s.find("Readings");
    REQUIRE(t);
    CHECK(t->created_ms == 42);
    CHECK(t->def.ttl_attribute == "expires");
    CHECK(t->def.global_indexes.size() == 1);
    CHECK(s.get(*t, dynamo::encode_primary_key(t->def, reading("d", "7")), 0));
  }
  o.reset = true;
  table_store s(o);
  CHECK(s.names().empty());
}
