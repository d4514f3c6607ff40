// The item half of table_store: get, put, remove, Query/Scan reads and TTL purges.
#include "emulator/core/dynamo/item_codec.hpp"
#include "emulator/core/dynamo/key_encoding.hpp"
#include "emulator/io/store/table_store.hpp"

#include <initializer_list>

namespace lambkin::io::store {
namespace {

/// SQL text plus its blob parameters, numbered from a starting position. Text is appended piecewise
/// (`add`), which also keeps GCC 12's -Wrestrict false positive on `"…" + std::string` away.
struct sql_builder {
  std::string sql;
  std::vector<std::string> blobs;
  int first;
  explicit sql_builder(int first_param) : first(first_param) {}
  std::string param(std::string value) {
    blobs.push_back(std::move(value));
    std::string p(1, '?');
    p += std::to_string(first + static_cast<int>(blobs.size()) - 1);
    return p;
  }
  void add(std::initializer_list<std::string_view> parts) {
    for (auto part : parts) sql.append(part);
  }
};

/// The sort key condition of a Query on `column`.
void add_range(sql_builder& b, const std::string& column, const dynamo::key_range& r) {
  using op = dynamo::key_range::sort_op;
  switch (r.op) {
    case op::none: break;
    case op::eq: b.add({" AND ", column, " = ", b.param(r.low)}); break;
    case op::lt: b.add({" AND ", column, " < ", b.param(r.high)}); break;
    case op::le: b.add({" AND ", column, " <= ", b.param(r.high)}); break;
    case op::gt: b.add({" AND ", column, " > ", b.param(r.low)}); break;
    case op::ge: b.add({" AND ", column, " >= ", b.param(r.low)}); break;
    case op::between:
      b.add({" AND ", column, " >= ", b.param(r.low), " AND ", column, " <= ", b.param(r.high)});
      break;
    case op::begins_with: {
      b.add({" AND ", column, " >= ", b.param(r.low)});
      auto next = dynamo::prefix_successor(r.low);
      if (!next.empty()) b.add({" AND ", column, " < ", b.param(std::move(next))});
      break;
    }
  }
}

}  // namespace

std::optional<dynamo::item> table_store::get(const stored_table& t, const dynamo::encoded_key& k, std::int64_t now_s) {
  auto& s = db_->prepare(
      "SELECT item FROM items WHERE table_id = ?1 AND bucket = ?2 AND pk = ?3 AND sk = ?4 "
      "AND (expires IS NULL OR expires > ?5)");
  statement_use use(s);
  s.bind(1, t.id).bind(2, dynamo::partition_bucket(k.pk)).bind_blob(3, k.pk).bind_blob(4, k.sk).bind(5, now_s);
  if (!s.step()) return std::nullopt;
  return dynamo::decode_item(s.column_blob(0));
}

void table_store::put(const stored_table& t, const dynamo::item& i) {
  const auto k = dynamo::encode_primary_key(t.def, i);
  const std::int64_t bucket = dynamo::partition_bucket(k.pk);
  const auto expires = dynamo::expiry_of(t.def.ttl_attribute, i);
  auto& s = db_->prepare(
      "INSERT OR REPLACE INTO items(table_id, bucket, pk, sk, item, size, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  {
    statement_use use(s);
    s.bind(1, t.id).bind(2, bucket).bind_blob(3, k.pk).bind_blob(4, k.sk).bind_blob(5, dynamo::encode_item(i));
    s.bind(6, static_cast<std::int64_t>(dynamo::item_size(i)));
    if (expires) s.bind(7, *expires);
    s.run();
  }
  if (!t.def.global_indexes.empty() || !t.def.local_indexes.empty()) write_index_entries(t, i, bucket, k);
}

void table_store::write_index_entries(const stored_table& t, const dynamo::item& i, std::int64_t bucket,
                                      const dynamo::encoded_key& k) {
  auto& d = db_->prepare("DELETE FROM index_entries WHERE table_id = ?1 AND bucket = ?2 AND pk = ?3 AND sk = ?4");
  {
    statement_use use(d);
    d.bind(1, t.id).bind(2, bucket).bind_blob(3, k.pk).bind_blob(4, k.sk).run();
  }
  auto& s = db_->prepare(
      "INSERT OR REPLACE INTO index_entries(table_id, index_name, ipk, isk, bucket, pk, sk) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const auto& e : dynamo::index_entries(t.def, i)) {
    statement_use use(s);
    s.bind(1, t.id).bind_text(2, e.index).bind_blob(3, e.ipk).bind_blob(4, e.isk).bind(5, bucket);
    s.bind_blob(6, k.pk).bind_blob(7, k.sk).run();
  }
}

void table_store::remove(const stored_table& t, const dynamo::encoded_key& k) {
  const std::int64_t bucket = dynamo::partition_bucket(k.pk);
  const bool indexed = !t.def.global_indexes.empty() || !t.def.local_indexes.empty();
  for (const char* sql : {"DELETE FROM items WHERE table_id = ?1 AND bucket = ?2 AND pk = ?3 AND sk = ?4",
                          "DELETE FROM index_entries WHERE table_id = ?1 AND bucket = ?2 AND pk = ?3 AND sk = ?4"}) {
    auto& s = db_->prepare(sql);
    statement_use use(s);
    s.bind(1, t.id).bind(2, bucket).bind_blob(3, k.pk).bind_blob(4, k.sk).run();
    if (!indexed) break;
  }
}

void table_store::read(const stored_table& t, const read_spec& spec, const std::function<bool(std::string_view)>& visit) {
  // ?1 table id, ?2 now, ?3 index name (index reads), blobs from ?4; index Scan segments are filtered here.
  sql_builder b(4);
  const std::string_view dir = spec.forward ? "" : " DESC";
  const std::string_view after = spec.forward ? " > " : " < ";
  if (!spec.index) {
    b.add({"SELECT item, pk FROM items WHERE table_id = ?1 AND (expires IS NULL OR expires > ?2)"});
    if (spec.range) {
      b.add({" AND bucket = ", std::to_string(dynamo::partition_bucket(spec.range->pk)), " AND pk = ", b.param(spec.range->pk)});
      add_range(b, "sk", *spec.range);
      if (spec.start) b.add({" AND sk", after, b.param(spec.start->key.sk)});
      b.add({" ORDER BY sk", dir});
    } else {
      if (spec.start)
        b.add({" AND (bucket, pk, sk) > (", std::to_string(dynamo::partition_bucket(spec.start->key.pk)), ", ",
               b.param(spec.start->key.pk), ", ", b.param(spec.start->key.sk), ")"});
      if (spec.segment)
        b.add({" AND bucket % ", std::to_string(spec.segment->second), " = ", std::to_string(spec.segment->first)});
      b.add({" ORDER BY bucket, pk, sk"});
    }
  } else {
    b.add({"SELECT i.item, e.ipk FROM index_entries e JOIN items i ON i.table_id = e.table_id AND i.bucket = e.bucket "
           "AND i.pk = e.pk AND i.sk = e.sk WHERE e.table_id = ?1 AND e.index_name = ?3 "
           "AND (i.expires IS NULL OR i.expires > ?2)"});
    if (spec.range) {
      b.add({" AND e.ipk = ", b.param(spec.range->pk)});
      add_range(b, "e.isk", *spec.range);
      if (spec.start)
        b.add({" AND (e.isk, e.pk, e.sk)", after, "(", b.param(spec.start->isk), ", ", b.param(spec.start->key.pk), ", ",
               b.param(spec.start->key.sk), ")"});
      b.add({" ORDER BY e.isk", dir, ", e.pk", dir, ", e.sk", dir});
    } else {
      if (spec.start)
        b.add({" AND (e.ipk, e.isk, e.pk, e.sk) > (", b.param(spec.start->ipk), ", ", b.param(spec.start->isk), ", ",
               b.param(spec.start->key.pk), ", ", b.param(spec.start->key.sk), ")"});
      b.add({" ORDER BY e.ipk, e.isk, e.pk, e.sk"});
    }
  }
  auto& s = db_->prepare(b.sql);
  statement_use use(s);
  s.bind(1, t.id).bind(2, spec.now_s);
  if (spec.index) s.bind_text(3, spec.index->name);
  for (std::size_t n = 0; n < b.blobs.size(); ++n) s.bind_blob(b.first + static_cast<int>(n), b.blobs[n]);
  const bool filter_segment = spec.index && spec.segment;
  while (s.step()) {
    if (filter_segment &&
        static_cast<std::int64_t>(dynamo::partition_bucket(s.column_blob(1))) % spec.segment->second != spec.segment->first)
      continue;
    if (!visit(s.column_blob(0))) break;
  }
}

std::size_t table_store::purge_expired(std::int64_t now_s) {
  transaction tx(*db_);
  {
    auto& s = db_->prepare(
        "DELETE FROM index_entries WHERE (table_id, bucket, pk, sk) IN "
        "(SELECT table_id, bucket, pk, sk FROM items WHERE expires IS NOT NULL AND expires <= ?1)");
    statement_use use(s);
    s.bind(1, now_s).run();
  }
  auto& s = db_->prepare("DELETE FROM items WHERE expires IS NOT NULL AND expires <= ?1");
  std::size_t n = 0;
  {
    statement_use use(s);
    s.bind(1, now_s);
    s.step();
    n = static_cast<std::size_t>(db_->changes());
  }
  tx.commit();
  return n;
}

}  // namespace lambkin::io::store
