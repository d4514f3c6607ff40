#pragma once
// The parsed form of DynamoDB's expressions. Placeholders are resolved while parsing: `#n`
// becomes the attribute name, `:v` the AttributeValue, so evaluation needs only the item.
#include "emulator/core/dynamo/attribute_value.hpp"
#include "emulator/core/dynamo/document_path.hpp"

#include <string>
#include <vector>

namespace lambkin::dynamo {

/// A value in an expression: a document path, a `:value`, `size(path)`, and in UpdateExpression
/// SET also `if_not_exists(path, v)`, `list_append(a, b)`, `a + b`, `a - b`.
struct operand {
  enum class kind { path, value, size, if_not_exists, list_append, plus, minus };
  kind k = kind::path;
  document_path path;        // kind::path, size
  attribute_value value;     // kind::value
  std::vector<operand> args; // functions and arithmetic
};

/// A ConditionExpression / FilterExpression / KeyConditionExpression.
struct condition {
  enum class kind { compare, between, in, and_, or_, not_, function };
  kind k = kind::compare;
  /// compare: "=", "<>", "<", "<=", ">", ">="; function: attribute_exists, attribute_not_exists,
  /// attribute_type, begins_with, contains.
  std::string op;
  std::vector<operand> operands;
  std::vector<condition> children;  // and_, or_ (two), not_ (one)
};

struct update_action {
  enum class kind { set, remove, add, remove_from_set };  // SET, REMOVE, ADD, DELETE
  kind k = kind::set;
  document_path path;
  operand value;  // not used by REMOVE
};

struct update_expression {
  std::vector<update_action> actions;
};

/// A ProjectionExpression: the paths to keep.
using projection = std::vector<document_path>;

}  // namespace lambkin::dynamo
