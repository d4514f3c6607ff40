#pragma once
// Applies an UpdateExpression to an item: SET (with if_not_exists, list_append, + and -),
// REMOVE, ADD (numbers and sets) and DELETE (from sets). Every right-hand side is evaluated
// against the item as it was before the update, as DynamoDB does.
#include "emulator/core/dynamo/expression.hpp"
#include "emulator/core/dynamo/result.hpp"

#include <optional>

namespace lambkin::dynamo {

/// Changes `i` in place; on error `i` is left partly updated (callers work on a copy).
std::optional<dynamo_error> apply_update(const update_expression& u, item& i);

/// The item reduced to the projected paths (list elements keep their order, gaps close up).
item project(const item& i, const projection& p);

}  // namespace lambkin::dynamo
