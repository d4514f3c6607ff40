#pragma once
// Typed reading of resolved property maps, with the error messages every parser shares.
//
// Values that already failed to resolve (`node::kind::invalid`) read as absent without a second
// message; a missing required property is reported at its map.
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"

#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::config {

/// "must be a string" unless `n` is a scalar (numbers and booleans are strings, as in CloudFormation).
std::optional<std::string> read_string(const node& n, const std::string& path, diagnostics& d);
/// "must be an integer between MIN and MAX" unless `n` is one (a quoted "256" is fine).
std::optional<long long> read_integer(const node& n, const std::string& path, long long min, long long max,
                                      diagnostics& d);
/// true/false in any case; "must be true or false" otherwise.
std::optional<bool> read_boolean(const node& n, const std::string& path, diagnostics& d);
/// A list of strings, or one string taken as a list of one.
std::optional<std::vector<std::string>> read_string_list(const node& n, const std::string& path, diagnostics& d);

class property_reader {
 public:
  /// Reports "must be a map" when `map` is neither a map nor invalid (and then reads as empty).
  property_reader(const node& map, std::string path, diagnostics& d);

  /// Reports each member whose key is not in `known`, at its key, suggesting the closest name.
  void allow(const std::vector<std::string>& known) const;

  /// The value of `key`; nullptr when absent or already invalid.
  const node* find(std::string_view key) const;
  bool has(std::string_view key) const { return map_.find(key) != nullptr; }
  std::string path(std::string_view key) const { return join_path(path_, key); }
  const std::string& path() const noexcept { return path_; }
  mark at() const noexcept { return map_.at; }
  mark at(std::string_view key) const;  // the key's mark, or the map's
  const node& map() const noexcept { return map_; }
  diagnostics& diags() const noexcept { return diags_; }

  /// Reports "<path>.<key>: is required" (at the map) when absent; `required` below does the same.
  bool require(std::string_view key, std::string_view message = "is required") const;

  std::optional<std::string> string(std::string_view key, bool required = false) const;
  std::optional<long long> integer(std::string_view key, long long min, long long max, bool required = false) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<std::vector<std::string>> string_list(std::string_view key) const;
  /// A string among `allowed` ("must be one of: A, B"); compared exactly.
  std::optional<std::string> one_of(std::string_view key, const std::vector<std::string>& allowed,
                                    bool required = false) const;
  /// The nested map at `key`, or nullopt when absent/invalid (a non-map is reported).
  std::optional<property_reader> child(std::string_view key, bool required = false) const;

 private:
  const node& map_;
  std::string path_;
  diagnostics& diags_;
};

}  // namespace lambkin::config
