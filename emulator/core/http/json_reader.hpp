#pragma once
// A small JSON reader (RFC 8259) for the function responses API Gateway interprets.
//
// Why not Boost.JSON: lambkin_core links no Boost library (DESIGN.md, checked by
// emulator/core/CMakeLists.txt), and the response mapping is core logic. API Gateway only needs
// the shape of the top level (is it an object, which members, of which types), so a DOM with
// decoded strings and numbers kept as their literal text is enough. Duplicate member names keep
// their order; `find` returns the last one, as JavaScript's JSON.parse does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::http {

struct json_member;

struct json_value {
  enum class kind : std::uint8_t { null, boolean, number, string, array, object };

  kind type = kind::null;
  bool boolean = false;
  /// string: the decoded text (UTF-8); number: the literal as written (`200`, `2e2`).
  std::string text;
  std::vector<json_value> items;
  /// In document order. (A struct, not std::pair: a pair of the still-incomplete json_value does
  /// not compile with libc++ and clang.)
  std::vector<json_member> members;

  bool is_object() const noexcept { return type == kind::object; }
  bool is_string() const noexcept { return type == kind::string; }
  /// The member named `key` (the last one if repeated), or nullptr (also for non-objects).
  const json_value* find(std::string_view key) const noexcept;
  /// A number that is an integer in [INT64 range] (`200`, `200.0`, `2e2`); nullopt otherwise.
  std::optional<std::int64_t> as_integer() const noexcept;
};

struct json_member {
  std::string key;
  json_value value;
  json_member(std::string k, json_value v) : key(std::move(k)), value(std::move(v)) {}
};

/// The value `text` holds (whitespace around it allowed), or nullopt when it is not exactly one
/// JSON value, or nests deeper than 512 levels.
std::optional<json_value> parse_json(std::string_view text);

}  // namespace lambkin::http
