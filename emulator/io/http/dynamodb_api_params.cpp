// Parameter readers shared by the DynamoDB operations.
#include "emulator/core/dynamo/table_keys.hpp"
#include "emulator/io/http/dynamodb_api_detail.hpp"
#include "emulator/io/http/dynamodb_json.hpp"

namespace lambkin::io::http::dynamodb {

using dynamo::validation_error;

dynamo::dynamo_error not_found() { return {errc::resource_not_found, "Requested resource not found"}; }

dynamo::dynamo_error missing(std::string_view member) {
  return validation_error("1 validation error detected: Value null at '" + std::string(member) +
                          "' failed to satisfy constraint: Member must not be null");
}

std::string string_param(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

dynamo::result<const store::stored_table*> table_param(op_context& c, const json::object& o, std::string_view key) {
  const auto name = string_param(o, key);
  if (name.empty()) return missing("tableName");
  const auto* t = c.store.find(name);
  if (!t) return not_found();
  return t;
}

dynamo::result<dynamo::expression_inputs> expression_inputs_of(const json::object& o) {
  dynamo::expression_inputs in;
  if (auto* n = o.if_contains("ExpressionAttributeNames"); n && n->is_object()) {
    for (const auto& [k, v] : n->as_object()) {
      if (!v.is_string()) return dynamo::dynamo_error{errc::invalid_request_content, "Unexpected value type in payload"};
      if (!k.starts_with("#"))
        return validation_error("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + std::string(k) + "\"");
      in.names.emplace(std::string(k), std::string(v.as_string()));
    }
  }
  if (auto* v = o.if_contains("ExpressionAttributeValues"); v && v->is_object()) {
    for (const auto& [k, x] : v->as_object()) {
      if (!k.starts_with(":"))
        return validation_error("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + std::string(k) + "\"");
      auto value = value_from_json(x);
      if (!value)
        return validation_error("ExpressionAttributeValues contains invalid value: " + value.error().message +
                                " for key " + std::string(k));
      in.values.emplace(std::string(k), std::move(*value));
    }
  }
  return in;
}

std::optional<dynamo::dynamo_error> optional_condition(const json::object& o, std::string_view key,
                                                      dynamo::expression_inputs& in, std::optional<dynamo::condition>& out) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) return dynamo::dynamo_error{errc::invalid_request_content, "Unexpected value type in payload"};
  auto c = dynamo::parse_condition(v->as_string(), in, key);
  if (!c) return c.error();
  out = std::move(*c);
  return std::nullopt;
}

std::optional<dynamo::dynamo_error> optional_projection(const json::object& o, dynamo::expression_inputs& in,
                                                       std::optional<dynamo::projection>& out) {
  auto* v = o.if_contains("ProjectionExpression");
  if (!v) return std::nullopt;
  if (!v->is_string()) return dynamo::dynamo_error{errc::invalid_request_content, "Unexpected value type in payload"};
  auto p = dynamo::parse_projection(v->as_string(), in);
  if (!p) return p.error();
  out = std::move(*p);
  return std::nullopt;
}

dynamo::result<dynamo::item> key_param(const store::stored_table& t, const json::object& o) {
  auto* v = o.if_contains("Key");
  if (!v) return missing("key");
  auto key = item_from_json(*v);
  if (!key) return key.error();
  if (auto e = dynamo::validate_key(t.def, *key)) return *e;
  return key;
}

std::optional<dynamo::dynamo_error> refuse_legacy(const json::object& o) {
  for (const char* legacy : {"Expected", "AttributeUpdates", "KeyConditions", "QueryFilter", "ScanFilter",
                             "ConditionalOperator", "AttributesToGet"})
    if (o.contains(legacy))
      return validation_error(std::string("lambkin does not emulate the legacy parameter ") + legacy +
                              "; use the expression parameters instead");
  return std::nullopt;
}

}  // namespace lambkin::io::http::dynamodb
