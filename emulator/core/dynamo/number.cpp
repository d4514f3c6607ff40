#include "emulator/core/dynamo/number.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace lambkin::dynamo {
namespace {

constexpr std::size_t max_digits = 38;
constexpr int max_exponent = 126;   // 0.999…E126 = 9.99…E125
constexpr int min_exponent = -129;  // 0.1E-129 = 1E-130

dynamo_error not_a_number() { return validation_error("A value provided cannot be converted into a number"); }

/// Strips leading zeros (adjusting nothing: they carry no value) and trailing zeros.
decimal make(bool negative, std::string digits, long long exponent_of_first_digit) {
  std::size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  digits.erase(0, lead);
  exponent_of_first_digit -= static_cast<long long>(lead);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  decimal d;
  if (digits.empty()) return d;
  d.negative = negative;
  d.digits = std::move(digits);
  d.exponent = static_cast<int>(std::clamp(exponent_of_first_digit, -100000LL, 100000LL));
  return d;
}

result<decimal> checked(decimal d) {
  if (d.is_zero()) return d;
  if (d.digits.size() > max_digits)
    return validation_error("Attempting to store more than 38 significant digits in a Number");
  if (d.exponent > max_exponent)
    return validation_error("Number overflow. Attempting to store a number with magnitude larger than supported range");
  if (d.exponent < min_exponent)
    return validation_error("Number underflow. Attempting to store a number with magnitude smaller than supported range");
  return d;
}

/// Magnitude comparison of two non-negative decimals.
std::strong_ordering compare_magnitude(const decimal& a, const decimal& b) {
  if (a.is_zero() || b.is_zero()) return a.digits.size() <=> b.digits.size();
  if (a.exponent != b.exponent) return a.exponent <=> b.exponent;
  const auto c = a.digits.compare(b.digits);
  return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
}

/// The digits of |d| as an integer at scale 10^low (low <= d.exponent - digits).
std::string scaled(const decimal& d, int low) {
  return d.digits + std::string(static_cast<std::size_t>(d.exponent - static_cast<int>(d.digits.size()) - low), '0');
}

std::string add_digits(const std::string& a, const std::string& b) {
  std::string r;
  int carry = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int s = carry;
    if (i < a.size()) s += a[a.size() - 1 - i] - '0';
    if (i < b.size()) s += b[b.size() - 1 - i] - '0';
    r.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(r.begin(), r.end());
  return r;
}

/// a - b for integers with a >= b.
std::string sub_digits(const std::string& a, const std::string& b) {
  std::string r;
  int borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int s = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) s -= b[b.size() - 1 - i] - '0';
    borrow = s < 0 ? 1 : 0;
    r.push_back(static_cast<char>('0' + (s + 10) % 10));
  }
  std::reverse(r.begin(), r.end());
  return r;
}

}  // namespace

result<decimal> parse_number(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  long long point = -1;  // digits before the decimal point
  bool any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
      any = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<long long>(digits.size());
    } else {
      break;
    }
  }
  if (!any) return not_a_number();
  if (point < 0) point = static_cast<long long>(digits.size());
  long long exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
    if (i == text.size()) return not_a_number();
    for (; i < text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return not_a_number();
      exp = std::min(exp * 10 + (text[i] - '0'), 1000000LL);
    }
    if (eneg) exp = -exp;
  }
  if (i != text.size()) return not_a_number();
  return checked(make(negative, std::move(digits), point + exp));
}

std::string to_string(const decimal& d) {
  if (d.is_zero()) return "0";
  std::string out = d.negative ? "-" : "";
  const int n = static_cast<int>(d.digits.size());
  if (d.exponent >= n) {
    out += d.digits + std::string(static_cast<std::size_t>(d.exponent - n), '0');
  } else if (d.exponent > 0) {
    out += d.digits.substr(0, static_cast<std::size_t>(d.exponent)) + "." +
           d.digits.substr(static_cast<std::size_t>(d.exponent));
  } else {
    out += "0." + std::string(static_cast<std::size_t>(-d.exponent), '0') + d.digits;
  }
  return out;
}

result<std::string> normalize_number(std::string_view text) {
  auto d = parse_number(text);
  if (!d) return d.error();
  return to_string(*d);
}

std::strong_ordering compare(const decimal& a, const decimal& b) {
  const int sa = a.is_zero() ? 0 : a.negative ? -1 : 1;
  const int sb = b.is_zero() ? 0 : b.negative ? -1 : 1;
  if (sa != sb) return sa <=> sb;
  if (sa == 0) return std::strong_ordering::equal;
  const auto m = compare_magnitude(a, b);
  return sa > 0 ? m : 0 <=> m;
}

result<decimal> add(const decimal& a, const decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  const int low = std::min(a.exponent - static_cast<int>(a.digits.size()), b.exponent - static_cast<int>(b.digits.size()));
  const auto x = scaled(a, low), y = scaled(b, low);
  // Both are now integers × 10^low; the result's first digit sits at exponent len + low.
  if (a.negative == b.negative) {
    const auto s = add_digits(x, y);
    return checked(make(a.negative, s, static_cast<long long>(s.size()) + low));
  }
  const auto m = compare_magnitude(a, b);
  if (m == std::strong_ordering::equal) return decimal{};
  const bool a_bigger = m == std::strong_ordering::greater;
  const auto s = a_bigger ? sub_digits(x, y) : sub_digits(y, x);
  return checked(make(a_bigger ? a.negative : b.negative, s, static_cast<long long>(s.size()) + low));
}

result<decimal> subtract(const decimal& a, decimal b) {
  if (!b.is_zero()) b.negative = !b.negative;
  return add(a, b);
}

std::strong_ordering compare_numbers(std::string_view a, std::string_view b) {
  auto x = parse_number(a), y = parse_number(b);
  if (!x || !y) return a.compare(b) <=> 0;
  return compare(*x, *y);
}

}  // namespace lambkin::dynamo
