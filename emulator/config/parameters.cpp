#include "emulator/config/parameters.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>

namespace lambkin::config {
namespace {

const std::vector<std::string> declaration_keys{
    "Type",      "Default",   "AllowedValues", "AllowedPattern", "ConstraintDescription", "Description",
    "MaxLength", "MinLength", "MaxValue",      "MinValue",       "NoEcho"};

const std::vector<std::string> basic_types{"String", "Number", "CommaDelimitedList", "List<Number>"};

bool is_number(std::string_view s) {
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return !s.empty() && ec == std::errc{} && end == s.data() + s.size();
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string quoted_list(const node& seq) {
  std::string out;
  for (const auto& item : seq.items) {
    if (!out.empty()) out += ", ";
    out += item.text;
  }
  return out;
}

// Checks one value against a declaration; returns the message of the first violation, or "".
class constraint_checker {
 public:
  constraint_checker(const node& decl, const std::string& type) : decl_(decl), type_(type) {}

  std::string check(const std::string& value) const {
    const bool list = type_ == "CommaDelimitedList" || type_.starts_with("List<");
    const std::vector<std::string> elements = list ? split_commas(value) : std::vector<std::string>{value};
    for (const auto& e : elements) {
      if ((type_ == "Number" || type_ == "List<Number>") && !is_number(e))
        return "'" + e + "' is not a Number";
      if (std::string m = check_element(e); !m.empty()) return m;
    }
    return {};
  }

 private:
  std::string check_element(const std::string& e) const {
    if (const node* allowed = decl_.find("AllowedValues"); allowed && allowed->is_sequence()) {
      const bool found = std::any_of(allowed->items.begin(), allowed->items.end(),
                                     [&](const node& a) { return a.text == e; });
      if (!found) return "'" + e + "' is not one of the AllowedValues: " + quoted_list(*allowed);
    }
    if (const node* pattern = decl_.find("AllowedPattern"); pattern && pattern->is_scalar()) {
      try {
        if (!std::regex_match(e, std::regex(pattern->text)))
          return "'" + e + "' does not match the AllowedPattern " + pattern->text;
      } catch (const std::regex_error&) {
        return "AllowedPattern " + pattern->text + " is not a valid regular expression";
      }
    }
    auto bound = [&](std::string_view key) -> std::optional<double> {
      const node* n = decl_.find(key);
      if (!n || !n->is_scalar() || !is_number(n->text)) return std::nullopt;
      return std::stod(n->text);
    };
    const auto length = static_cast<double>(e.size());
    if (auto min = bound("MinLength"); min && length < *min)
      return "'" + e + "' is shorter than MinLength " + decl_.find("MinLength")->text;
    if (auto max = bound("MaxLength"); max && length > *max)
      return "'" + e + "' is longer than MaxLength " + decl_.find("MaxLength")->text;
    if (is_number(e)) {
      const double v = std::stod(e);
      if (auto min = bound("MinValue"); min && v < *min)
        return "'" + e + "' is less than MinValue " + decl_.find("MinValue")->text;
      if (auto max = bound("MaxValue"); max && v > *max)
        return "'" + e + "' is greater than MaxValue " + decl_.find("MaxValue")->text;
    }
    return {};
  }

  const node& decl_;
  const std::string& type_;
};

bool valid_type(const std::string& t) {
  if (std::find(basic_types.begin(), basic_types.end(), t) != basic_types.end()) return true;
  return (t.starts_with("AWS::") || t.starts_with("List<AWS::")) && !t.starts_with("AWS::SSM::");
}

parameter_value make_value(const std::string& text, const std::string& type) {
  parameter_value v{text, {}, type == "CommaDelimitedList" || type.starts_with("List<")};
  if (v.is_list) v.list = split_commas(text);
  return v;
}

}  // namespace

parameter_values read_parameters(const node& root, const std::map<std::string, std::string>& overrides,
                                 diagnostics& diags) {
  parameter_values values;
  const member* section = root.find_member("Parameters");
  const node empty_map{node::kind::map, {}, {}, {}, root.at};
  const node& params = section ? section->value : empty_map;
  if (!params.is_map()) {
    diags.error(params.at, "Parameters", "must be a map of parameter declarations");
    return values;
  }
  for (const auto& [name, key_at, decl] : params.members) {
    const std::string path = "Parameters." + name;
    if (!decl.is_map()) {
      values[name] = make_value("", "String");
      diags.error(decl.at, path, "must be a map with a Type");
      continue;
    }
    for (const auto& m : decl.members)
      if (std::find(declaration_keys.begin(), declaration_keys.end(), m.key) == declaration_keys.end())
        diags.error(m.key_at, join_path(path, m.key),
                    "unknown parameter attribute '" + m.key + "'" + did_you_mean(m.key, declaration_keys));
    const node* type = decl.find("Type");
    if (!type || !type->is_scalar()) {
      values[name] = make_value("", "String");
      diags.error(type ? type->at : decl.at, path + ".Type", "is required (String, Number, CommaDelimitedList…)");
      continue;
    }
    // A parameter whose value is wrong still gets one, so references to it add no second error.
    values[name] = make_value("", "String");
    if (!valid_type(type->text)) {
      const std::string why = type->text.starts_with("AWS::SSM::")
                                  ? "SSM parameter types cannot be resolved offline; use String"
                                  : "unknown parameter type '" + type->text + "'" + did_you_mean(type->text, basic_types);
      diags.error(type->at, path + ".Type", why);
      continue;
    }
    const constraint_checker checker(decl, type->text);
    if (auto o = overrides.find(name); o != overrides.end()) {
      values[name] = make_value(o->second, type->text);
      if (std::string why = checker.check(o->second); !why.empty())
        diags.error(key_at, path, why + " (from --parameter-overrides)");
      continue;
    }
    const node* def = decl.find("Default");
    if (!def) {
      diags.error(key_at, path, "has no Default; give a value with --parameter-overrides " + name + "=VALUE");
      continue;
    }
    if (!def->is_scalar()) {
      diags.error(def->at, path + ".Default", "must be a string (lists are written \"a,b,c\")");
      continue;
    }
    values[name] = make_value(def->text, type->text);
    if (std::string why = checker.check(def->text); !why.empty()) diags.error(def->at, path + ".Default", why);
  }
  for (const auto& [name, value] : overrides) {
    if (params.find(name)) continue;
    std::vector<std::string> declared;
    for (const auto& m : params.members) declared.push_back(m.key);
    diags.error(params.at, "Parameters",
                "no parameter named '" + name + "' (from --parameter-overrides)" + did_you_mean(name, declared));
  }
  return values;
}

std::optional<std::pair<std::string, std::string>> parse_parameter_override(std::string_view item) {
  constexpr std::string_view key_prefix = "ParameterKey=", value_prefix = ",ParameterValue=";
  if (item.starts_with(key_prefix)) {
    std::size_t sep = item.find(value_prefix);
    if (sep == std::string_view::npos) return std::nullopt;
    std::string key(item.substr(key_prefix.size(), sep - key_prefix.size()));
    if (key.empty()) return std::nullopt;
    return std::pair{key, std::string(item.substr(sep + value_prefix.size()))};
  }
  std::size_t eq = item.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  return std::pair{std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))};
}

}  // namespace lambkin::config
