#pragma once
// INTERNAL to lambkin_sim (it includes yaml-cpp, which the library links privately): typed reads
// from YAML nodes that turn every problem into a positioned `config_error`.
//
// The reader keeps the first error and then refuses further work: each `read_*` returns false
// once something failed, so schema code reads as a list of `if (!r.read(…)) return r.error();`.
// Field paths are dotted (`arrivals[1].rate`); positions come from yaml-cpp marks, made 1-based.
#include "emulator/sim/distribution.hpp"
#include "emulator/sim/result.hpp"
#include "lambkin/clock.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::sim {

/// `prefix.key`, or `key` when prefix is empty.
std::string join_path(const std::string& prefix, std::string_view key);

class yaml_reader {
 public:
  explicit yaml_reader(std::string file) : file_(std::move(file)) {}

  bool ok() const noexcept { return !failed_; }
  const config_error& error() const noexcept { return error_; }

  /// Records the first error (at `mark`) and returns false.
  bool fail(const YAML::Mark& mark, std::string field, std::string message);
  bool fail(const YAML::Node& at, std::string field, std::string message) {
    return fail(at.Mark(), std::move(field), std::move(message));
  }
  /// Positions `e` (field and message kept) at the mark remembered for its field, or the
  /// nearest remembered parent (`arrivals[0].rate` → `arrivals`); records and returns false.
  bool fail_at_remembered(config_error e);

  /// Remembers where `field` was written, for errors found after reading (cross-field checks).
  void remember(const std::string& field, const YAML::Node& n) { marks_.emplace(field, n.Mark()); }

  bool expect_map(const YAML::Node& n, const std::string& field);
  /// Fails on the first key of map `n` not in `allowed`.
  bool only_keys(const YAML::Node& n, const std::string& prefix, std::initializer_list<std::string_view> allowed);

  // Scalar reads. `n` must be defined; `field` names it in errors.
  bool read(const YAML::Node& n, const std::string& field, std::string& out);
  bool read(const YAML::Node& n, const std::string& field, duration& out);
  bool read(const YAML::Node& n, const std::string& field, double& out);
  bool read(const YAML::Node& n, const std::string& field, std::uint32_t& out);
  bool read(const YAML::Node& n, const std::string& field, std::uint64_t& out);
  bool read(const YAML::Node& n, const std::string& field, bool& out);
  /// A scalar in the text syntax or a `{dist: …}` map.
  bool read(const YAML::Node& n, const std::string& field, distribution& out);
  /// A sequence of durations, or a single duration as a one-element list.
  bool read(const YAML::Node& n, const std::string& field, std::vector<duration>& out);

  /// Reads `map[key]` into `out` if the key is present (and remembers its position); true if
  /// absent. `prefix` is the map's own path.
  template <class T>
  bool optional(const YAML::Node& map, std::string_view key, const std::string& prefix, T& out) {
    if (failed_) return false;
    const YAML::Node n = map[std::string(key)];
    if (!n.IsDefined()) return true;
    const std::string field = join_path(prefix, key);
    remember(field, n);
    return read(n, field, out);
  }

  /// The scalar text of `n`, failing if it is not a non-empty scalar.
  bool scalar(const YAML::Node& n, const std::string& field, std::string& out);

 private:
  bool read_distribution_map(const YAML::Node& n, const std::string& field, distribution& out);

  std::string file_;
  bool failed_ = false;
  config_error error_;
  std::map<std::string, YAML::Mark, std::less<>> marks_;
};

}  // namespace lambkin::sim
