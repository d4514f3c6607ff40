#include "emulator/core/rules/operators.hpp"

#include "emulator/core/rules/conversions.hpp"

namespace lambkin::rules::detail {
namespace {

using dnum = decimal::number;

value arithmetic(op o, const value& a, const value& b, sql_version v) {
  auto x = to_numeric(a);
  auto y = to_numeric(b);
  if (!x || !y) return {};
  if (x->is_int && y->is_int) {
    std::int64_t r = 0;
    switch (o) {
      case op::add:
        if (!__builtin_add_overflow(x->i, y->i, &r)) return value::integer(r);
        break;
      case op::sub:
        if (!__builtin_sub_overflow(x->i, y->i, &r)) return value::integer(r);
        break;
      case op::mul:
        if (!__builtin_mul_overflow(x->i, y->i, &r)) return value::integer(r);
        break;
      case op::div:
        if (y->i == 0) return {};
        if (!(x->i == INT64_MIN && y->i == -1)) return value::integer(x->i / y->i);
        break;
      case op::mod:
        if (y->i == 0) return {};
        if (y->i == -1) return value::integer(0);
        return value::integer(x->i % y->i);
      default: return {};
    }
    // Overflowed 64 bits: the exact integer as a Decimal (AWS's Int has 34 digits).
    if (o != op::div) {
      const dnum p = x->as_decimal().num(), q = y->as_decimal().num();
      return value::number(decimal::whole(o == op::add ? p + q : o == op::sub ? p - q : p * q));
    }
  }
  const dnum p = x->as_decimal().num();
  const dnum q = y->as_decimal().num();
  dnum r;
  switch (o) {
    case op::add: r = p + q; break;
    case op::sub: r = p - q; break;
    case op::mul: r = p * q; break;
    case op::div:
      if (q.is_zero()) return {};
      r = p / q;
      break;
    case op::mod:
      if (q.is_zero()) return {};
      r = p - boost::multiprecision::trunc(p / q) * q;  // the sign of the dividend, like Java
      break;
    default: return {};
  }
  return number_result(decimal(std::move(r)), v);
}

value concatenate(const value& a, const value& b) {
  auto x = to_text(a);
  auto y = to_text(b);
  if (!x || !y) return {};
  return value::string(*x + *y);
}

int compare_numbers(const numeric& x, const numeric& y) {
  if (x.is_int && y.is_int) return x.i < y.i ? -1 : x.i > y.i ? 1 : 0;
  const auto p = x.as_decimal();
  const auto q = y.as_decimal();
  return p.num() < q.num() ? -1 : p.num() > q.num() ? 1 : 0;
}

value compare(op o, const value& a, const value& b) {
  auto x = to_numeric(a);
  auto y = to_numeric(b);
  if (!x || !y) return {};
  const int c = compare_numbers(*x, *y);
  switch (o) {
    case op::lt: return value::boolean(c < 0);
    case op::le: return value::boolean(c <= 0);
    case op::gt: return value::boolean(c > 0);
    case op::ge: return value::boolean(c >= 0);
    default: return {};
  }
}

}  // namespace

bool values_equal(const value& a, const value& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(*to_numeric(a), *to_numeric(b)) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case value_kind::undefined:
    case value_kind::null: return true;
    case value_kind::boolean: return a.as_bool() == b.as_bool();
    case value_kind::string: return a.as_string() == b.as_string();
    case value_kind::binary: return a.as_binary() == b.as_binary();
    case value_kind::array: {
      const auto& x = a.as_array();
      const auto& y = b.as_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!values_equal(x[i], y[i])) return false;
      return true;
    }
    case value_kind::object: {
      const auto& x = a.as_object();
      const auto& y = b.as_object();
      if (x.size() != y.size()) return false;
      for (const auto& m : x) {
        const value other = b.field(m.key);
        if (other.is_undefined() || !values_equal(m.val, other)) return false;
      }
      return true;
    }
    default: return false;
  }
}

value apply_binary(op o, const value& a, const value& b, sql_version v) {
  if (a.is_undefined() || b.is_undefined()) return {};
  switch (o) {
    case op::add:
      if (a.kind() == value_kind::string || b.kind() == value_kind::string) return concatenate(a, b);
      if (!a.is_number() || !b.is_number()) return {};
      return arithmetic(o, a, b, v);
    case op::sub:
    case op::mul:
    case op::div:
    case op::mod: return arithmetic(o, a, b, v);
    case op::eq: return value::boolean(values_equal(a, b));
    case op::ne: return value::boolean(!values_equal(a, b));
    case op::lt:
    case op::le:
    case op::gt:
    case op::ge: return compare(o, a, b);
    case op::and_:
    case op::or_: {
      auto x = to_boolean(a);
      auto y = to_boolean(b);
      if (!x || !y) return {};
      return value::boolean(o == op::and_ ? (*x && *y) : (*x || *y));
    }
    default: return {};
  }
}

value apply_unary(op o, const value& a, sql_version v) {
  if (o == op::not_) {
    auto x = to_boolean(a);
    return x ? value::boolean(!*x) : value{};
  }
  auto n = to_numeric(a);
  if (!n) return {};
  if (n->is_int && n->i != INT64_MIN) return value::integer(-n->i);
  return number_result(decimal(-n->as_decimal().num()), v);
}

}  // namespace lambkin::rules::detail
