// resolver: the `Conditions` section and the condition functions.
#include "emulator/config/resolver.hpp"

namespace lambkin::config {
namespace {

bool same_value(const node& a, const node& b) {
  if (a.type != b.type) return false;
  if (a.is_scalar()) return a.text == b.text;
  if (a.items.size() != b.items.size() || a.members.size() != b.members.size()) return false;
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (!same_value(a.items[i], b.items[i])) return false;
  for (std::size_t i = 0; i < a.members.size(); ++i)
    if (a.members[i].key != b.members[i].key || !same_value(a.members[i].value, b.members[i].value)) return false;
  return true;
}

}  // namespace

bool resolver::condition(const std::string& name, mark at, const std::string& path) {
  auto it = conditions_.find(name);
  if (it == conditions_.end()) {
    std::vector<std::string> declared;
    for (const auto& [n, state] : conditions_) declared.push_back(n);
    diags_.error(at, path, "'" + name + "' is not a condition declared in Conditions" + did_you_mean(name, declared));
    return false;
  }
  condition_state& state = it->second;
  if (state.value) return *state.value;
  if (state.evaluating) {
    diags_.error(at, path, "condition '" + name + "' depends on itself");
    return false;
  }
  state.evaluating = true;
  state.value = evaluate(*state.expr, "Conditions." + name).value_or(false);
  state.evaluating = false;
  return *state.value;
}

void resolver::check_conditions() {
  const node* section = root_.find("Conditions");
  if (!section) return;
  if (!section->is_map()) {
    diags_.error(section->at, "Conditions", "must be a map of condition names to condition functions");
    return;
  }
  for (const auto& m : section->members) condition(m.key, m.key_at, "Conditions");
}

std::optional<bool> resolver::evaluate(const node& expr, const std::string& path) {
  if (!is_intrinsic(expr, true)) {
    diags_.error(expr.at, path, "must be a condition function: Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
    return std::nullopt;
  }
  const auto& [fn, key_at, arg] = expr.members.front();
  if (fn == "Condition") {
    if (!arg.is_scalar()) {
      diags_.error(arg.at, path, "Condition: must name a condition");
      return std::nullopt;
    }
    return condition(arg.text, arg.at, path);
  }
  if (fn == "Fn::Equals") {
    if (!expect_list(arg, 2, "[value, value]", path, fn)) return std::nullopt;
    std::optional<node> a = resolve(arg.items[0], path), b = resolve(arg.items[1], path);
    if ((a && a->is_invalid()) || (b && b->is_invalid())) return std::nullopt;
    return a && b ? same_value(*a, *b) : !a && !b;
  }
  if (fn == "Fn::Not") {
    if (!expect_list(arg, 1, "[condition]", path, fn)) return std::nullopt;
    auto v = evaluate(arg.items[0], path);
    return v ? std::optional<bool>(!*v) : std::nullopt;
  }
  if (fn == "Fn::And" || fn == "Fn::Or") {
    if (!expect_list(arg, 0, "a list of 2 to 10 conditions", path, fn)) return std::nullopt;
    if (arg.items.size() < 2 || arg.items.size() > 10) {
      diags_.error(arg.at, path, fn + ": must be a list of 2 to 10 conditions");
      return std::nullopt;
    }
    const bool is_and = fn == "Fn::And";
    bool result = is_and;
    for (const auto& item : arg.items) {
      auto v = evaluate(item, path);  // every operand, so each mistake is reported
      if (!v) return std::nullopt;
      result = is_and ? (result && *v) : (result || *v);
    }
    return result;
  }
  diags_.error(expr.at, path, fn + ": is not a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition)");
  return std::nullopt;
}

}  // namespace lambkin::config
