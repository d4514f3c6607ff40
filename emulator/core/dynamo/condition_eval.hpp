#pragma once
// Evaluates a parsed condition against an item, with DynamoDB's rules: a missing attribute or a
// comparison across types is simply false (never an error); `<`, `>`, BETWEEN order numbers
// numerically and strings and binary bytewise; size() counts bytes, elements or entries.
#include "emulator/core/dynamo/expression.hpp"

namespace lambkin::dynamo {

bool evaluate(const condition& c, const item& i);

/// DynamoDB's order of two values of the same scalar type (N, S, B); unordered otherwise.
std::partial_ordering compare_values(const attribute_value& a, const attribute_value& b);

}  // namespace lambkin::dynamo
