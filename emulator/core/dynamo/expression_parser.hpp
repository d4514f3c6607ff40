#pragma once
// Parses DynamoDB's expressions with their ExpressionAttributeNames/Values. One
// `expression_inputs` is shared by every expression of a request, so that names and values none
// of them used can be reported afterwards, as DynamoDB does.
//
// Errors are DynamoDB's ValidationException messages, e.g.
//   Invalid ConditionExpression: Syntax error; token: "=", near: "a = = b"
//   Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v
//   Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}
#include "emulator/core/dynamo/expression.hpp"
#include "emulator/core/dynamo/result.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace lambkin::dynamo {

struct expression_inputs {
  std::map<std::string, std::string, std::less<>> names;  // ExpressionAttributeNames
  item values;                                            // ExpressionAttributeValues
  std::set<std::string, std::less<>> used_names, used_values;
};

/// `which` names the parameter in messages ("ConditionExpression", "FilterExpression",
/// "KeyConditionExpression").
result<condition> parse_condition(std::string_view text, expression_inputs& in, std::string_view which);
result<update_expression> parse_update(std::string_view text, expression_inputs& in);
result<projection> parse_projection(std::string_view text, expression_inputs& in);

/// The "unused in expressions" error for names or values no expression used, if any.
std::optional<dynamo_error> check_all_used(const expression_inputs& in);

}  // namespace lambkin::dynamo
