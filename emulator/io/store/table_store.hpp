#pragma once
// DynamoDB tables kept in SQLite (store_schema.hpp): the catalogue of tables, and items stored,
// read, queried and scanned by their encoded keys, with their secondary-index entries and TTL
// expiry kept alongside. What a request means is decided by core/dynamo and the API handler;
// this class only stores and finds.
//
// Items whose TTL expiry has passed are invisible to every read at once (`now_s`, epoch seconds,
// is an argument) and deleted later by `purge_expired`.
//
// Thread safety: one thread (the io_context's).
#include "emulator/core/dynamo/attribute_value.hpp"
#include "emulator/core/dynamo/key_condition.hpp"
#include "emulator/core/dynamo/result.hpp"
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/io/store/sqlite_db.hpp"
#include "lambkin/config.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambkin::io::store {

struct store_options {
  /// A file (created if missing; WAL mode) or ":memory:".
  std::string path = ":memory:";
  /// Start empty: every table and item of an earlier run is dropped.
  bool reset = false;
  /// For table ARNs.
  std::string region = "us-east-1", account_id = "000000000000";
};

struct stored_table {
  std::int64_t id = 0;
  config::table_config def;  // ttl_attribute is the current TTL setting
  std::int64_t created_ms = 0;
};

/// Where a Query or Scan resumes (from ExclusiveStartKey): the item's key, and its index key
/// when reading an index.
struct read_position {
  dynamo::encoded_key key;
  std::string ipk, isk;
};

struct read_spec {
  const config::secondary_index* index = nullptr;
  /// Query: the key range; Scan when empty.
  std::optional<dynamo::key_range> range;
  bool forward = true;
  std::optional<read_position> start;
  /// Scan: (Segment, TotalSegments).
  std::optional<std::pair<std::int64_t, std::int64_t>> segment;
  std::int64_t now_s = 0;
};

class table_store {
 public:
  explicit table_store(store_options options);
  ~table_store();
  table_store(const table_store&) = delete;
  table_store& operator=(const table_store&) = delete;

  // ---- tables ----
  const stored_table* find(std::string_view name) const;
  /// Every table name, sorted.
  std::vector<std::string> names() const;
  /// `ResourceInUseException` "Table already exists: <name>" if it does.
  dynamo::result<const stored_table*> create(config::table_config def, std::int64_t now_ms);
  /// Removes the table and its items; false if there was none.
  bool drop(std::string_view name);
  /// Enables (a name) or disables (nullopt) TTL and recomputes every item's expiry.
  void set_ttl(std::string_view name, std::optional<std::string> attribute);
  struct table_stats {
    std::int64_t items = 0, bytes = 0;
  };
  table_stats stats(const stored_table& t) const;
  std::string arn(const stored_table& t) const;

  // ---- items ----
  std::optional<dynamo::item> get(const stored_table& t, const dynamo::encoded_key& k, std::int64_t now_s);
  /// Stores (or replaces) an item whose keys are valid.
  void put(const stored_table& t, const dynamo::item& i);
  void remove(const stored_table& t, const dynamo::encoded_key& k);
  /// Calls `visit` with each item's bytes (item_codec) in key order until it returns false.
  void read(const stored_table& t, const read_spec& spec, const std::function<bool(std::string_view)>& visit);
  /// Deletes items whose expiry is at or before `now_s`; returns how many.
  std::size_t purge_expired(std::int64_t now_s);

  /// For transactions spanning several calls (one BEGIN IMMEDIATE … COMMIT).
  database& db() { return *db_; }

 private:
  void load_catalogue();
  void write_index_entries(const stored_table& t, const dynamo::item& i, std::int64_t bucket, const dynamo::encoded_key& k);

  store_options options_;
  std::unique_ptr<database> db_;
  std::map<std::string, std::unique_ptr<stored_table>, std::less<>> tables_;
};

}  // namespace lambkin::io::store
