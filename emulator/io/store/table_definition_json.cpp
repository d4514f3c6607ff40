#include "emulator/io/store/table_definition_json.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>

namespace lambkin::io::store {
namespace json = boost::json;
using dynamo::validation_error;

namespace {

std::string string_at(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool valid_name(const std::string& n, std::size_t min) {
  return n.size() >= min && n.size() <= 255 && std::all_of(n.begin(), n.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

std::optional<config::attribute_type> attribute_type_of(const std::string& s) {
  if (s == "S") return config::attribute_type::string;
  if (s == "N") return config::attribute_type::number;
  if (s == "B") return config::attribute_type::binary;
  return std::nullopt;
}

/// KeySchema → (HASH, RANGE) names; types are filled in from AttributeDefinitions by the caller.
dynamo::result<config::key_schema> key_schema_from(const json::value* v, const std::vector<config::key_attribute>& attrs,
                                                  std::set<std::string>& used) {
  if (!v || !v->is_array() || v->as_array().empty() || v->as_array().size() > 2)
    return validation_error("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member "
                            "must not be null");
  config::key_schema k;
  const auto& a = v->as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object()) return validation_error("Invalid KeySchema: expected objects");
    const auto name = string_at(a[i].as_object(), "AttributeName");
    const auto type = string_at(a[i].as_object(), "KeyType");
    if ((i == 0 && type != "HASH") || (i == 1 && type != "RANGE"))
      return validation_error(i == 0 ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                                     : "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    auto it = std::find_if(attrs.begin(), attrs.end(), [&](const config::key_attribute& x) { return x.name == name; });
    if (it == attrs.end())
      return validation_error("One or more parameter values were invalid: Some index key attributes are not defined in "
                              "AttributeDefinitions. Keys: [" + name + "], AttributeDefinitions: [" +
                              [&] {
                                std::string s;
                                for (const auto& x : attrs) s += (s.empty() ? "" : ", ") + x.name;
                                return s;
                              }() + "]");
    used.insert(name);
    (i == 0 ? k.partition : k.sort.emplace()) = *it;
  }
  return k;
}

dynamo::result<std::vector<config::secondary_index>> indexes_from(const json::value* v,
                                                                  const std::vector<config::key_attribute>& attrs,
                                                                  std::set<std::string>& used, bool local,
                                                                  const config::key_schema& table_keys) {
  std::vector<config::secondary_index> out;
  if (!v) return out;
  if (!v->is_array()) return validation_error("Invalid secondary index list");
  for (const auto& e : v->as_array()) {
    if (!e.is_object()) return validation_error("Invalid secondary index");
    const auto& o = e.as_object();
    config::secondary_index x;
    x.name = string_at(o, "IndexName");
    if (!valid_name(x.name, 3)) return validation_error("Invalid index name: " + x.name);
    auto k = key_schema_from(o.if_contains("KeySchema"), attrs, used);
    if (!k) return k.error();
    x.keys = *k;
    if (local && (x.keys.partition.name != table_keys.partition.name || !x.keys.sort))
      return validation_error("One or more parameter values were invalid: Table KeySchema does not have a range key, "
                              "which is required when specifying a LocalSecondaryIndex");
    if (auto* p = o.if_contains("Projection"); p && p->is_object()) {
      const auto type = string_at(p->as_object(), "ProjectionType");
      x.projection = type.empty() ? "ALL" : type;
      if (x.projection != "ALL" && x.projection != "KEYS_ONLY" && x.projection != "INCLUDE")
        return validation_error("Unknown ProjectionType: " + x.projection);
      if (auto* n = p->as_object().if_contains("NonKeyAttributes"); n && n->is_array())
        for (const auto& a : n->as_array())
          if (a.is_string()) x.non_key_attributes.emplace_back(a.as_string());
    }
    for (const auto& prior : out)
      if (prior.name == x.name)
        return validation_error("One or more parameter values were invalid: Duplicate index name: " + x.name);
    out.push_back(std::move(x));
  }
  return out;
}

json::object index_json(const config::secondary_index& x) {
  json::object o;
  o["IndexName"] = x.name;
  o["KeySchema"] = key_schema_json(x.keys);
  json::object p;
  p["ProjectionType"] = x.projection;
  if (!x.non_key_attributes.empty()) {
    json::array n;
    for (const auto& a : x.non_key_attributes) n.emplace_back(a);
    p["NonKeyAttributes"] = std::move(n);
  }
  o["Projection"] = std::move(p);
  return o;
}

}  // namespace

json::array key_schema_json(const config::key_schema& k) {
  json::array a;
  a.push_back(json::object{{"AttributeName", k.partition.name}, {"KeyType", "HASH"}});
  if (k.sort) a.push_back(json::object{{"AttributeName", k.sort->name}, {"KeyType", "RANGE"}});
  return a;
}

dynamo::result<config::table_config> table_from_json(const json::object& o, bool strict) {
  config::table_config t;
  t.name = string_at(o, "TableName");
  if (t.name.empty())
    return validation_error("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member "
                            "must not be null");
  if (!valid_name(t.name, 3))
    return validation_error("1 validation error detected: Value '" + t.name +
                            "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression "
                            "pattern: [a-zA-Z0-9_.-]+");
  t.logical_id = t.name;
  if (auto* a = o.if_contains("AttributeDefinitions"); a && a->is_array()) {
    for (const auto& e : a->as_array()) {
      if (!e.is_object()) return validation_error("Invalid AttributeDefinitions");
      const auto type = attribute_type_of(string_at(e.as_object(), "AttributeType"));
      if (!type)
        return validation_error("1 validation error detected: Value '" + string_at(e.as_object(), "AttributeType") +
                                "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member "
                                "must satisfy enum value set: [B, N, S]");
      t.attributes.push_back({string_at(e.as_object(), "AttributeName"), *type});
    }
  }
  std::set<std::string> used;
  auto keys = key_schema_from(o.if_contains("KeySchema"), t.attributes, used);
  if (!keys) return keys.error();
  t.keys = *keys;
  auto gsis = indexes_from(o.if_contains("GlobalSecondaryIndexes"), t.attributes, used, false, t.keys);
  if (!gsis) return gsis.error();
  t.global_indexes = std::move(*gsis);
  auto lsis = indexes_from(o.if_contains("LocalSecondaryIndexes"), t.attributes, used, true, t.keys);
  if (!lsis) return lsis.error();
  t.local_indexes = std::move(*lsis);
  if (strict && used.size() != t.attributes.size())
    return validation_error("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                            "match number of attributes defined in AttributeDefinitions");
  const auto billing = string_at(o, "BillingMode");
  t.billing_mode = billing.empty() ? "PROVISIONED" : billing;
  return t;
}

json::object table_to_json(const config::table_config& t) {
  json::object o;
  o["TableName"] = t.name;
  json::array attrs;
  for (const auto& a : t.attributes)
    attrs.push_back(json::object{{"AttributeName", a.name}, {"AttributeType", config::to_string(a.type)}});
  o["AttributeDefinitions"] = std::move(attrs);
  o["KeySchema"] = key_schema_json(t.keys);
  o["BillingMode"] = t.billing_mode;
  if (!t.global_indexes.empty()) {
    json::array a;
    for (const auto& x : t.global_indexes) a.push_back(index_json(x));
    o["GlobalSecondaryIndexes"] = std::move(a);
  }
  if (!t.local_indexes.empty()) {
    json::array a;
    for (const auto& x : t.local_indexes) a.push_back(index_json(x));
    o["LocalSecondaryIndexes"] = std::move(a);
  }
  return o;
}

}  // namespace lambkin::io::store
