#include "emulator/core/iot_policy/connection_grant.hpp"

#include "emulator/core/iot_policy/wildcard.hpp"

#include <algorithm>
#include <utility>

namespace lambkin::iot_policy {
namespace {

std::string_view resource_type(mqtt::iot_action a) {
  switch (a) {
    case mqtt::iot_action::connect: return "client/";
    case mqtt::iot_action::subscribe: return "topicfilter/";
    case mqtt::iot_action::publish:
    case mqtt::iot_action::retain_publish:
    case mqtt::iot_action::receive: return "topic/";
  }
  return "topic/";
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool matches(condition_operator op, std::string_view pattern, std::string_view value) {
  switch (op) {
    case condition_operator::string_like:
    case condition_operator::string_not_like: return wildcard_match(compile_pattern(pattern), value);
    default: return pattern == value;
  }
}

/// `ForAllValues:` / `ForAnyValue:` over a multi-valued key (absent: no values). A value
/// "matches" when one of the condition's values does (for the Not operators: when none does).
bool set_condition_holds(const condition& c, const variable_values& vars) {
  static const std::vector<std::string> none;
  const auto* list = vars.find_list(c.key);
  const auto& values = list ? *list : none;
  const bool negated = c.op == condition_operator::string_not_equals || c.op == condition_operator::string_not_like;
  const auto value_matches = [&](const std::string& value) {
    const bool any = std::any_of(c.values.begin(), c.values.end(),
                                 [&](const std::string& pattern) { return matches(c.op, pattern, value); });
    return any != negated;
  };
  if (c.quantifier == set_quantifier::for_all_values) return std::all_of(values.begin(), values.end(), value_matches);
  return std::any_of(values.begin(), values.end(), value_matches);
}

bool condition_holds(const condition& c, const variable_values& vars) {
  if (c.quantifier != set_quantifier::none) return set_condition_holds(c, vars);
  const auto value = vars.find(c.key);
  const auto any = [&](auto&& match) {
    return value && std::any_of(c.values.begin(), c.values.end(), [&](const std::string& v) { return match(v); });
  };
  switch (c.op) {
    case condition_operator::string_equals: return any([&](const std::string& v) { return v == *value; });
    case condition_operator::string_not_equals: return !any([&](const std::string& v) { return v == *value; });
    case condition_operator::string_like:
      return any([&](const std::string& v) { return wildcard_match(compile_pattern(v), *value); });
    case condition_operator::string_not_like:
      return !any([&](const std::string& v) { return wildcard_match(compile_pattern(v), *value); });
    case condition_operator::boolean: return any([&](const std::string& v) { return equals_ignore_case(v, *value); });
  }
  return false;
}

}  // namespace

bool conditions_hold(const std::vector<condition>& conditions, const variable_values& vars) {
  return std::all_of(conditions.begin(), conditions.end(), [&](const condition& c) { return condition_holds(c, vars); });
}

connection_grant::connection_grant(std::string arn_prefix, const std::vector<const policy_document*>& policies,
                                   const variable_values& vars)
    : arn_prefix_(std::move(arn_prefix)) {
  for (const auto* doc : policies) {
    for (const auto& s : doc->statements) {
      if (!conditions_hold(s.conditions, vars)) continue;  // cannot apply to this connection
      compiled c{s.allow, s.not_action, s.not_resource, s.actions, {}};
      for (const auto& r : s.resources)
        if (auto pattern = expand_resource(r, vars)) c.resources.push_back(std::move(*pattern));
      // Every resource unresolved: the statement matches nothing (NotResource: everything).
      if (c.resources.empty() && !c.not_resource) continue;
      statements_.push_back(std::move(c));
    }
  }
}

std::string connection_grant::resource(mqtt::iot_action action, std::string_view name) const {
  std::string out = arn_prefix_;
  out += resource_type(action);
  out += name;
  return out;
}

bool connection_grant::evaluate(mqtt::iot_action action, std::string_view name) const {
  const std::string_view action_name = mqtt::to_string(action);
  const std::string arn = resource(action, name);
  bool allowed = false;
  for (const auto& s : statements_) {
    const bool action_listed = std::any_of(s.actions.begin(), s.actions.end(), [&](const std::string& a) {
      return wildcard_match(compile_pattern(a), action_name, true);
    });
    if (action_listed == s.not_action) continue;
    const bool resource_listed = std::any_of(s.resources.begin(), s.resources.end(),
                                             [&](const std::string& r) { return wildcard_match(r, arn); });
    if (resource_listed == s.not_resource) continue;
    if (!s.allow) return false;  // an explicit Deny wins
    allowed = true;
  }
  return allowed;
}

bool connection_grant::allowed(mqtt::iot_action action, std::string_view name) {
  key_.assign(1, static_cast<char>('0' + static_cast<int>(action)));
  key_ += name;
  if (const auto it = cache_.find(key_); it != cache_.end()) return it->second;
  const bool verdict = evaluate(action, name);
  ++evaluations_;
  if (cache_.size() >= cache_limit) cache_.clear();
  cache_.emplace(key_, verdict);
  return verdict;
}

}  // namespace lambkin::iot_policy
