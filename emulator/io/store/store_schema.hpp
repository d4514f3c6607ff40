#pragma once
// The table store's SQLite schema and its migrations, keyed by `PRAGMA user_version`.
//
//   tables(id, name, definition, created_ms, ttl_attribute)   one row per DynamoDB table;
//       definition is the CreateTable JSON (table_definition_json.hpp)
//   items(table_id, bucket, pk, sk, item, size, expires)       one row per item, keyed by the
//       encoded key (key_encoding.hpp); bucket = partition_bucket(pk) gives Scan its hash order;
//       item is item_codec bytes; expires the TTL attribute's epoch second
//   index_entries(table_id, index_name, ipk, isk, bucket, pk, sk)   one row per item per GSI/LSI it is in
#include "emulator/io/store/sqlite_db.hpp"

namespace lambkin::io::store {

inline constexpr int schema_version = 1;

/// Brings the database to `schema_version`; refuses a database from a newer lambkin.
void migrate(database& db);

/// Drops every table store table (for `lambkin run --reset`).
void drop_all(database& db);

}  // namespace lambkin::io::store
