#include "emulator/config/node.hpp"

namespace lambkin::config {

const node* node::find(std::string_view key) const {
  const member* m = find_member(key);
  return m ? &m->value : nullptr;
}

node* node::find(std::string_view key) {
  for (auto& m : members)
    if (m.key == key) return &m.value;
  return nullptr;
}

const member* node::find_member(std::string_view key) const {
  for (const auto& m : members)
    if (m.key == key) return &m;
  return nullptr;
}

node node::scalar(std::string text, mark at) {
  node n;
  n.type = kind::scalar;
  n.text = std::move(text);
  n.at = at;
  return n;
}

node node::invalid(mark at) {
  node n;
  n.type = kind::invalid;
  n.at = at;
  return n;
}

bool is_intrinsic(const node& n, bool allow_condition) {
  if (!n.is_map() || n.members.size() != 1) return false;
  const std::string& key = n.members.front().key;
  if (key == "Ref") return true;
  if (key == "Condition") return allow_condition;
  return key.starts_with("Fn::") || key.starts_with("!");
}

std::string join_path(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string index_path(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

}  // namespace lambkin::config
