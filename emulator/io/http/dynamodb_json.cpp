#include "emulator/io/http/dynamodb_json.hpp"

#include "emulator/core/dynamo/number.hpp"
#include "emulator/core/text/base64.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace lambkin::io::http::dynamodb {
namespace json = boost::json;
using dynamo::attribute_value;
using dynamo::validation_error;
using dynamo::value_type;

namespace {

dynamo::dynamo_error serialization(std::string message) { return {errc::invalid_request_content, std::move(message)}; }

dynamo::result<std::string> scalar_text(value_type t, const json::value& v) {
  if (!v.is_string()) return serialization("NUMBER_VALUE cannot be converted to String");
  const std::string_view s = v.as_string();
  if (t == value_type::N) return dynamo::normalize_number(s);
  if (t == value_type::B) {
    auto bytes = text::base64_decode(s);
    if (!bytes) return serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(s.size()));
    return std::move(*bytes);
  }
  return std::string(s);
}

dynamo::result<attribute_value> set_from(value_type set, const json::value& v) {
  if (!v.is_array()) return serialization("Unexpected value type in payload");
  attribute_value out;
  out.type = set;
  const auto element = dynamo::element_of(set);
  for (const auto& e : v.as_array()) {
    auto text = scalar_text(element, e);
    if (!text) return text.error();
    out.set.push_back(std::move(*text));
  }
  if (out.set.empty())
    return validation_error(set == value_type::BS ? "One or more parameter values were invalid: Binary sets should not be empty"
                            : std::string("One or more parameter values were invalid: An ") +
                                  (set == value_type::SS ? "string" : "number") + " set  may not be empty");
  auto sorted = out.set;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    std::string list;
    for (const auto& e : v.as_array()) list += (list.empty() ? "" : ", ") + std::string(e.as_string());
    return validation_error("One or more parameter values were invalid: Input collection [" + list + "] contains duplicates.");
  }
  return out;
}

}  // namespace

dynamo::result<attribute_value> value_from_json(const json::value& v) {
  if (!v.is_object()) return serialization("Unexpected value type in payload");
  const auto& o = v.as_object();
  if (o.empty())
    return validation_error("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (o.size() > 1)
    return validation_error("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                            "supported datatypes");
  const auto& [key, inner] = *o.begin();
  const auto type = dynamo::type_from_name(key);
  if (!type) return serialization("Unknown AttributeValue type: " + std::string(key));
  switch (*type) {
    case value_type::S:
    case value_type::N:
    case value_type::B: {
      auto text = scalar_text(*type, inner);
      if (!text) return text.error();
      return attribute_value::scalar(*type, std::move(*text));
    }
    case value_type::BOOL:
      if (!inner.is_bool()) return serialization("Unexpected value type in payload");
      return attribute_value::boolean_value(inner.as_bool());
    case value_type::NUL:
      if (!inner.is_bool() || !inner.as_bool())
        return validation_error("One or more parameter values were invalid: Null attribute value types must have the value of true");
      return attribute_value::null();
    case value_type::M: {
      auto m = item_from_json(inner);
      if (!m) return m.error();
      attribute_value out;
      out.type = value_type::M;
      out.map = std::move(*m);
      return out;
    }
    case value_type::L: {
      if (!inner.is_array()) return serialization("Unexpected value type in payload");
      attribute_value out;
      out.type = value_type::L;
      for (const auto& e : inner.as_array()) {
        auto x = value_from_json(e);
        if (!x) return x;
        out.list.push_back(std::move(*x));
      }
      return out;
    }
    case value_type::SS:
    case value_type::NS:
    case value_type::BS: return set_from(*type, inner);
  }
  return serialization("Unknown AttributeValue type");
}

dynamo::result<dynamo::item> item_from_json(const json::value& v) {
  if (!v.is_object()) return serialization("Unexpected value type in payload");
  dynamo::item out;
  for (const auto& [k, e] : v.as_object()) {
    auto x = value_from_json(e);
    if (!x) return x.error();
    out.emplace(std::string(k), std::move(*x));
  }
  return out;
}

json::object value_to_json(const attribute_value& v) {
  json::object o;
  const auto name = dynamo::type_name(v.type);
  switch (v.type) {
    case value_type::S:
    case value_type::N: o[name] = v.text; break;
    case value_type::B: o[name] = text::base64_encode(v.text); break;
    case value_type::BOOL: o[name] = v.boolean; break;
    case value_type::NUL: o[name] = true; break;
    case value_type::M: o[name] = item_to_json(v.map); break;
    case value_type::L: {
      json::array a;
      a.reserve(v.list.size());
      for (const auto& e : v.list) a.push_back(value_to_json(e));
      o[name] = std::move(a);
      break;
    }
    case value_type::SS:
    case value_type::NS:
    case value_type::BS: {
      json::array a;
      for (const auto& e : v.set) a.emplace_back(v.type == value_type::BS ? text::base64_encode(e) : e);
      o[name] = std::move(a);
      break;
    }
  }
  return o;
}

json::object item_to_json(const dynamo::item& i) {
  json::object o;
  o.reserve(i.size());
  for (const auto& [k, v] : i) o[k] = value_to_json(v);
  return o;
}

}  // namespace lambkin::io::http::dynamodb
