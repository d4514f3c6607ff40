#pragma once
// The operators of AWS IoT SQL with its type rules: Undefined propagates, `+` concatenates when
// either side is a String, Int op Int stays Int (integer division, Java's remainder sign), any
// other numeric mix (numeric strings included, except for `+`) is a 34-digit Decimal, and
// comparisons convert both sides to Decimal.
#include "emulator/core/rules/ast.hpp"

namespace lambkin::rules::detail {

value apply_binary(op o, const value& a, const value& b, sql_version v);
value apply_unary(op o, const value& a, sql_version v);

/// `=` without the Undefined rule: Int and Decimal compare numerically, arrays item by item,
/// objects by key regardless of order, other mismatched types are unequal.
bool values_equal(const value& a, const value& b);

}  // namespace lambkin::rules::detail
