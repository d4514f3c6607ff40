#pragma once
// The template as a tree of values that remember where they were written.
//
// yaml_reader builds it from the YAML; the resolver turns it into a tree without intrinsics; the
// parsers read typed values from that. Short-form intrinsics (`!Sub x`) are rewritten by the reader
// into their long form (`{Fn::Sub: x}`), so everything after the reader sees one form only.
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::config {

/// A position in the template; 1-based, 0 = unknown.
struct mark {
  int line = 0;
  int column = 0;
};

struct member;

struct node {
  /// `invalid` stands for a value whose resolution already failed (and was reported): readers
  /// skip it silently so one mistake gives one message.
  enum class kind { null, scalar, sequence, map, invalid };

  kind type = kind::null;
  std::string text;             // scalar
  std::vector<node> items;      // sequence
  std::vector<member> members;  // map, in template order
  mark at;

  bool is_null() const noexcept { return type == kind::null; }
  bool is_scalar() const noexcept { return type == kind::scalar; }
  bool is_sequence() const noexcept { return type == kind::sequence; }
  bool is_map() const noexcept { return type == kind::map; }
  bool is_invalid() const noexcept { return type == kind::invalid; }

  /// The value of member `key` of a map, or nullptr.
  const node* find(std::string_view key) const;
  node* find(std::string_view key);
  /// The member called `key` (to reach its key's mark), or nullptr.
  const member* find_member(std::string_view key) const;

  static node scalar(std::string text, mark at);
  static node invalid(mark at);
};

struct member {
  std::string key;
  mark key_at;
  node value;
};

/// True when `n` is an intrinsic call: a one-member map whose key is `Ref`, `Condition` (only
/// where `allow_condition`), `Fn::…`, or an unknown short tag kept as `!Name`.
bool is_intrinsic(const node& n, bool allow_condition = false);

/// `path` + "." + `key` (or just `key` when `path` is empty).
std::string join_path(std::string_view path, std::string_view key);
/// `path` + "[i]".
std::string index_path(std::string_view path, std::size_t i);

}  // namespace lambkin::config
