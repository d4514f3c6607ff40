#include "emulator/core/rules/decimal.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace lambkin::rules {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// -?D+(.D+)?([eE][+-]?D+)? — the JSON grammar without its leading-zero rule, which is also AWS's
// implicit String→Decimal regex (with `+` exponents allowed, as JSON allows them).
bool is_number_text(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Java's Double.toString layout from the shortest round-trip digits: plain notation for
// 1e-3 <= |d| < 1e7 (always with a fraction digit: "3.0"), else "d.dddE-n".
std::string java_double_text(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);  // [-]d[.ddd]e[+-]xx
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const auto e = sci.find('e');
  int exponent = std::stoi(sci.substr(e + 1));
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  std::string out = negative ? "-" : "";
  if (d == 0) return out + "0.0";
  const double mag = std::fabs(d);
  if (mag >= 1e-3 && mag < 1e7) {
    if (exponent >= 0) {
      const auto int_len = static_cast<std::size_t>(exponent) + 1;
      if (digits.size() <= int_len) {
        out += digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    } else {
      out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" + std::to_string(exponent);
  return out;
}

}  // namespace

std::optional<decimal> decimal::parse(std::string_view text) {
  if (!is_number_text(text)) return std::nullopt;
  try {
    return decimal(number(std::string(text)), std::string(text));
  } catch (const std::exception&) {  // beyond cpp_dec_float's exponent range
    return std::nullopt;
  }
}

decimal decimal::deferred(std::string_view plain_text) {
  decimal d;
  d.text_ = std::string(plain_text);
  d.deferred_ = true;
  return d;
}

void decimal::materialize() const {
  n_ = number(text_);  // plain digits: within cpp_dec_float's range, never throws
  deferred_ = false;
}

decimal decimal::of(std::int64_t i) { return decimal(number(i)); }

decimal decimal::whole(number n) {
  std::string digits = n.str(0, std::ios_base::fixed);
  digits.resize(std::min(digits.size(), digits.find('.')));
  return decimal(std::move(n), std::move(digits));
}

std::optional<decimal> decimal::of_double(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  if (d == 0) d = 0;  // no "-0.0"
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return decimal(number(std::string(buf, r.ptr)), java_double_text(d));
}

double decimal::to_double() const { return num().convert_to<double>(); }

std::string decimal::to_string() const {
  if (!text_.empty()) return text_;
  std::string s = num().str(34, std::ios_base::fmtflags(0));
  for (auto& c : s)
    if (c == 'e') c = 'E';
  // A computed whole Decimal prints like Java's BigDecimal with a scale of 1 ("3.0"), so it stays
  // a Decimal for whoever reads the JSON (with 2016-03-23 such values are Ints anyway).
  if (s.find_first_of(".E") == std::string::npos) s += ".0";
  return s;
}

bool decimal::is_whole() const { return boost::multiprecision::floor(num()) == num(); }

std::optional<std::int64_t> decimal::exact_int() const {
  if (!is_whole()) return std::nullopt;
  static const number lo(std::numeric_limits<std::int64_t>::min());
  static const number hi(std::numeric_limits<std::int64_t>::max());
  if (num() < lo || num() > hi) return std::nullopt;
  return num().convert_to<std::int64_t>();
}

std::optional<std::int64_t> decimal::floor_int() const {
  return decimal(boost::multiprecision::floor(num())).exact_int();
}

}  // namespace lambkin::rules
