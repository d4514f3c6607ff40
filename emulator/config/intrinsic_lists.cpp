// resolver: the list-shaped intrinsics (Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If).
#include "emulator/config/resolver.hpp"

#include <charconv>

namespace lambkin::config {

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned v = 0;
    for (std::size_t k = 0; k < 3; ++k)
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? alphabet[(v >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return out;
}

bool resolver::expect_list(const node& arg, std::size_t count, std::string_view shape, const std::string& path,
                           std::string_view fn) {
  if (arg.is_sequence() && (count == 0 || arg.items.size() == count)) return true;
  diags_.error(arg.at, path, std::string(fn) + ": must be " + std::string(shape));
  return false;
}

std::optional<node> resolver::join(const node& arg, mark at, const std::string& path) {
  if (!expect_list(arg, 2, "[delimiter, [values…]]", path, "Fn::Join")) return node::invalid(at);
  auto delimiter = resolve_string(arg.items[0], path, "Fn::Join");
  std::optional<node> values = resolve(arg.items[1], path);
  if (!delimiter || (values && values->is_invalid())) return node::invalid(at);
  if (!values || !values->is_sequence()) {
    diags_.error(arg.items[1].at, path, "Fn::Join: the values must be a list");
    return node::invalid(at);
  }
  std::string out;
  for (std::size_t i = 0; i < values->items.size(); ++i) {
    const node& item = values->items[i];
    if (item.is_invalid()) return node::invalid(at);
    if (!item.is_scalar()) {
      diags_.error(item.at, path, "Fn::Join: every value must be a string");
      return node::invalid(at);
    }
    if (i > 0) out += *delimiter;
    out += item.text;
  }
  return node::scalar(std::move(out), at);
}

std::optional<node> resolver::select(const node& arg, mark at, const std::string& path) {
  if (!expect_list(arg, 2, "[index, [values…]]", path, "Fn::Select")) return node::invalid(at);
  auto index_text = resolve_string(arg.items[0], path, "Fn::Select");
  std::optional<node> values = resolve(arg.items[1], path);
  if (!index_text || (values && values->is_invalid())) return node::invalid(at);
  if (!values || !values->is_sequence()) {
    diags_.error(arg.items[1].at, path, "Fn::Select: the values must be a list");
    return node::invalid(at);
  }
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(index_text->data(), index_text->data() + index_text->size(), index);
  if (ec != std::errc{} || end != index_text->data() + index_text->size() || index >= values->items.size()) {
    diags_.error(arg.items[0].at, path,
                 "Fn::Select: index '" + *index_text + "' is not within the " +
                     std::to_string(values->items.size()) + " values");
    return node::invalid(at);
  }
  return std::move(values->items[index]);
}

std::optional<node> resolver::split(const node& arg, mark at, const std::string& path) {
  if (!expect_list(arg, 2, "[delimiter, string]", path, "Fn::Split")) return node::invalid(at);
  auto delimiter = resolve_string(arg.items[0], path, "Fn::Split");
  auto source = resolve_string(arg.items[1], path, "Fn::Split");
  if (!delimiter || !source) return node::invalid(at);
  if (delimiter->empty()) {
    diags_.error(arg.items[0].at, path, "Fn::Split: the delimiter must not be empty");
    return node::invalid(at);
  }
  node out{node::kind::sequence, {}, {}, {}, at};
  std::size_t start = 0;
  while (true) {
    const std::size_t found = source->find(*delimiter, start);
    out.items.push_back(node::scalar(source->substr(start, found - start), at));
    if (found == std::string::npos) break;
    start = found + delimiter->size();
  }
  return out;
}

std::optional<node> resolver::find_in_map(const node& arg, mark at, const std::string& path) {
  if (!expect_list(arg, 3, "[MapName, TopLevelKey, SecondLevelKey]", path, "Fn::FindInMap")) return node::invalid(at);
  std::optional<std::string> keys[3];
  for (std::size_t i = 0; i < 3; ++i) keys[i] = resolve_string(arg.items[i], path, "Fn::FindInMap");
  if (!keys[0] || !keys[1] || !keys[2]) return node::invalid(at);
  const node* mappings = root_.find("Mappings");
  const node* level = mappings ? mappings->find(*keys[0]) : nullptr;
  std::string where = "Mappings." + *keys[0];
  for (std::size_t i = 1; level && i < 3; ++i) {
    level = level->find(*keys[i]);
    where += "." + *keys[i];
  }
  if (!level) {
    diags_.error(at, path, "Fn::FindInMap: " + where + " does not exist");
    return node::invalid(at);
  }
  return resolve(*level, path);
}

std::optional<node> resolver::fn_if(const node& arg, mark at, const std::string& path) {
  if (!expect_list(arg, 3, "[ConditionName, value_if_true, value_if_false]", path, "Fn::If") ||
      !arg.items[0].is_scalar()) {
    if (arg.is_sequence() && arg.items.size() == 3)
      diags_.error(arg.items[0].at, path, "Fn::If: the first item must be a condition name");
    return node::invalid(at);
  }
  const bool value = condition(arg.items[0].text, arg.items[0].at, path);
  return resolve(arg.items[value ? 1 : 2], path);
}

}  // namespace lambkin::config
