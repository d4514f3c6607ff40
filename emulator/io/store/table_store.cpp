// The catalogue half of table_store: opening, migrations, tables and TTL settings.
#include "emulator/io/store/table_store.hpp"

#include "emulator/core/dynamo/item_codec.hpp"
#include "emulator/io/store/store_schema.hpp"
#include "emulator/io/store/table_definition_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>

namespace lambkin::io::store {

table_store::table_store(store_options options) : options_(std::move(options)) {
  db_ = std::make_unique<database>(options_.path);
  if (options_.reset) drop_all(*db_);
  migrate(*db_);
  load_catalogue();
}

table_store::~table_store() = default;

void table_store::load_catalogue() {
  auto& s = db_->prepare("SELECT id, definition, created_ms, ttl_attribute FROM tables");
  statement_use use(s);
  while (s.step()) {
    const auto text = s.column_blob(1);
    auto def = table_from_json(boost::json::parse(text).as_object(), false);
    if (!def) throw sqlite_error("stored table definition unreadable: " + def.error().message);
    auto t = std::make_unique<stored_table>();
    t->id = s.column_int(0);
    t->def = std::move(*def);
    t->created_ms = s.column_int(2);
    if (!s.column_is_null(3)) t->def.ttl_attribute = std::string(s.column_blob(3));
    const auto name = t->def.name;
    tables_.emplace(name, std::move(t));
  }
}

const stored_table* table_store::find(std::string_view name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

std::vector<std::string> table_store::names() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : tables_) out.push_back(name);
  return out;
}

dynamo::result<const stored_table*> table_store::create(config::table_config def, std::int64_t now_ms) {
  if (find(def.name)) return dynamo::dynamo_error{errc::resource_in_use, "Table already exists: " + def.name};
  auto& s = db_->prepare("INSERT INTO tables(name, definition, created_ms, ttl_attribute) VALUES (?1, ?2, ?3, ?4)");
  statement_use use(s);
  s.bind_text(1, def.name).bind_text(2, boost::json::serialize(table_to_json(def))).bind(3, now_ms);
  if (def.ttl_attribute) s.bind_text(4, *def.ttl_attribute);
  s.run();
  auto t = std::make_unique<stored_table>();
  t->id = db_->last_insert_rowid();
  t->def = std::move(def);
  t->created_ms = now_ms;
  const auto* p = t.get();
  tables_.emplace(p->def.name, std::move(t));
  return p;
}

bool table_store::drop(std::string_view name) {
  auto it = tables_.find(name);
  if (it == tables_.end()) return false;
  transaction tx(*db_);
  for (const char* sql : {"DELETE FROM index_entries WHERE table_id = ?1", "DELETE FROM items WHERE table_id = ?1",
                          "DELETE FROM tables WHERE id = ?1"}) {
    auto& s = db_->prepare(sql);
    statement_use use(s);
    s.bind(1, it->second->id).run();
  }
  tx.commit();
  tables_.erase(it);
  return true;
}

void table_store::set_ttl(std::string_view name, std::optional<std::string> attribute) {
  auto it = tables_.find(name);
  if (it == tables_.end()) return;
  auto& t = *it->second;
  transaction tx(*db_);
  {
    auto& s = db_->prepare("UPDATE tables SET ttl_attribute = ?2 WHERE id = ?1");
    statement_use use(s);
    s.bind(1, t.id);
    if (attribute) s.bind_text(2, *attribute);
    s.run();
  }
  t.def.ttl_attribute = std::move(attribute);
  // Recompute every item's expiry under the new setting.
  struct row {
    std::int64_t bucket;
    std::string pk, sk;
    std::optional<std::int64_t> expires;
  };
  std::vector<row> rows;
  {
    auto& s = db_->prepare("SELECT bucket, pk, sk, item FROM items WHERE table_id = ?1");
    statement_use use(s);
    s.bind(1, t.id);
    while (s.step()) {
      auto i = dynamo::decode_item(s.column_blob(3));
      rows.push_back({s.column_int(0), std::string(s.column_blob(1)), std::string(s.column_blob(2)),
                      i ? dynamo::expiry_of(t.def.ttl_attribute, *i) : std::nullopt});
    }
  }
  auto& u = db_->prepare("UPDATE items SET expires = ?5 WHERE table_id = ?1 AND bucket = ?2 AND pk = ?3 AND sk = ?4");
  for (const auto& r : rows) {
    statement_use use(u);
    u.bind(1, t.id).bind(2, r.bucket).bind_blob(3, r.pk).bind_blob(4, r.sk);
    if (r.expires) u.bind(5, *r.expires);
    u.run();
  }
  tx.commit();
}

table_store::table_stats table_store::stats(const stored_table& t) const {
  auto& s = db_->prepare("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM items WHERE table_id = ?1");
  statement_use use(s);
  s.bind(1, t.id);
  table_stats out;
  if (s.step()) out = {s.column_int(0), s.column_int(1)};
  return out;
}

std::string table_store::arn(const stored_table& t) const {
  return "arn:aws:dynamodb:" + options_.region + ":" + options_.account_id + ":table/" + t.def.name;
}

}  // namespace lambkin::io::store
