// PutItem, GetItem, DeleteItem, UpdateItem, and the write steps transactions and batches share.
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/core/dynamo/update_apply.hpp"
#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/http/dynamodb_json.hpp"

namespace lambkin::io::http::dynamodb {

using dynamo::validation_error;

dynamo::result<parsed_write> parse_write(op_context& c, const json::object& o, parsed_write::kind k) {
  if (auto e = refuse_legacy(o)) return *e;
  parsed_write w;
  w.k = k;
  auto t = table_param(c, o);
  if (!t) return t.error();
  w.table = *t;
  if (k == parsed_write::kind::put) {
    auto* v = o.if_contains("Item");
    if (!v) return missing("item");
    auto i = item_from_json(*v);
    if (!i) return i.error();
    if (auto e = dynamo::validate_item(w.table->def, *i)) return *e;
    w.item = std::move(*i);
  } else {
    auto key = key_param(*w.table, o);
    if (!key) return key.error();
    w.item = std::move(*key);
  }
  w.key = dynamo::encode_primary_key(w.table->def, w.item);
  auto in = expression_inputs_of(o);
  if (!in) return in.error();
  if (auto e = optional_condition(o, "ConditionExpression", *in, w.cond)) return *e;
  if (k == parsed_write::kind::check && !w.cond) return missing("conditionExpression");
  if (k == parsed_write::kind::update) {
    if (auto* u = o.if_contains("UpdateExpression")) {
      if (!u->is_string()) return dynamo::dynamo_error{errc::invalid_request_content, "Unexpected value type in payload"};
      auto parsed = dynamo::parse_update(u->as_string(), *in);
      if (!parsed) return parsed.error();
      w.update = std::move(*parsed);
    }
  }
  if (auto e = dynamo::check_all_used(*in)) return *e;
  auto rv = dynamo::parse_return_values(string_param(o, "ReturnValues"), k == parsed_write::kind::update);
  if (!rv) return rv.error();
  w.rv = *rv;
  const auto on_failure = string_param(o, "ReturnValuesOnConditionCheckFailure");
  if (!on_failure.empty() && on_failure != "NONE" && on_failure != "ALL_OLD")
    return validation_error("1 validation error detected: Value '" + on_failure +
                            "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must "
                            "satisfy enum value set: [ALL_OLD, NONE]");
  w.old_on_failure = on_failure == "ALL_OLD";
  return w;
}

dynamo::result<dynamo::write_plan> decide_write(op_context&, const parsed_write& w, const dynamo::item* current) {
  const auto* cond = w.cond ? &*w.cond : nullptr;
  switch (w.k) {
    case parsed_write::kind::put: return dynamo::plan_put(w.table->def, w.item, current, cond, w.rv);
    case parsed_write::kind::remove: return dynamo::plan_delete(current, cond, w.rv);
    case parsed_write::kind::update:
      return dynamo::plan_update(w.table->def, w.item, current, w.update ? &*w.update : nullptr, cond, w.rv);
    case parsed_write::kind::check: {
      if (auto e = dynamo::check_condition(cond, current)) return *e;
      dynamo::write_plan p;
      if (current) p.new_item = *current;  // unchanged
      return p;
    }
  }
  return validation_error("unknown write");
}

void store_write(op_context& c, const parsed_write& w, const dynamo::write_plan& plan) {
  if (w.k == parsed_write::kind::check) return;
  if (plan.new_item) c.store.put(*w.table, *plan.new_item);
  else c.store.remove(*w.table, w.key);
}

dynamo::result<dynamo::write_plan> execute_write(op_context& c, const parsed_write& w,
                                                 std::optional<dynamo::item>* failed_item) {
  // A plain PutItem (no condition, nothing returned) needs no read of the stored item.
  const bool needs_current = w.k != parsed_write::kind::put || w.cond || w.rv != dynamo::return_values::none;
  std::optional<dynamo::item> current;
  if (needs_current) current = c.store.get(*w.table, w.key, c.now_s);
  auto plan = decide_write(c, w, current ? &*current : nullptr);
  if (!plan) {
    if (failed_item && plan.error().code == errc::conditional_check_failed && w.old_on_failure) *failed_item = current;
    return plan;
  }
  store_write(c, w, *plan);
  return plan;
}

namespace {

op_result single_write(op_context& c, parsed_write::kind k) {
  auto w = parse_write(c, c.body, k);
  if (!w) return w.error();
  store::transaction tx(c.store.db());
  std::optional<dynamo::item> failed_item;
  auto plan = execute_write(c, *w, &failed_item);
  if (!plan) {
    if (failed_item) c.error_extra["Item"] = item_to_json(*failed_item);
    return plan.error();
  }
  tx.commit();
  json::object out;
  if (plan->returned) out["Attributes"] = item_to_json(*plan->returned);
  return out;
}

}  // namespace

op_result put_item(op_context& c) { return single_write(c, parsed_write::kind::put); }
op_result delete_item(op_context& c) { return single_write(c, parsed_write::kind::remove); }
op_result update_item(op_context& c) { return single_write(c, parsed_write::kind::update); }

op_result get_item(op_context& c) {
  if (auto e = refuse_legacy(c.body)) return *e;
  auto t = table_param(c, c.body);
  if (!t) return t.error();
  auto key = key_param(**t, c.body);
  if (!key) return key.error();
  auto in = expression_inputs_of(c.body);
  if (!in) return in.error();
  std::optional<dynamo::projection> projection;
  if (auto e = optional_projection(c.body, *in, projection)) return *e;
  if (auto e = dynamo::check_all_used(*in)) return *e;
  auto found = c.store.get(**t, dynamo::encode_primary_key((*t)->def, *key), c.now_s);
  json::object out;
  if (found) out["Item"] = item_to_json(projection ? dynamo::project(*found, *projection) : *found);
  return out;
}

}  // namespace lambkin::io::http::dynamodb
