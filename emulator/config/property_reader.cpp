#include "emulator/config/property_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace lambkin::config {
namespace {

const node& empty_map() {
  static const node empty{node::kind::map, {}, {}, {}, {}};
  return empty;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::optional<std::string> read_string(const node& n, const std::string& path, diagnostics& d) {
  if (n.is_invalid()) return std::nullopt;
  if (!n.is_scalar()) {
    d.error(n.at, path, "must be a string");
    return std::nullopt;
  }
  return n.text;
}

std::optional<long long> read_integer(const node& n, const std::string& path, long long min, long long max,
                                      diagnostics& d) {
  if (n.is_invalid()) return std::nullopt;
  long long v = 0;
  bool ok = n.is_scalar() && !n.text.empty();
  if (ok) {
    auto [end, ec] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), v);
    ok = ec == std::errc{} && end == n.text.data() + n.text.size() && v >= min && v <= max;
  }
  if (!ok) {
    const std::string range = max == LLONG_MAX ? "of at least " + std::to_string(min)
                                               : "between " + std::to_string(min) + " and " + std::to_string(max);
    d.error(n.at, path, "must be an integer " + range);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> read_boolean(const node& n, const std::string& path, diagnostics& d) {
  if (n.is_invalid()) return std::nullopt;
  std::string t = n.text;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (n.is_scalar() && (t == "true" || t == "false")) return t == "true";
  d.error(n.at, path, "must be true or false");
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(const node& n, const std::string& path, diagnostics& d) {
  if (n.is_invalid()) return std::nullopt;
  if (n.is_scalar()) return std::vector<std::string>{n.text};
  if (!n.is_sequence()) {
    d.error(n.at, path, "must be a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    auto s = read_string(n.items[i], index_path(path, i), d);
    if (!s) return std::nullopt;
    out.push_back(std::move(*s));
  }
  return out;
}

property_reader::property_reader(const node& map, std::string path, diagnostics& d)
    : map_(map.is_map() ? map : empty_map()), path_(std::move(path)), diags_(d) {
  if (!map.is_map() && !map.is_invalid()) d.error(map.at, path_, "must be a map");
}

void property_reader::allow(const std::vector<std::string>& known) const {
  for (const auto& m : map_.members)
    if (std::find(known.begin(), known.end(), m.key) == known.end())
      diags_.error(m.key_at, path(m.key), "unknown property '" + m.key + "'" + did_you_mean(m.key, known));
}

const node* property_reader::find(std::string_view key) const {
  const node* n = map_.find(key);
  return n && !n->is_invalid() ? n : nullptr;
}

mark property_reader::at(std::string_view key) const {
  const member* m = map_.find_member(key);
  return m ? m->key_at : map_.at;
}

bool property_reader::require(std::string_view key, std::string_view message) const {
  if (has(key)) return true;
  diags_.error(map_.at, path(key), std::string(message));
  return false;
}

std::optional<std::string> property_reader::string(std::string_view key, bool required) const {
  if (required && !require(key)) return std::nullopt;
  const node* n = find(key);
  return n ? read_string(*n, path(key), diags_) : std::nullopt;
}

std::optional<long long> property_reader::integer(std::string_view key, long long min, long long max,
                                                  bool required) const {
  if (required && !require(key)) return std::nullopt;
  const node* n = find(key);
  return n ? read_integer(*n, path(key), min, max, diags_) : std::nullopt;
}

std::optional<bool> property_reader::boolean(std::string_view key) const {
  const node* n = find(key);
  return n ? read_boolean(*n, path(key), diags_) : std::nullopt;
}

std::optional<std::vector<std::string>> property_reader::string_list(std::string_view key) const {
  const node* n = find(key);
  return n ? read_string_list(*n, path(key), diags_) : std::nullopt;
}

std::optional<std::string> property_reader::one_of(std::string_view key, const std::vector<std::string>& allowed,
                                                   bool required) const {
  auto s = string(key, required);
  if (!s || std::find(allowed.begin(), allowed.end(), *s) != allowed.end()) return s;
  diags_.error(find(key)->at, path(key), "must be one of: " + list_names(allowed) + did_you_mean(*s, allowed));
  return std::nullopt;
}

std::optional<property_reader> property_reader::child(std::string_view key, bool required) const {
  if (required && !require(key)) return std::nullopt;
  const node* n = find(key);
  if (!n) return std::nullopt;
  if (!n->is_map()) {
    diags_.error(n->at, path(key), "must be a map");
    return std::nullopt;
  }
  return property_reader(*n, path(key), diags_);
}

}  // namespace lambkin::config
