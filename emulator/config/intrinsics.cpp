// resolver: the walk over a value, dispatch of intrinsic calls, Ref and Fn::Sub.
#include "emulator/config/resolver.hpp"

#include <algorithm>
#include <array>

namespace lambkin::config {
namespace {

constexpr std::array<std::string_view, 10> supported_functions{
    "Ref",       "Fn::Sub", "Fn::GetAtt", "Fn::Join",   "Fn::If",
    "Fn::Select", "Fn::Split", "Fn::FindInMap", "Fn::Base64", "Fn::GetAZs"};
constexpr std::array<std::string_view, 4> condition_functions{"Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"};
constexpr std::array<std::string_view, 6> unsupported_functions{
    "Fn::ImportValue", "Fn::Cidr", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach"};
const std::vector<std::string> pseudo_parameters{
    "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
    "AWS::Region",    "AWS::StackId",          "AWS::StackName", "AWS::URLSuffix"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<std::string> known_function_names(bool short_form) {
  std::vector<std::string> out;
  for (auto f : supported_functions) {
    std::string name(f);
    if (short_form) name = "!" + (name.starts_with("Fn::") ? name.substr(4) : name);
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace

resolver::resolver(const node& root, const settings& s, const parameter_values& params,
                   resource_directory& resources, diagnostics& diags)
    : root_(root), settings_(s), params_(params), resources_(resources), diags_(diags) {
  if (const node* section = root.find("Conditions"); section && section->is_map())
    for (const auto& m : section->members) conditions_[m.key].expr = &m.value;
}

std::optional<node> resolver::resolve(const node& n, const std::string& path) {
  if (is_intrinsic(n)) {
    const member& m = n.members.front();
    return call(m.key, m.value, n.at, path);
  }
  node out;
  out.type = n.type;
  out.at = n.at;
  out.text = n.text;
  if (n.is_sequence()) {
    for (std::size_t i = 0; i < n.items.size(); ++i)
      if (auto item = resolve(n.items[i], index_path(path, i))) out.items.push_back(std::move(*item));
  } else if (n.is_map()) {
    for (const auto& m : n.members)
      if (auto value = resolve(m.value, join_path(path, m.key)))
        out.members.push_back(member{m.key, m.key_at, std::move(*value)});
  }
  return out;
}

std::optional<node> resolver::call(const std::string& fn, const node& arg, mark at, const std::string& path) {
  if (fn == "Ref") {
    if (!arg.is_scalar()) {
      diags_.error(at, path, "Ref: must name a parameter, pseudo parameter or resource");
      return node::invalid(at);
    }
    return ref(arg.text, at, path, "Ref");
  }
  if (fn == "Fn::Sub") return sub(arg, at, path);
  if (fn == "Fn::GetAtt") {
    if (arg.is_scalar() && arg.text.find('.') != std::string::npos) {
      const std::size_t dot = arg.text.find('.');
      return get_att(arg.text.substr(0, dot), arg.text.substr(dot + 1), at, path, fn);
    }
    if (arg.is_sequence() && arg.items.size() == 2 && arg.items[0].is_scalar()) {
      if (auto attr = resolve_string(arg.items[1], path, fn)) return get_att(arg.items[0].text, *attr, at, path, fn);
      return node::invalid(at);
    }
    diags_.error(at, path, "Fn::GetAtt: must be \"Resource.Attribute\" or [Resource, Attribute]");
    return node::invalid(at);
  }
  if (fn == "Fn::Join") return join(arg, at, path);
  if (fn == "Fn::Select") return select(arg, at, path);
  if (fn == "Fn::Split") return split(arg, at, path);
  if (fn == "Fn::FindInMap") return find_in_map(arg, at, path);
  if (fn == "Fn::If") return fn_if(arg, at, path);
  if (fn == "Fn::Base64" || fn == "Fn::GetAZs") {
    auto text = resolve_string(arg, path, fn);
    if (!text) return node::invalid(at);
    if (fn == "Fn::Base64") return node::scalar(base64(*text), at);
    node zones{node::kind::sequence, {}, {}, {}, at};
    const std::string region = text->empty() ? settings_.region : *text;
    for (char zone : {'a', 'b', 'c'}) zones.items.push_back(node::scalar(region + zone, at));
    return zones;
  }
  if (contains(condition_functions, fn)) {
    diags_.error(at, path, fn + ": can only be used in Conditions (use Fn::If with a condition name)");
  } else if (contains(unsupported_functions, fn)) {
    diags_.error(at, path, fn + ": is not supported by lambkin (it needs a deployed AWS account)");
  } else {
    diags_.error(at, path, "unknown intrinsic function '" + fn + "'" +
                               did_you_mean(fn, known_function_names(fn.starts_with("!"))));
  }
  return node::invalid(at);
}

std::optional<node> resolver::ref(const std::string& name, mark at, const std::string& path, std::string_view fn) {
  if (name.starts_with("AWS::")) {
    const settings& s = settings_;
    if (name == "AWS::Region") return node::scalar(s.region, at);
    if (name == "AWS::AccountId") return node::scalar(s.account_id, at);
    if (name == "AWS::StackName") return node::scalar(s.stack_name, at);
    if (name == "AWS::Partition") return node::scalar(partition(), at);
    if (name == "AWS::URLSuffix") return node::scalar(s.region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com", at);
    if (name == "AWS::StackId")
      return node::scalar("arn:" + partition() + ":cloudformation:" + s.region + ":" + s.account_id + ":stack/" +
                              s.stack_name + "/00000000-0000-0000-0000-000000000000",
                          at);
    if (name == "AWS::NoValue") return std::nullopt;
    if (name == "AWS::NotificationARNs") return node{node::kind::sequence, {}, {}, {}, at};
  }
  if (auto p = params_.find(name); p != params_.end()) {
    if (!p->second.is_list) return node::scalar(p->second.text, at);
    node list{node::kind::sequence, {}, {}, {}, at};
    for (const auto& v : p->second.list) list.items.push_back(node::scalar(v, at));
    return list;
  }
  if (resource_entry* e = resources_.find(name)) {
    if (auto value = resource_ref(*e)) return node::scalar(std::move(*value), at);
    return node::invalid(at);
  }
  std::vector<std::string> names = pseudo_parameters;
  for (const auto& [p, v] : params_) names.push_back(p);
  for (auto& id : resources_.logical_ids()) names.push_back(std::move(id));
  diags_.error(at, path, std::string(fn) + ": '" + name + "' is not a parameter, pseudo parameter or resource" +
                             did_you_mean(name, names));
  return node::invalid(at);
}

std::optional<node> resolver::sub(const node& arg, mark at, const std::string& path) {
  const node* text = &arg;
  const node* vars = nullptr;
  if (arg.is_sequence() && arg.items.size() == 2 && arg.items[0].is_scalar() && arg.items[1].is_map()) {
    text = &arg.items[0];
    vars = &arg.items[1];
  } else if (!arg.is_scalar()) {
    diags_.error(at, path, "Fn::Sub: must be a string or [string, {variables}]");
    return node::invalid(at);
  }
  const std::string& in = text->text;
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    const std::size_t close = in.find('}', i + 2);
    if (in.compare(i, 2, "${") != 0 || close == std::string::npos) {
      out += in[i++];
      continue;
    }
    std::string name = in.substr(i + 2, close - i - 2);
    i = close + 1;
    if (name.starts_with("!")) {  // `${!Literal}` writes `${Literal}`
      out += "${" + name.substr(1) + "}";
      continue;
    }
    std::optional<node> value;
    if (const node* var = vars ? vars->find(name) : nullptr) {
      value = resolve(*var, path);
    } else if (name.find('.') != std::string::npos && !params_.contains(name)) {
      const std::size_t dot = name.find('.');
      value = get_att(name.substr(0, dot), name.substr(dot + 1), at, path, "Fn::Sub");
    } else if (params_.contains(name) || name.starts_with("AWS::") || resources_.find(name)) {
      value = ref(name, at, path, "Fn::Sub");
    } else {
      std::vector<std::string> names = pseudo_parameters;
      for (const auto& [p, v] : params_) names.push_back(p);
      for (auto& id : resources_.logical_ids()) names.push_back(std::move(id));
      if (vars)
        for (const auto& m : vars->members) names.push_back(m.key);
      diags_.error(at, path, "Fn::Sub: '${" + name + "}' is not a parameter, pseudo parameter, resource or variable" +
                                 did_you_mean(name, names));
      return node::invalid(at);
    }
    if (!value || value->is_sequence() || value->is_map()) {
      diags_.error(at, path, "Fn::Sub: '${" + name + "}' is " + (value ? "a list" : "AWS::NoValue") + ", not a string");
      return node::invalid(at);
    }
    if (value->is_invalid()) return node::invalid(at);
    out += value->text;
  }
  return node::scalar(std::move(out), at);
}

std::optional<std::string> resolver::resolve_string(const node& n, const std::string& path, std::string_view fn) {
  std::optional<node> value = resolve(n, path);
  if (value && value->is_invalid()) return std::nullopt;
  if (!value || !value->is_scalar()) {
    diags_.error(value ? value->at : n.at, path, fn.empty() ? "must be a string" : std::string(fn) + ": expected a string here");
    return std::nullopt;
  }
  return std::move(value->text);
}

}  // namespace lambkin::config
