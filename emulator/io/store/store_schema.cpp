#include "emulator/io/store/store_schema.hpp"

#include <string>

namespace lambkin::io::store {
namespace {

constexpr const char* version_1 = R"sql(
CREATE TABLE tables(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  definition TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  ttl_attribute TEXT);
CREATE TABLE items(
  table_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  pk BLOB NOT NULL,
  sk BLOB NOT NULL,
  item BLOB NOT NULL,
  size INTEGER NOT NULL,
  expires INTEGER,
  PRIMARY KEY(table_id, bucket, pk, sk)) WITHOUT ROWID;
CREATE INDEX items_expiry ON items(expires) WHERE expires IS NOT NULL;
CREATE TABLE index_entries(
  table_id INTEGER NOT NULL,
  index_name TEXT NOT NULL,
  ipk BLOB NOT NULL,
  isk BLOB NOT NULL,
  bucket INTEGER NOT NULL,
  pk BLOB NOT NULL,
  sk BLOB NOT NULL,
  PRIMARY KEY(table_id, index_name, ipk, isk, pk, sk)) WITHOUT ROWID;
CREATE INDEX index_entries_by_item ON index_entries(table_id, bucket, pk, sk);
)sql";

int user_version(database& db) {
  auto& s = db.prepare("PRAGMA user_version");
  statement_use use(s);
  return s.step() ? static_cast<int>(s.column_int(0)) : 0;
}

}  // namespace

void migrate(database& db) {
  const int v = user_version(db);
  if (v > schema_version)
    throw sqlite_error("the table store was written by a newer lambkin (schema " + std::to_string(v) + ")");
  if (v == schema_version) return;
  transaction t(db);
  if (v < 1) db.exec(version_1);
  db.exec("PRAGMA user_version = " + std::to_string(schema_version));
  t.commit();
}

void drop_all(database& db) {
  transaction t(db);
  db.exec("DROP TABLE IF EXISTS index_entries; DROP TABLE IF EXISTS items; DROP TABLE IF EXISTS tables; "
          "PRAGMA user_version = 0");
  t.commit();
}

}  // namespace lambkin::io::store
