#include "emulator/core/rules/value.hpp"

#include <cstdio>

namespace lambkin::rules {

std::string_view to_string(value_kind k) {
  switch (k) {
    case value_kind::undefined: return "Undefined";
    case value_kind::null: return "Null";
    case value_kind::boolean: return "Boolean";
    case value_kind::integer: return "Int";
    case value_kind::decimal: return "Decimal";
    case value_kind::string: return "String";
    case value_kind::array: return "Array";
    case value_kind::object: return "Object";
    case value_kind::binary: return "Binary";
  }
  return "?";
}

value value::make_array(array items) { return value(std::make_shared<const array>(std::move(items))); }
value value::make_object(object members) { return value(std::make_shared<const object>(std::move(members))); }

value value::field(std::string_view key) const {
  if (kind() != value_kind::object) return {};
  const auto& members = as_object();
  for (auto it = members.rbegin(); it != members.rend(); ++it)  // a repeated key: the last one wins
    if (it->key == key) return it->val;
  return {};
}

value value::item(std::int64_t index) const {
  if (kind() != value_kind::array) return {};
  const auto& items = as_array();
  if (index < 0 || static_cast<std::uint64_t>(index) >= items.size()) return {};
  return items[static_cast<std::size_t>(index)];
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void append_json(std::string& out, const value& v) {
  switch (v.kind()) {
    case value_kind::undefined: return;
    case value_kind::null: out += "null"; return;
    case value_kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case value_kind::integer: out += std::to_string(v.as_int()); return;
    case value_kind::decimal: out += v.as_decimal().to_string(); return;
    case value_kind::string: append_json_string(out, v.as_string()); return;
    case value_kind::binary: out += v.as_binary(); return;
    case value_kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (item.is_undefined()) continue;
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case value_kind::object: {
      out += '{';
      bool first = true;
      for (const auto& m : v.as_object()) {
        if (m.val.is_undefined()) continue;
        if (!first) out += ',';
        first = false;
        append_json_string(out, m.key);
        out += ':';
        append_json(out, m.val);
      }
      out += '}';
      return;
    }
  }
}

std::string to_json(const value& v) {
  std::string out;
  append_json(out, v);
  return out;
}

}  // namespace lambkin::rules
