#pragma once
// AWS IoT SQL's Decimal: 34 significant digits (IEEE 754-2008 decimal128 precision, what AWS's
// Java engine uses), kept exactly as parsed. Boost.Multiprecision's cpp_dec_float is header-only
// and links nothing, so the core stays pure; a number that came from JSON text keeps that text, so
// passing a payload's 21.5 through a rule prints "21.5" without a round trip through formatting.
#include <boost/multiprecision/cpp_dec_float.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::rules {

class decimal {
 public:
  using number = boost::multiprecision::number<boost::multiprecision::cpp_dec_float<34>,
                                               boost::multiprecision::et_off>;

  decimal() = default;
  explicit decimal(number n) : n_(std::move(n)) {}
  decimal(number n, std::string text) : n_(std::move(n)), text_(std::move(text)) {}

  /// A JSON number (`-1.5e3`) or the text AWS converts implicitly
  /// (`^-?\d+(\.\d+)?((?i)E-?\d+)?$`, plus `+` exponents); nullopt for anything else.
  static std::optional<decimal> parse(std::string_view text);
  /// parse() for text already known to be a plain `-?D+.D+` (the JSON parser checked it): the
  /// number itself is only worked out when something needs it, so a payload's decimal that a rule
  /// just passes through costs no conversion.
  static decimal deferred(std::string_view plain_text);
  static decimal of(std::int64_t i);
  /// A whole number printed as an integer ("9223372036854775808", not "9223372036854775808.0").
  static decimal whole(number n);
  /// A "Decimal with double precision" (trig, logs, power…): printed like Java's shortest
  /// round-trip form. nullopt for NaN and infinities (AWS: Undefined).
  static std::optional<decimal> of_double(double d);

  const number& num() const {
    if (deferred_) materialize();
    return n_;
  }
  double to_double() const;
  /// The text AWS prints: the parsed text when there is one, else up to 34 significant digits,
  /// scientific notation (`1E-20`) for very small or large magnitudes.
  std::string to_string() const;

  bool is_whole() const;
  bool is_zero() const { return num().is_zero(); }
  int sign() const { return num().sign(); }
  /// The value as an Int when it is whole and fits in 64 bits.
  std::optional<std::int64_t> exact_int() const;
  /// Rounded down (toward negative infinity), when that fits in 64 bits.
  std::optional<std::int64_t> floor_int() const;

 private:
  void materialize() const;

  // Set once, by the thread evaluating the message that owns the value: literals of a compiled
  // statement are never deferred, so shared values are only ever read.
  mutable number n_;
  mutable bool deferred_ = false;
  std::string text_;
};

}  // namespace lambkin::rules
