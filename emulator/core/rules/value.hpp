#pragma once
// The values of AWS IoT SQL: Undefined, Null, Boolean, Int, Decimal, String, Array, Object, and
// Binary (a payload that is not JSON, reachable only as `*`). Arrays and objects are immutable and
// shared, so copying a value (a field read, a SELECT item) never copies a document. Objects keep
// their members in order: output follows SELECT order and the payload's own order.
#include "emulator/core/rules/decimal.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lambkin::rules {

// Declared before the `array`/`object` aliases so its enumerators shadow nothing.
enum class value_kind { undefined, null, boolean, integer, decimal, string, array, object, binary };
std::string_view to_string(value_kind k);

class value;
using array = std::vector<value>;
struct member;
using object = std::vector<member>;

class value {
 public:
  struct undefined_t {};
  struct null_t {};
  struct binary_t {
    std::string bytes;
  };

  value() = default;  // Undefined
  static value null() { return value(null_t{}); }
  static value boolean(bool b) { return value(b); }
  static value integer(std::int64_t i) { return value(i); }
  static value number(decimal d) { return value(std::move(d)); }
  static value string(std::string s) { return value(std::move(s)); }
  static value binary(std::string bytes) { return value(binary_t{std::move(bytes)}); }
  static value make_array(array items);
  static value make_object(object members);

  value_kind kind() const { return static_cast<value_kind>(v_.index()); }
  bool is_undefined() const { return v_.index() == 0; }
  bool is_null() const { return kind() == value_kind::null; }
  bool is_number() const { return kind() == value_kind::integer || kind() == value_kind::decimal; }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  const decimal& as_decimal() const { return std::get<decimal>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const std::string& as_binary() const { return std::get<binary_t>(v_).bytes; }
  const array& as_array() const { return *std::get<std::shared_ptr<const array>>(v_); }
  const object& as_object() const { return *std::get<std::shared_ptr<const object>>(v_); }

  /// The member named `key` of an object (the first one if repeated); Undefined when absent or
  /// when this is not an object.
  value field(std::string_view key) const;
  /// The item at a 0-based index of an array; Undefined when out of range or not an array.
  value item(std::int64_t index) const;

 private:
  template <class T>
  explicit value(T v) : v_(std::move(v)) {}

  std::variant<undefined_t, null_t, bool, std::int64_t, decimal, std::string,
               std::shared_ptr<const array>, std::shared_ptr<const object>, binary_t>
      v_;
};

struct member {
  std::string key;
  value val;
};

/// JSON text of a value. Undefined members are left out of objects and arrays; a lone Undefined
/// is the empty string; Binary is written as its raw bytes.
std::string to_json(const value& v);
void append_json(std::string& out, const value& v);
/// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

}  // namespace lambkin::rules
