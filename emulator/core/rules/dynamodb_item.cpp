#include "emulator/core/rules/dynamodb_item.hpp"

#include "emulator/core/text/base64.hpp"

namespace lambkin::rules {
namespace {

/// `"field":{"S":"text"}` or `"field":{"N":"text"}`.
std::string key_attribute(std::string_view field, const std::string& text, std::string_view type) {
  std::string out;
  append_json_string(out, field);
  out += type == "NUMBER" ? ":{\"N\":" : ":{\"S\":";
  append_json_string(out, text);
  out += '}';
  return out;
}

}  // namespace

void append_attribute(std::string& out, const value& v) {
  switch (v.kind()) {
    case value_kind::string:
      out += "{\"S\":";
      append_json_string(out, v.as_string());
      out += '}';
      return;
    case value_kind::integer:
    case value_kind::decimal:
      out += "{\"N\":\"";
      out += to_json(v);
      out += "\"}";
      return;
    case value_kind::boolean:
      out += v.as_bool() ? "{\"BOOL\":true}" : "{\"BOOL\":false}";
      return;
    case value_kind::binary:
      out += "{\"B\":\"" + text::base64_encode(v.as_binary()) + "\"}";
      return;
    case value_kind::array: {
      out += "{\"L\":[";
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (item.is_undefined()) continue;
        if (!first) out += ',';
        first = false;
        append_attribute(out, item);
      }
      out += "]}";
      return;
    }
    case value_kind::object: {
      out += "{\"M\":{";
      bool first = true;
      for (const auto& m : v.as_object()) {
        if (m.val.is_undefined()) continue;
        if (!first) out += ',';
        first = false;
        append_json_string(out, m.key);
        out += ':';
        append_attribute(out, m.val);
      }
      out += "}}";
      return;
    }
    case value_kind::null:
    case value_kind::undefined:
      out += "{\"NULL\":true}";
      return;
  }
}

std::optional<std::string> put_item_request(const std::string& table, const value& result) {
  if (result.kind() != value_kind::object) return std::nullopt;
  std::string req = "{\"TableName\":";
  append_json_string(req, table);
  req += ",\"Item\":";
  std::string item;
  append_attribute(item, result);
  req += item.substr(5, item.size() - 6);  // {"M":{…}} → {…}
  req += '}';
  return req;
}

std::optional<std::pair<std::string, std::string>> dynamodb_v1_request(const std::string& table,
                                                                     std::string_view operation,
                                                                     const dynamodb_v1_keys& keys,
                                                                     const std::string& payload_field,
                                                                     const value& result) {
  std::string key = "{" + key_attribute(keys.hash_field, keys.hash_value, keys.hash_type);
  if (!keys.range_field.empty() && keys.range_value)
    key += "," + key_attribute(keys.range_field, *keys.range_value, keys.range_type);
  key += "}";
  std::string payload_attr;
  append_attribute(payload_attr, result);
  std::string req = "{\"TableName\":";
  append_json_string(req, table);
  if (operation == "DELETE") return std::pair{std::string("DeleteItem"), req + ",\"Key\":" + key + "}"};
  if (operation == "UPDATE") {
    req += ",\"Key\":" + key + ",\"UpdateExpression\":\"SET #p = :p\",\"ExpressionAttributeNames\":{\"#p\":";
    append_json_string(req, payload_field);
    req += "},\"ExpressionAttributeValues\":{\":p\":" + payload_attr + "}}";
    return std::pair{std::string("UpdateItem"), std::move(req)};
  }
  if (operation == "INSERT") {
    req += ",\"Item\":" + key.substr(0, key.size() - 1) + ",";
    append_json_string(req, payload_field);
    req += ":" + payload_attr + "}}";
    return std::pair{std::string("PutItem"), std::move(req)};
  }
  return std::nullopt;
}

}  // namespace lambkin::rules
