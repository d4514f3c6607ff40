// BatchWriteItem and BatchGetItem: each one SQLite transaction; nothing is ever left unprocessed.
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/core/dynamo/update_apply.hpp"
#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/http/dynamodb_json.hpp"

#include <boost/json/array.hpp>

#include <set>

namespace lambkin::io::http::dynamodb {

using dynamo::validation_error;

op_result batch_write_item(op_context& c) {
  const auto* requests = c.body.if_contains("RequestItems");
  if (!requests || !requests->is_object()) return missing("requestItems");
  std::vector<parsed_write> writes;
  std::set<std::pair<const store::stored_table*, dynamo::encoded_key>, std::less<>> seen;
  for (const auto& [table_name, list] : requests->as_object()) {
    if (!list.is_array() || list.as_array().empty())
      return validation_error("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map "
                              "value must satisfy constraint: [Member must have length less than or equal to 25, Member "
                              "must have length greater than or equal to 1]");
    for (const auto& entry : list.as_array()) {
      if (!entry.is_object()) return validation_error("Invalid RequestItems entry");
      const auto& e = entry.as_object();
      // Read directly (not through parse_write, which would need a copy of the item's JSON):
      // batch requests carry no expressions and no ReturnValues.
      parsed_write w;
      w.table = c.store.find(table_name);
      if (!w.table) return not_found();
      if (auto* put = e.if_contains("PutRequest"); put && put->is_object()) {
        w.k = parsed_write::kind::put;
        auto* i = put->as_object().if_contains("Item");
        if (!i) return missing("item");
        auto parsed = item_from_json(*i);
        if (!parsed) return parsed.error();
        if (auto err = dynamo::validate_item(w.table->def, *parsed)) return *err;
        w.item = std::move(*parsed);
      } else if (auto* del = e.if_contains("DeleteRequest"); del && del->is_object()) {
        w.k = parsed_write::kind::remove;
        auto key = key_param(*w.table, del->as_object());
        if (!key) return key.error();
        w.item = std::move(*key);
      } else {
        return validation_error("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                                "supported datatypes");
      }
      w.key = dynamo::encode_primary_key(w.table->def, w.item);
      if (!seen.emplace(w.table, w.key).second) return validation_error("Provided list of item keys contains duplicates");
      writes.push_back(std::move(w));
    }
  }
  if (writes.size() > 25)
    return validation_error("Too many items requested for the BatchWriteItem call");
  if (writes.empty()) return missing("requestItems");
  store::transaction tx(c.store.db());
  for (const auto& w : writes) {
    auto plan = decide_write(c, w, nullptr);  // unconditional: the stored item does not matter
    if (!plan) return plan.error();
    store_write(c, w, *plan);
  }
  tx.commit();
  return json::object{{"UnprocessedItems", json::object{}}};
}

op_result batch_get_item(op_context& c) {
  const auto* requests = c.body.if_contains("RequestItems");
  if (!requests || !requests->is_object() || requests->as_object().empty()) return missing("requestItems");
  struct table_read {
    std::string name;
    const store::stored_table* table;
    std::vector<dynamo::item> keys;
    std::optional<dynamo::projection> projection;
  };
  std::vector<table_read> reads;
  std::size_t total = 0;
  for (const auto& [table_name, spec] : requests->as_object()) {
    if (!spec.is_object()) return validation_error("Invalid RequestItems entry");
    const auto& o = spec.as_object();
    if (auto e = refuse_legacy(o)) return *e;
    table_read r{std::string(table_name), c.store.find(table_name), {}, {}};
    if (!r.table) return not_found();
    const auto* keys = o.if_contains("Keys");
    if (!keys || !keys->is_array() || keys->as_array().empty()) return missing("requestItems." + r.name + ".member.keys");
    std::set<dynamo::encoded_key, std::less<>> seen;
    for (const auto& k : keys->as_array()) {
      auto key = key_param(*r.table, json::object{{"Key", k}});
      if (!key) return key.error();
      if (!seen.insert(dynamo::encode_primary_key(r.table->def, *key)).second)
        return validation_error("Provided list of item keys contains duplicates");
      r.keys.push_back(std::move(*key));
    }
    total += r.keys.size();
    auto in = expression_inputs_of(o);
    if (!in) return in.error();
    if (auto e = optional_projection(o, *in, r.projection)) return *e;
    if (auto e = dynamo::check_all_used(*in)) return *e;
    reads.push_back(std::move(r));
  }
  if (total > 100)
    return validation_error("Too many items requested for the BatchGetItem call");
  json::object responses;
  store::transaction tx(c.store.db());
  for (const auto& r : reads) {
    json::array items;
    for (const auto& k : r.keys)
      if (auto found = c.store.get(*r.table, dynamo::encode_primary_key(r.table->def, k), c.now_s))
        items.push_back(item_to_json(r.projection ? dynamo::project(*found, *r.projection) : *found));
    responses[r.name] = std::move(items);
  }
  tx.commit();
  return json::object{{"Responses", std::move(responses)}, {"UnprocessedKeys", json::object{}}};
}

}  // namespace lambkin::io::http::dynamodb
