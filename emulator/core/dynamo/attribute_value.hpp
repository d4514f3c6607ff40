#pragma once
// DynamoDB's AttributeValue: S, N, B, BOOL, NULL, M, L, SS, NS, BS, and items (maps of them).
// Numbers are stored normalised (number.hpp), binary values as raw bytes (base64 is the JSON
// shell's business). Sets keep the order they were given in; equality treats them as sets.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::dynamo {

enum class value_type : unsigned char { S, N, B, BOOL, NUL, M, L, SS, NS, BS };

/// "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view type_name(value_type t) noexcept;
std::optional<value_type> type_from_name(std::string_view name) noexcept;

struct attribute_value;
using item = std::map<std::string, attribute_value, std::less<>>;

struct attribute_value {
  value_type type = value_type::NUL;
  std::string text;               // S (UTF-8), N (normalised), B (bytes)
  bool boolean = false;           // BOOL
  std::vector<std::string> set;   // SS, NS (normalised), BS
  std::vector<attribute_value> list;  // L
  item map;                       // M

  static attribute_value string(std::string s) { return scalar(value_type::S, std::move(s)); }
  /// `n` must already be normalised.
  static attribute_value number(std::string n) { return scalar(value_type::N, std::move(n)); }
  static attribute_value binary(std::string b) { return scalar(value_type::B, std::move(b)); }
  static attribute_value boolean_value(bool b) {
    attribute_value v;
    v.type = value_type::BOOL;
    v.boolean = b;
    return v;
  }
  static attribute_value null() { return {}; }
  static attribute_value scalar(value_type t, std::string s) {
    attribute_value v;
    v.type = t;
    v.text = std::move(s);
    return v;
  }

  bool is_set() const noexcept { return type == value_type::SS || type == value_type::NS || type == value_type::BS; }
  bool is_scalar_key_type() const noexcept { return type == value_type::S || type == value_type::N || type == value_type::B; }
};

bool operator==(const attribute_value& a, const attribute_value& b);

/// Sizes as DynamoDB counts them toward the 400 KB item limit: names and values in bytes
/// (numbers: about one byte per two digits plus one), 3 bytes of overhead per M or L, 1 per element.
std::size_t value_size(const attribute_value& v);
std::size_t item_size(const item& i);

/// The set type holding elements of scalar type `t` (S → SS, N → NS, B → BS).
value_type set_of(value_type scalar) noexcept;
/// The element type of a set type (SS → S…).
value_type element_of(value_type set) noexcept;

}  // namespace lambkin::dynamo
