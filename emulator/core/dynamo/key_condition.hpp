#pragma once
// A Query's KeyConditionExpression reduced to what the store scans: the partition key value
// and a range on the sort key (=, <, <=, >, >=, BETWEEN, begins_with), both encoded (key_encoding.hpp).
#include "emulator/core/dynamo/expression.hpp"
#include "emulator/core/dynamo/result.hpp"
#include "lambkin/config.hpp"

#include <string>

namespace lambkin::dynamo {

struct key_range {
  enum class sort_op { none, eq, lt, le, gt, ge, between, begins_with };
  std::string pk;
  sort_op op = sort_op::none;
  std::string low, high;  // eq/gt/ge/between: low; lt/le/between: high; begins_with: the prefix in low
};

/// Errors: "Query condition missed key schema element: <name>", "Query key condition not supported",
/// "One or more parameter values were invalid: Condition parameter type does not match schema type".
result<key_range> analyze_key_condition(const condition& c, const config::key_schema& keys);

}  // namespace lambkin::dynamo
