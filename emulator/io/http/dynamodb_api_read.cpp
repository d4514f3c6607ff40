// Query and Scan: one read loop over the store with DynamoDB's Limit (items evaluated, before
// the filter), the 1 MB page, FilterExpression, ProjectionExpression, Select COUNT and
// LastEvaluatedKey/ExclusiveStartKey pagination.
#include "emulator/core/dynamo/condition_eval.hpp"
#include "emulator/core/dynamo/item_codec.hpp"
#include "emulator/core/dynamo/key_condition.hpp"
#include "emulator/core/dynamo/key_encoding.hpp"
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/core/dynamo/update_apply.hpp"
#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/http/dynamodb_json.hpp"

#include <boost/json/array.hpp>

namespace lambkin::io::http::dynamodb {
namespace {

using dynamo::validation_error;
constexpr std::size_t page_bytes = 1024 * 1024;

struct read_request {
  const store::stored_table* table = nullptr;
  store::read_spec spec;
  std::optional<dynamo::condition> filter;
  std::optional<dynamo::projection> projection;
  std::optional<std::int64_t> limit;
  bool count_only = false;
};

const config::key_schema& keys_read(const read_request& r) { return r.spec.index ? r.spec.index->keys : r.table->def.keys; }

/// Parameters Query and Scan share: IndexName, Limit, Select, ExclusiveStartKey, the expressions.
std::optional<dynamo::dynamo_error> common(op_context& c, read_request& r, dynamo::expression_inputs& in) {
  if (auto e = refuse_legacy(c.body)) return e;
  auto t = table_param(c, c.body);
  if (!t) return t.error();
  r.table = *t;
  r.spec.now_s = c.now_s;
  if (const auto index = string_param(c.body, "IndexName"); !index.empty()) {
    r.spec.index = dynamo::find_index(r.table->def, index);
    if (!r.spec.index) return validation_error("The table does not have the specified index: " + index);
    const bool global = std::any_of(r.table->def.global_indexes.begin(), r.table->def.global_indexes.end(),
                                    [&](const config::secondary_index& x) { return x.name == index; });
    if (global)
      if (auto* cr = c.body.if_contains("ConsistentRead"); cr && cr->is_bool() && cr->as_bool())
        return validation_error("Consistent reads are not supported on global secondary indexes");
  }
  if (auto* l = c.body.if_contains("Limit")) {
    if (!l->is_int64() || l->as_int64() < 1)
      return validation_error("1 validation error detected: Value '" + (l->is_int64() ? std::to_string(l->as_int64()) : "?") +
                              "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    r.limit = l->as_int64();
  }
  const auto select = string_param(c.body, "Select");
  if (!select.empty() && select != "ALL_ATTRIBUTES" && select != "ALL_PROJECTED_ATTRIBUTES" && select != "COUNT" &&
      select != "SPECIFIC_ATTRIBUTES")
    return validation_error("1 validation error detected: Value '" + select +
                            "' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
                            "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
  r.count_only = select == "COUNT";
  if (auto e = optional_condition(c.body, "FilterExpression", in, r.filter)) return e;
  if (auto e = optional_projection(c.body, in, r.projection)) return e;
  if (r.projection && (select == "ALL_ATTRIBUTES" || select == "COUNT" || select == "ALL_PROJECTED_ATTRIBUTES"))
    return validation_error("Cannot specify the ProjectionExpression when choosing to get " + select);
  if (auto* start = c.body.if_contains("ExclusiveStartKey")) {
    auto key = item_from_json(*start);
    if (!key) return key.error();
    const auto invalid = validation_error("The provided starting key is invalid: The provided key element does not match the schema");
    if (dynamo::validate_key(r.table->def, dynamo::key_of(r.table->def, *key))) return invalid;
    store::read_position p;
    p.key = dynamo::encode_primary_key(r.table->def, *key);
    if (r.spec.index) {
      const auto& k = r.spec.index->keys;
      auto ipk = key->find(k.partition.name);
      if (ipk == key->end()) return invalid;
      p.ipk = dynamo::encode_key_value(ipk->second);
      if (k.sort) {
        auto isk = key->find(k.sort->name);
        if (isk == key->end()) return invalid;
        p.isk = dynamo::encode_key_value(isk->second);
      }
    }
    r.spec.start = std::move(p);
  }
  return std::nullopt;
}

void collect_paths(const dynamo::condition& c, std::vector<std::string>& names) {
  for (const auto& o : c.operands)
    if ((o.k == dynamo::operand::kind::path || o.k == dynamo::operand::kind::size) && !o.path.elements.empty())
      names.push_back(o.path.elements[0].name);
  for (const auto& child : c.children) collect_paths(child, names);
}

op_result run(op_context& c, const read_request& r) {
  json::array items;
  std::int64_t count = 0, scanned = 0;
  std::size_t bytes = 0;
  std::optional<dynamo::item> last;
  bool stopped = false;
  c.store.read(*r.table, r.spec, [&](std::string_view encoded) {
    auto i = dynamo::decode_item(encoded);
    if (!i) return true;
    ++scanned;
    bytes += dynamo::item_size(*i);
    if (r.spec.index) *i = dynamo::project_for_index(r.table->def, *r.spec.index, *i);
    if (!r.filter || dynamo::evaluate(*r.filter, *i)) {
      ++count;
      if (!r.count_only) items.push_back(item_to_json(r.projection ? dynamo::project(*i, *r.projection) : *i));
    }
    last = std::move(i);
    if ((r.limit && scanned >= *r.limit) || bytes >= page_bytes) {
      stopped = true;
      return false;
    }
    return true;
  });
  json::object out;
  if (!r.count_only) out["Items"] = std::move(items);
  out["Count"] = count;
  out["ScannedCount"] = scanned;
  if (stopped && last) out["LastEvaluatedKey"] = item_to_json(dynamo::last_evaluated_key(r.table->def, r.spec.index, *last));
  return out;
}

}  // namespace

op_result query(op_context& c) {
  read_request r;
  auto in = expression_inputs_of(c.body);
  if (!in) return in.error();
  if (auto e = common(c, r, *in)) return *e;
  const auto* kce = c.body.if_contains("KeyConditionExpression");
  if (!kce || !kce->is_string())
    return validation_error("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  auto cond = dynamo::parse_condition(kce->as_string(), *in, "KeyConditionExpression");
  if (!cond) return cond.error();
  if (auto e = dynamo::check_all_used(*in)) return *e;
  auto range = dynamo::analyze_key_condition(*cond, keys_read(r));
  if (!range) return range.error();
  r.spec.range = std::move(*range);
  if (r.filter) {
    std::vector<std::string> names;
    collect_paths(*r.filter, names);
    const auto& k = keys_read(r);
    for (const auto& n : names)
      if (n == k.partition.name || (k.sort && n == k.sort->name))
        return validation_error("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + n);
  }
  if (auto* f = c.body.if_contains("ScanIndexForward"); f && f->is_bool()) r.spec.forward = f->as_bool();
  return run(c, r);
}

op_result scan(op_context& c) {
  read_request r;
  auto in = expression_inputs_of(c.body);
  if (!in) return in.error();
  if (auto e = common(c, r, *in)) return *e;
  if (auto e = dynamo::check_all_used(*in)) return *e;
  const auto* segment = c.body.if_contains("Segment");
  const auto* total = c.body.if_contains("TotalSegments");
  if (segment || total) {
    if (!segment || !total || !segment->is_int64() || !total->is_int64())
      return validation_error("The TotalSegments parameter is required but was not present in the request when Segment "
                              "parameter is present");
    const auto s = segment->as_int64(), n = total->as_int64();
    if (n < 1 || n > 1000000)
      return validation_error("1 validation error detected: Value '" + std::to_string(n) +
                              "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000");
    if (s < 0 || s >= n)
      return validation_error("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                              std::to_string(s) + " is out of bounds, TotalSegments: " + std::to_string(n));
    r.spec.segment = {s, n};
  }
  return run(c, r);
}

}  // namespace lambkin::io::http::dynamodb
