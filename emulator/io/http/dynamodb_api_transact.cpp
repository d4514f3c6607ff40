// TransactWriteItems and TransactGetItems: all or nothing, in one SQLite transaction. Every write
// is decided against the stored items before any is stored; one failed condition cancels the lot
// with a CancellationReasons entry per action, as DynamoDB answers.
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/core/dynamo/update_apply.hpp"
#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/http/dynamodb_json.hpp"

#include <boost/json/array.hpp>

#include <set>

namespace lambkin::io::http::dynamodb {

using dynamo::validation_error;

namespace {

std::string reason_code(errc e) {
  switch (e) {
    case errc::conditional_check_failed: return "ConditionalCheckFailed";
    case errc::validation: return "ValidationError";
    default: return "InternalError";
  }
}

}  // namespace

op_result transact_write_items(op_context& c) {
  const auto* items = c.body.if_contains("TransactItems");
  if (!items || !items->is_array() || items->as_array().empty()) return missing("transactItems");
  if (items->as_array().size() > 100)
    return validation_error("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member "
                            "must have length less than or equal to 100");
  std::vector<parsed_write> writes;
  std::set<std::pair<const store::stored_table*, dynamo::encoded_key>, std::less<>> seen;
  for (const auto& entry : items->as_array()) {
    if (!entry.is_object() || entry.as_object().size() != 1)
      return validation_error("TransactItems can only contain one of Check, Put, Update or Delete");
    const auto& [kind, spec] = *entry.as_object().begin();
    parsed_write::kind k;
    if (kind == "Put") k = parsed_write::kind::put;
    else if (kind == "Update") k = parsed_write::kind::update;
    else if (kind == "Delete") k = parsed_write::kind::remove;
    else if (kind == "ConditionCheck") k = parsed_write::kind::check;
    else return validation_error("TransactItems can only contain one of Check, Put, Update or Delete");
    if (!spec.is_object()) return validation_error("Invalid TransactItems entry");
    auto w = parse_write(c, spec.as_object(), k);
    if (!w) return w.error();
    if (w->rv != dynamo::return_values::none) return validation_error("ReturnValues is not supported in TransactWriteItems");
    if (!seen.emplace(w->table, w->key).second)
      return validation_error("Transaction request cannot include multiple operations on one item");
    writes.push_back(std::move(*w));
  }
  store::transaction tx(c.store.db());
  std::vector<dynamo::write_plan> plans;
  json::array reasons;
  bool cancelled = false;
  std::string codes;
  for (const auto& w : writes) {
    auto current = c.store.get(*w.table, w.key, c.now_s);
    auto plan = decide_write(c, w, current ? &*current : nullptr);
    json::object reason;
    if (plan) {
      reason["Code"] = "None";
      plans.push_back(std::move(*plan));
    } else {
      if (plan.error().code != errc::conditional_check_failed) return plan.error();  // invalid input: plain error
      cancelled = true;
      reason["Code"] = reason_code(plan.error().code);
      reason["Message"] = plan.error().message;
      if (w.old_on_failure && current) reason["Item"] = item_to_json(*current);
      plans.emplace_back();
    }
    codes += (codes.empty() ? "" : ", ") + std::string(reason["Code"].as_string());
    reasons.push_back(std::move(reason));
  }
  if (cancelled) {
    c.error_extra["CancellationReasons"] = std::move(reasons);
    return dynamo::dynamo_error{errc::transaction_canceled,
                                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]"};
  }
  for (std::size_t i = 0; i < writes.size(); ++i) store_write(c, writes[i], plans[i]);
  tx.commit();
  return json::object{};
}

op_result transact_get_items(op_context& c) {
  const auto* items = c.body.if_contains("TransactItems");
  if (!items || !items->is_array() || items->as_array().empty()) return missing("transactItems");
  if (items->as_array().size() > 100)
    return validation_error("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member "
                            "must have length less than or equal to 100");
  struct get {
    const store::stored_table* table;
    dynamo::item key;
    std::optional<dynamo::projection> projection;
  };
  std::vector<get> gets;
  for (const auto& entry : items->as_array()) {
    const auto* g = entry.is_object() ? entry.as_object().if_contains("Get") : nullptr;
    if (!g || !g->is_object()) return missing("transactItems.member.get");
    const auto& o = g->as_object();
    auto t = table_param(c, o);
    if (!t) return t.error();
    auto key = key_param(**t, o);
    if (!key) return key.error();
    auto in = expression_inputs_of(o);
    if (!in) return in.error();
    get x{*t, std::move(*key), {}};
    if (auto e = optional_projection(o, *in, x.projection)) return *e;
    if (auto e = dynamo::check_all_used(*in)) return *e;
    gets.push_back(std::move(x));
  }
  json::array responses;
  store::transaction tx(c.store.db());
  for (const auto& g : gets) {
    json::object r;
    if (auto found = c.store.get(*g.table, dynamo::encode_primary_key(g.table->def, g.key), c.now_s))
      r["Item"] = item_to_json(g.projection ? dynamo::project(*found, *g.projection) : *found);
    responses.push_back(std::move(r));
  }
  tx.commit();
  return json::object{{"Responses", std::move(responses)}};
}

}  // namespace lambkin::io::http::dynamodb
