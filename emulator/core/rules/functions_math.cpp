// Math functions. abs/ceil/floor/round/sign/mod/trunc/bit* keep exact Int and 34-digit Decimal
// arithmetic; the transcendental ones (sqrt, power, exp, logs, trig) work in double precision,
// as AWS documents ("Decimal arguments are rounded to double precision").
#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/function_impls.hpp"
#include "emulator/core/rules/operators.hpp"

#include <algorithm>
#include <cmath>

namespace lambkin::rules::detail {
namespace {

using dnum = decimal::number;

value int_or_decimal(const dnum& n, sql_version v) { return number_result(decimal(n), v); }

// A whole Decimal as an Int value (a Decimal when beyond 64 bits).
value whole(const dnum& n) {
  decimal d(n);
  if (auto i = d.exact_int()) return value::integer(*i);
  return value::number(std::move(d));
}

template <class F>
value unary_double(const value& a, sql_version v, F f) {
  auto x = to_double(a);
  if (!x) return {};
  return double_result(f(*x), v);
}

template <class F>
value bitwise(std::span<const value> a, F f) {
  auto x = to_int_floor(a[0]);
  auto y = to_int_floor(a[1]);
  if (!x || !y) return {};
  return value::integer(f(*x, *y));
}

}  // namespace

value fn_abs(std::span<const value> a, const call_context& c) {
  auto n = to_numeric(a[0]);
  if (!n) return {};
  if (n->is_int && n->i != INT64_MIN) return value::integer(n->i < 0 ? -n->i : n->i);
  return int_or_decimal(boost::multiprecision::abs(n->as_decimal().num()), c.version);
}

value fn_ceil(std::span<const value> a, const call_context&) {
  auto n = to_numeric(a[0]);
  if (!n) return {};
  if (n->is_int) return value::integer(n->i);
  return whole(boost::multiprecision::ceil(n->d.num()));
}

value fn_floor(std::span<const value> a, const call_context&) {
  auto n = to_numeric(a[0]);
  if (!n) return {};
  if (n->is_int) return value::integer(n->i);
  return whole(boost::multiprecision::floor(n->d.num()));
}

// Half away from zero: round(1.5) = 2, round(-1.5) = -2 (AWS's examples).
value fn_round(std::span<const value> a, const call_context&) {
  auto n = to_numeric(a[0]);
  if (!n) return {};
  if (n->is_int) return value::integer(n->i);
  const dnum& x = n->d.num();
  const dnum half("0.5");
  return whole(x.sign() < 0 ? -boost::multiprecision::floor(-x + half) : boost::multiprecision::floor(x + half));
}

value fn_sign(std::span<const value> a, const call_context&) {
  auto n = to_numeric(a[0]);
  if (!n) return {};
  if (n->is_int) return value::integer(n->i > 0 ? 1 : n->i < 0 ? -1 : 0);
  return value::integer(n->d.sign());
}

value fn_mod(std::span<const value> a, const call_context& c) {
  if (a[0].is_undefined() || a[1].is_undefined()) return {};
  return apply_binary(op::mod, a[0], a[1], c.version);
}

// trunc(x, places): toward zero, places clamped to 0..34, trailing zeros dropped.
value fn_trunc(std::span<const value> a, const call_context& c) {
  auto n = to_numeric(a[0]);
  auto places = to_int_floor(a[1]);
  if (!n || !places) return {};
  if (n->is_int) return value::integer(n->i);
  const dnum scale = boost::multiprecision::pow(dnum(10), static_cast<int>(std::clamp<std::int64_t>(*places, 0, 34)));
  const dnum r = boost::multiprecision::trunc(n->d.num() * scale) / scale;
  return int_or_decimal(r, c.version);
}

// nanvl(x, fallback): the fallback when x is Undefined or Null (lambkin's Decimals are never NaN).
value fn_nanvl(std::span<const value> a, const call_context&) {
  if (a[0].is_undefined() || a[0].is_null()) return a[1];
  return a[0];
}

value fn_bitand(std::span<const value> a, const call_context&) {
  return bitwise(a, [](std::int64_t x, std::int64_t y) { return x & y; });
}
value fn_bitor(std::span<const value> a, const call_context&) {
  return bitwise(a, [](std::int64_t x, std::int64_t y) { return x | y; });
}
value fn_bitxor(std::span<const value> a, const call_context&) {
  return bitwise(a, [](std::int64_t x, std::int64_t y) { return x ^ y; });
}
value fn_bitnot(std::span<const value> a, const call_context&) {
  auto x = to_int_floor(a[0]);
  return x ? value::integer(~*x) : value{};
}

value fn_sqrt(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::sqrt(x); });
}
value fn_exp(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::exp(x); });
}
value fn_ln(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::log(x); });
}
value fn_log(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::log10(x); });
}
value fn_sin(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::sin(x); });
}
value fn_cos(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::cos(x); });
}
value fn_tan(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::tan(x); });
}
value fn_asin(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::asin(x); });
}
value fn_acos(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::acos(x); });
}
value fn_atan(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::atan(x); });
}
value fn_sinh(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::sinh(x); });
}
value fn_cosh(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::cosh(x); });
}
value fn_tanh(std::span<const value> a, const call_context& c) {
  return unary_double(a[0], c.version, [](double x) { return std::tanh(x); });
}

value fn_power(std::span<const value> a, const call_context& c) {
  auto x = to_double(a[0]);
  auto y = to_double(a[1]);
  if (!x || !y) return {};
  return double_result(std::pow(*x, *y), c.version);
}

// atan2(y, x), like Java's Math.atan2: atan2(1, 0) = π/2.
value fn_atan2(std::span<const value> a, const call_context& c) {
  auto y = to_double(a[0]);
  auto x = to_double(a[1]);
  if (!x || !y) return {};
  return double_result(std::atan2(*y, *x), c.version);
}

}  // namespace lambkin::rules::detail
