// CreateTable, DeleteTable, DescribeTable, ListTables, UpdateTimeToLive, DescribeTimeToLive.
#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/store/table_definition_json.hpp"

#include <boost/json/array.hpp>

namespace lambkin::io::http::dynamodb {
namespace {

using dynamo::validation_error;

dynamo::dynamo_error table_not_found(const std::string& name) {
  return {errc::resource_not_found, "Requested resource not found: Table: " + name + " not found"};
}

json::object throughput() {
  return json::object{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
}

json::array index_descriptions(const store::table_store& s, const store::stored_table& t,
                               const std::vector<config::secondary_index>& indexes, bool global) {
  json::array out;
  for (const auto& x : indexes) {
    json::object o;
    o["IndexName"] = x.name;
    o["KeySchema"] = store::key_schema_json(x.keys);
    json::object p{{"ProjectionType", x.projection}};
    if (!x.non_key_attributes.empty()) {
      json::array n;
      for (const auto& a : x.non_key_attributes) n.emplace_back(a);
      p["NonKeyAttributes"] = std::move(n);
    }
    o["Projection"] = std::move(p);
    if (global) {
      o["IndexStatus"] = "ACTIVE";
      o["ProvisionedThroughput"] = throughput();
    }
    o["IndexSizeBytes"] = 0;
    o["ItemCount"] = 0;
    o["IndexArn"] = s.arn(t) + "/index/" + x.name;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

json::object table_description(const store::table_store& s, const store::stored_table& t, std::string_view status) {
  auto o = store::table_to_json(t.def);
  o.erase("BillingMode");
  o.erase("GlobalSecondaryIndexes");
  o.erase("LocalSecondaryIndexes");
  const auto stats = s.stats(t);
  o["TableStatus"] = status;
  o["CreationDateTime"] = static_cast<double>(t.created_ms) / 1000.0;
  o["ProvisionedThroughput"] = throughput();
  o["TableSizeBytes"] = stats.bytes;
  o["ItemCount"] = stats.items;
  o["TableArn"] = s.arn(t);
  o["TableId"] = "00000000-0000-4000-8000-" + [&] {
    char buf[13];
    std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(t.id));
    return std::string(buf);
  }();
  if (t.def.billing_mode == "PAY_PER_REQUEST")
    o["BillingModeSummary"] = json::object{{"BillingMode", "PAY_PER_REQUEST"},
                                           {"LastUpdateToPayPerRequestDateTime", static_cast<double>(t.created_ms) / 1000.0}};
  if (!t.def.global_indexes.empty()) o["GlobalSecondaryIndexes"] = index_descriptions(s, t, t.def.global_indexes, true);
  if (!t.def.local_indexes.empty()) o["LocalSecondaryIndexes"] = index_descriptions(s, t, t.def.local_indexes, false);
  o["DeletionProtectionEnabled"] = false;
  return o;
}

op_result create_table(op_context& c) {
  auto def = store::table_from_json(c.body);
  if (!def) return def.error();
  const auto billing = def->billing_mode;
  if (billing != "PROVISIONED" && billing != "PAY_PER_REQUEST")
    return validation_error("1 validation error detected: Value '" + billing +
                            "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: "
                            "[PROVISIONED, PAY_PER_REQUEST]");
  if (billing == "PROVISIONED" && !c.body.contains("ProvisionedThroughput"))
    return validation_error("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
                            "both be specified when BillingMode is PROVISIONED");
  auto t = c.store.create(std::move(*def), c.now_ms);
  if (!t) return t.error();
  return json::object{{"TableDescription", table_description(c.store, **t)}};
}

op_result delete_table(op_context& c) {
  const auto name = string_param(c.body, "TableName");
  if (name.empty()) return missing("tableName");
  const auto* t = c.store.find(name);
  if (!t) return table_not_found(name);
  auto description = table_description(c.store, *t, "DELETING");
  c.store.drop(name);
  return json::object{{"TableDescription", std::move(description)}};
}

op_result describe_table(op_context& c) {
  const auto name = string_param(c.body, "TableName");
  if (name.empty()) return missing("tableName");
  const auto* t = c.store.find(name);
  if (!t) return table_not_found(name);
  return json::object{{"Table", table_description(c.store, *t)}};
}

op_result list_tables(op_context& c) {
  std::int64_t limit = 100;
  if (auto* l = c.body.if_contains("Limit"); l && l->is_int64()) limit = l->as_int64();
  if (limit < 1 || limit > 100)
    return validation_error("1 validation error detected: Value '" + std::to_string(limit) +
                            "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  const auto start = string_param(c.body, "ExclusiveStartTableName");
  json::array names;
  std::string last;
  bool more = false;
  for (const auto& n : c.store.names()) {
    if (!start.empty() && n <= start) continue;
    if (static_cast<std::int64_t>(names.size()) == limit) {
      more = true;
      break;
    }
    names.emplace_back(n);
    last = n;
  }
  json::object out{{"TableNames", std::move(names)}};
  if (more) out["LastEvaluatedTableName"] = last;
  return out;
}

op_result update_time_to_live(op_context& c) {
  auto t = table_param(c, c.body);
  if (!t) return t.error();
  auto* spec = c.body.if_contains("TimeToLiveSpecification");
  if (!spec || !spec->is_object()) return missing("timeToLiveSpecification");
  const auto& o = spec->as_object();
  const auto name = string_param(o, "AttributeName");
  const auto* enabled = o.if_contains("Enabled");
  if (name.empty()) return missing("timeToLiveSpecification.attributeName");
  if (!enabled || !enabled->is_bool()) return missing("timeToLiveSpecification.enabled");
  const auto& current = (*t)->def.ttl_attribute;
  if (enabled->as_bool() && current) return validation_error("TimeToLive is already enabled");
  if (!enabled->as_bool() && !current) return validation_error("TimeToLive is already disabled");
  if (!enabled->as_bool() && *current != name)
    return validation_error("TimeToLive is active on a different AttributeName: current AttributeName is " + *current);
  c.store.set_ttl((*t)->def.name, enabled->as_bool() ? std::optional<std::string>(name) : std::nullopt);
  return json::object{{"TimeToLiveSpecification", json::object{{"Enabled", enabled->as_bool()}, {"AttributeName", name}}}};
}

op_result describe_time_to_live(op_context& c) {
  const auto name = string_param(c.body, "TableName");
  if (name.empty()) return missing("tableName");
  const auto* t = c.store.find(name);
  if (!t) return table_not_found(name);
  json::object d;
  if (t->def.ttl_attribute) {
    d["TimeToLiveStatus"] = "ENABLED";
    d["AttributeName"] = *t->def.ttl_attribute;
  } else {
    d["TimeToLiveStatus"] = "DISABLED";
  }
  return json::object{{"TimeToLiveDescription", std::move(d)}};
}

}  // namespace lambkin::io::http::dynamodb
