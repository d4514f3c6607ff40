#include "emulator/core/rules/conversions.hpp"

#include <cmath>

namespace lambkin::rules::detail {
namespace {

bool iequal_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

std::optional<numeric> parse_numeric_text(const std::string& s) {
  // AWS's implicit conversion regex has no exponent sign `+` and no leading `+`.
  if (s.empty() || s.find('+') != std::string::npos) return std::nullopt;
  auto d = decimal::parse(s);
  if (!d) return std::nullopt;
  numeric n;
  n.is_int = false;
  n.d = std::move(*d);
  return n;
}

}  // namespace

std::optional<numeric> to_numeric(const value& v) {
  switch (v.kind()) {
    case value_kind::integer: return numeric{true, v.as_int(), {}};
    case value_kind::decimal: return numeric{false, 0, v.as_decimal()};
    case value_kind::string: return parse_numeric_text(v.as_string());
    default: return std::nullopt;
  }
}

std::optional<decimal> to_decimal(const value& v) {
  auto n = to_numeric(v);
  if (!n) return std::nullopt;
  return n->as_decimal();
}

std::optional<std::int64_t> to_int_floor(const value& v) {
  auto n = to_numeric(v);
  if (!n) return std::nullopt;
  if (n->is_int) return n->i;
  return n->d.floor_int();
}

std::optional<double> to_double(const value& v) {
  auto n = to_numeric(v);
  if (!n) return std::nullopt;
  if (n->is_int) return static_cast<double>(n->i);
  return n->d.to_double();
}

std::optional<std::string> to_text(const value& v) {
  switch (v.kind()) {
    case value_kind::string: return v.as_string();
    case value_kind::integer: return std::to_string(v.as_int());
    case value_kind::decimal: return v.as_decimal().to_string();
    case value_kind::boolean: return std::string(v.as_bool() ? "true" : "false");
    case value_kind::array:
    case value_kind::object: return to_json(v);
    default: return std::nullopt;
  }
}

std::optional<bool> to_boolean(const value& v) {
  if (v.kind() == value_kind::boolean) return v.as_bool();
  if (v.kind() == value_kind::string) {
    if (iequal_ascii(v.as_string(), "true")) return true;
    if (iequal_ascii(v.as_string(), "false")) return false;
  }
  return std::nullopt;
}

value number_result(decimal d, sql_version v) {
  if (v != sql_version::v2015_10_08)
    if (auto i = d.exact_int()) return value::integer(*i);
  return value::number(std::move(d));
}

value number_result(const numeric& n, sql_version v) {
  if (n.is_int) return value::integer(n.i);
  return number_result(n.d, v);
}

value double_result(double d, sql_version v) {
  auto dec = decimal::of_double(d);
  if (!dec) return {};
  return number_result(std::move(*dec), v);
}

value cast_to(const value& v, const std::string& type, sql_version version) {
  if (v.is_undefined() || v.is_null()) return {};
  if (type == "string" || type == "nvarchar" || type == "text" || type == "ntext" || type == "varchar") {
    auto s = to_text(v);
    return s ? value::string(std::move(*s)) : value{};
  }
  if (type == "bool" || type == "boolean") {
    if (v.kind() == value_kind::integer) return value::boolean(v.as_int() != 0);
    if (v.kind() == value_kind::decimal) return value::boolean(!v.as_decimal().is_zero());
    auto b = to_boolean(v);
    return b ? value::boolean(*b) : value{};
  }
  if (v.kind() == value_kind::boolean) {
    if (type == "int" || type == "integer") return value::integer(v.as_bool() ? 1 : 0);
    if (type == "double") return double_result(v.as_bool() ? 1.0 : 0.0, version);
    return number_result(*decimal::parse(v.as_bool() ? "1.0" : "0.0"), version);
  }
  auto n = to_numeric(v);
  if (!n) return {};
  if (type == "int" || type == "integer") {
    if (n->is_int) return value::integer(n->i);
    auto i = n->d.floor_int();
    return i ? value::integer(*i) : value{};
  }
  if (type == "double") {
    return double_result(n->is_int ? static_cast<double>(n->i) : n->d.to_double(), version);
  }
  // decimal
  if (n->is_int) return value::integer(n->i);  // an Int is already a whole Decimal
  return number_result(n->d, version);
}

}  // namespace lambkin::rules::detail
