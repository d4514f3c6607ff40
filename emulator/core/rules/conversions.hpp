#pragma once
// AWS IoT SQL's standard conversions (what a function does with an argument of the wrong type)
// and cast(). "Rounded down" is toward negative infinity.
#include "emulator/core/rules/sql.hpp"
#include "emulator/core/rules/value.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace lambkin::rules::detail {

/// A number as the operators see it: Int stays exact, anything else is a Decimal.
struct numeric {
  bool is_int = true;
  std::int64_t i = 0;
  decimal d;
  decimal as_decimal() const { return is_int ? decimal::of(i) : d; }
};

/// Int, Decimal, or a String matching AWS's number regex; nullopt for everything else (Null too).
std::optional<numeric> to_numeric(const value& v);
std::optional<decimal> to_decimal(const value& v);
/// To Int by rounding down (bitand, chr, lpad, substring, get…); nullopt if not convertible.
std::optional<std::int64_t> to_int_floor(const value& v);
/// Double for the double-precision functions.
std::optional<double> to_double(const value& v);
/// Standard String conversion: numbers as text, booleans "true"/"false", arrays and objects as
/// JSON; nullopt for Null, Undefined and Binary.
std::optional<std::string> to_text(const value& v);
/// Boolean, or the strings "true"/"false" in any case.
std::optional<bool> to_boolean(const value& v);

/// A Decimal result as a value: with SQL 2016-03-23 a whole number is an Int (AWS's quirk).
value number_result(decimal d, sql_version v);
value number_result(const numeric& n, sql_version v);
/// A double-precision result; Undefined for NaN and infinities.
value double_result(double d, sql_version v);

/// cast(v AS type), `type` lower case (string, nvarchar, text, ntext, varchar, int, integer, double,
/// decimal, bool, boolean).
value cast_to(const value& v, const std::string& type, sql_version version);

}  // namespace lambkin::rules::detail
