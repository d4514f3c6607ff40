// Policy documents: JSON → statements, every shape AWS accepts checked, the rest refused by path.
#include "emulator/core/iot_policy/policy_document.hpp"

#include <array>
#include <optional>
#include <utility>

namespace lambkin::iot_policy {
namespace {

using http::json_value;
using kind = json_value::kind;

struct failure {
  parse_error error;
};

[[noreturn]] void fail(std::string path, std::string message) {
  throw failure{parse_error{std::move(path), std::move(message)}};
}

std::string at(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// A string, or a JSON true/false (Bool conditions are often written unquoted), as text.
std::optional<std::string> scalar_text(const json_value& v) {
  if (v.type == kind::string) return v.text;
  if (v.type == kind::boolean) return std::string(v.boolean ? "true" : "false");
  return std::nullopt;
}

// "x" or ["x", "y"]: one or more non-empty strings.
std::vector<std::string> strings(const json_value& v, const std::string& path, bool allow_empty_string = false) {
  std::vector<std::string> out;
  auto one = [&](const json_value& item, const std::string& p) {
    auto text = scalar_text(item);
    if (!text) fail(p, "must be a string");
    if (text->empty() && !allow_empty_string) fail(p, "must not be empty");
    out.push_back(std::move(*text));
  };
  if (v.type == kind::array) {
    if (v.items.empty()) fail(path, "must not be an empty list");
    for (std::size_t i = 0; i < v.items.size(); ++i) one(v.items[i], index(path, i));
  } else {
    one(v, path);
  }
  return out;
}

std::optional<condition_operator> operator_named(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, condition_operator>, 5> ops{{
      {"StringEquals", condition_operator::string_equals},
      {"StringNotEquals", condition_operator::string_not_equals},
      {"StringLike", condition_operator::string_like},
      {"StringNotLike", condition_operator::string_not_like},
      {"Bool", condition_operator::boolean},
  }};
  for (const auto& [n, op] : ops)
    if (n == name) return op;
  return std::nullopt;
}

std::vector<condition> conditions(const json_value& v, const std::string& path) {
  if (!v.is_object()) fail(path, "must be an object of condition operators");
  std::vector<condition> out;
  for (const auto& op : v.members) {
    const std::string op_path = at(path, op.key);
    std::string_view name = op.key;
    auto quantifier = set_quantifier::none;
    for (const auto& [prefix, q] : {std::pair<std::string_view, set_quantifier>{"ForAllValues:", set_quantifier::for_all_values},
                                    {"ForAnyValue:", set_quantifier::for_any_value}})
      if (name.starts_with(prefix)) {
        name.remove_prefix(prefix.size());
        quantifier = q;
      }
    const auto known = operator_named(name);
    if (!known || (quantifier != set_quantifier::none && *known == condition_operator::boolean))
      fail(op_path, "lambkin supports the condition operators StringEquals, StringNotEquals, StringLike, "
                    "StringNotLike (also prefixed ForAllValues: or ForAnyValue:) and Bool, not '" + op.key + "'");
    if (!op.value.is_object()) fail(op_path, "must be an object of condition keys");
    for (const auto& k : op.value.members) {
      if (!k.key.starts_with("iot:"))
        fail(at(op_path, k.key), "lambkin evaluates the iot: condition keys only, not '" + k.key + "'");
      const bool multi = k.key == "iot:ConnectAttributes";
      if (multi != (quantifier != set_quantifier::none))
        fail(at(op_path, k.key), multi ? "iot:ConnectAttributes has several values: use ForAllValues: or ForAnyValue:"
                                       : "ForAllValues: and ForAnyValue: apply to iot:ConnectAttributes only");
      condition c{*known, quantifier, k.key, strings(k.value, at(op_path, k.key), true)};
      out.push_back(std::move(c));
    }
  }
  return out;
}

statement read_statement(const json_value& v, const std::string& path) {
  if (!v.is_object()) fail(path, "must be an object");
  statement s;
  for (const auto& m : v.members) {
    static constexpr std::array<std::string_view, 7> known{"Sid",        "Effect",   "Action",   "NotAction",
                                                           "Resource",   "NotResource", "Condition"};
    bool ok = false;
    for (auto k : known) ok = ok || k == m.key;
    if (!ok) {
      if (m.key == "Principal" || m.key == "NotPrincipal")
        fail(at(path, m.key), "AWS IoT policies have no Principal: attach the policy to a certificate instead");
      fail(at(path, m.key), "unknown statement element '" + m.key + "'");
    }
  }
  const json_value* effect = v.find("Effect");
  if (!effect) fail(at(path, "Effect"), "is required");
  if (!effect->is_string() || (effect->text != "Allow" && effect->text != "Deny"))
    fail(at(path, "Effect"), "must be Allow or Deny");
  s.allow = effect->text == "Allow";

  const json_value* action = v.find("Action");
  const json_value* not_action = v.find("NotAction");
  if ((action == nullptr) == (not_action == nullptr)) fail(path, "must have exactly one of Action and NotAction");
  s.not_action = not_action != nullptr;
  s.actions = strings(action ? *action : *not_action, at(path, action ? "Action" : "NotAction"));

  const json_value* resource = v.find("Resource");
  const json_value* not_resource = v.find("NotResource");
  if ((resource == nullptr) == (not_resource == nullptr))
    fail(path, "must have exactly one of Resource and NotResource");
  s.not_resource = not_resource != nullptr;
  s.resources = strings(resource ? *resource : *not_resource, at(path, resource ? "Resource" : "NotResource"));

  if (const json_value* c = v.find("Condition")) s.conditions = conditions(*c, at(path, "Condition"));
  return s;
}

}  // namespace

parse_result parse_policy_document(const json_value& doc) {
  try {
    if (!doc.is_object()) fail("", "a policy document must be a JSON object");
    for (const auto& m : doc.members)
      if (m.key != "Version" && m.key != "Statement" && m.key != "Id")
        fail(m.key, "unknown policy element '" + m.key + "'");
    const json_value* version = doc.find("Version");
    if (version && !(version->is_string() && (version->text == "2012-10-17" || version->text == "2008-10-17")))
      fail("Version", "must be 2012-10-17 (or 2008-10-17)");
    const json_value* statements = doc.find("Statement");
    if (!statements) fail("Statement", "is required");
    policy_document out;
    if (statements->type == kind::array) {
      if (statements->items.empty()) fail("Statement", "must not be an empty list");
      for (std::size_t i = 0; i < statements->items.size(); ++i)
        out.statements.push_back(read_statement(statements->items[i], index("Statement", i)));
    } else {
      out.statements.push_back(read_statement(*statements, "Statement"));
    }
    return out;
  } catch (failure& f) {
    return std::move(f.error);
  }
}

parse_result parse_policy_document(std::string_view json) {
  const auto doc = http::parse_json(json);
  if (!doc) return parse_error{"", "is not valid JSON"};
  return parse_policy_document(*doc);
}

}  // namespace lambkin::iot_policy
