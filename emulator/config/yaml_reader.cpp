#include "emulator/config/yaml_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <set>
#include <string>

namespace lambkin::config {
namespace {

mark to_mark(const YAML::Mark& m) {
  // yaml-cpp counts from 0; editors and compilers from 1.
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

// CloudFormation's short forms: `!Ref`, `!Condition`, and `!X` for `Fn::X`.
std::string long_form(std::string_view tag) {
  static constexpr std::array<std::string_view, 19> functions{
      "Base64", "Cidr",      "FindInMap", "GetAtt", "GetAZs",   "If",     "ImportValue",
      "Join",   "Select",    "Split",     "Sub",    "Transform", "And",   "Equals",
      "Not",    "Or",        "Length",    "ToJsonString", "ForEach"};
  std::string_view name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return std::string(name);
  for (auto f : functions)
    if (f == name) return "Fn::" + std::string(name);
  return std::string(tag);
}

bool is_custom_tag(const std::string& tag) {
  // "?" = plain scalar, "!" = quoted scalar, "tag:yaml.org,2002:…" = `!!str` and friends.
  return tag.size() > 1 && tag[0] == '!' && tag[1] != '!';
}

class converter {
 public:
  explicit converter(diagnostics& d) : diags_(d) {}

  node convert(const YAML::Node& y, mark fallback, const std::string& path) {
    node n = convert_untagged(y, fallback, path);
    if (!is_custom_tag(y.Tag())) return n;
    node call;
    call.type = node::kind::map;
    call.at = n.at;
    call.members.push_back(member{long_form(y.Tag()), n.at, std::move(n)});
    return call;
  }

 private:
  node convert_untagged(const YAML::Node& y, mark fallback, const std::string& path) {
    node n;
    n.at = to_mark(y.Mark());
    switch (y.Type()) {
      case YAML::NodeType::Scalar:
        n.type = node::kind::scalar;
        n.text = y.Scalar();
        break;
      case YAML::NodeType::Sequence:
        n.type = node::kind::sequence;
        for (const auto& item : y) n.items.push_back(convert(item, n.at, index_path(path, n.items.size())));
        break;
      case YAML::NodeType::Map:
        n.type = node::kind::map;
        convert_members(y, n, path);
        break;
      default:
        // An empty value's mark points past it (to the next line); its key is the better place.
        n.type = node::kind::null;
        n.at = fallback;
        break;
    }
    return n;
  }

  void convert_members(const YAML::Node& y, node& n, const std::string& path) {
    std::set<std::string> seen;
    for (const auto& kv : y) {
      const mark key_at = to_mark(kv.first.Mark());
      if (!kv.first.IsScalar()) {
        diags_.error(key_at, path, "keys must be plain strings");
        continue;
      }
      const std::string key = kv.first.Scalar();
      if (!seen.insert(key).second) {
        diags_.error(key_at, join_path(path, key), "duplicate key");
        continue;
      }
      n.members.push_back(member{key, key_at, convert(kv.second, key_at, join_path(path, key))});
    }
  }

  diagnostics& diags_;
};

}  // namespace

std::optional<node> read_yaml(std::string_view text, diagnostics& diags) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    diags.error(to_mark(e.mark), {}, e.msg);
    return std::nullopt;
  }
  node n = converter(diags).convert(root, mark{1, 1}, {});
  if (diags.has_errors()) return std::nullopt;
  return n;
}

}  // namespace lambkin::config
