#pragma once
// What a write does, decided without touching storage: given the item stored under the key
// (or none), a PutItem, DeleteItem or UpdateItem either fails (its ConditionExpression is false,
// the new item is invalid or too large) or yields the item to store (or to delete) and the
// `Attributes` its ReturnValues asks for. The shell reads the current item, calls one of these,
// and writes the result in the same SQLite transaction.
#include "emulator/core/dynamo/expression.hpp"
#include "emulator/core/dynamo/result.hpp"
#include "lambkin/config.hpp"

#include <optional>
#include <string_view>

namespace lambkin::dynamo {

inline constexpr std::size_t max_item_size = 400 * 1024;

enum class return_values { none, all_old, updated_old, all_new, updated_new };

/// `ReturnValues` (empty = NONE); `allow_new`: UpdateItem accepts the UPDATED_* and ALL_NEW forms.
result<return_values> parse_return_values(std::string_view text, bool allow_new);

struct write_plan {
  /// The item to store; nullopt deletes the stored one (if any).
  std::optional<item> new_item;
  /// `Attributes` of the answer; nullopt when none are returned.
  std::optional<item> returned;
};

/// A ConditionExpression failing is `conditional_check_failed` "The conditional request failed".
std::optional<dynamo_error> check_condition(const condition* c, const item* current);

result<write_plan> plan_put(const config::table_config& t, item new_item, const item* current, const condition* c,
                            return_values rv);
result<write_plan> plan_delete(const item* current, const condition* c, return_values rv);
/// `key` is validated already; a missing item is created from it (UpdateItem upserts).
result<write_plan> plan_update(const config::table_config& t, const item& key, const item* current,
                               const update_expression* u, const condition* c, return_values rv);

}  // namespace lambkin::dynamo
