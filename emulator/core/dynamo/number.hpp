#pragma once
// DynamoDB numbers: decimal, up to 38 significant digits, magnitudes from 1E-130 to
// 9.9999999999999999999999999999999999999E+125, exact (no binary floating point anywhere).
// Numbers are kept normalised (`"1.50"` → `"1.5"`, `"1e2"` → `"100"`, `"-0"` → `"0"`), which is
// how DynamoDB returns them and what makes equal numbers equal strings.
#include "emulator/core/dynamo/result.hpp"

#include <compare>
#include <string>
#include <string_view>

namespace lambkin::dynamo {

/// value = (negative ? -1 : 1) × 0.digits × 10^exponent; zero has no digits.
struct decimal {
  bool negative = false;
  std::string digits;  // significant digits: no leading or trailing zeros
  int exponent = 0;
  bool is_zero() const noexcept { return digits.empty(); }
};

/// Parses `[+-]digits[.digits][e[+-]digits]` and checks DynamoDB's precision and range.
/// Errors: "A value provided cannot be converted into a number", "Attempting to store more than
/// 38 significant digits in a Number", "Number overflow…", "Number underflow…".
result<decimal> parse_number(std::string_view text);

/// The normalised text of a valid number (no exponent notation).
std::string to_string(const decimal& d);

/// Parse + format: the canonical text of a number, or the validation error.
result<std::string> normalize_number(std::string_view text);

std::strong_ordering compare(const decimal& a, const decimal& b);

/// Exact sum / difference, checked like a stored number (38 digits, range).
result<decimal> add(const decimal& a, const decimal& b);
result<decimal> subtract(const decimal& a, decimal b);

/// Compares two normalised number texts numerically (both must be valid).
std::strong_ordering compare_numbers(std::string_view a, std::string_view b);

}  // namespace lambkin::dynamo
