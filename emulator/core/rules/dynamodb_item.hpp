#pragma once
// Rule results as DynamoDB requests, for the dynamoDBv2 and dynamoDB rule actions: each value
// becomes an AttributeValue (strings S, numbers N with their spelling, booleans BOOL, null NULL,
// arrays L, objects M, binary B in base64; Undefined members are left out), and the request body
// is DynamoDB's JSON protocol, ready for the table store's handler.
#include "emulator/core/rules/value.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lambkin::rules {

/// Appends `v` as a DynamoDB AttributeValue (`{"S":"…"}`, `{"M":{…}}`, …).
void append_attribute(std::string& out, const value& v);

/// dynamoDBv2: `{"TableName":…,"Item":{…}}` with one attribute per top-level field of `result`;
/// nullopt when `result` is not an object.
std::optional<std::string> put_item_request(const std::string& table, const value& result);

/// The dynamoDB (v1) action's key: hash key, and range key when both its field and value are set.
/// Types are the action's `STRING` or `NUMBER`.
struct dynamodb_v1_keys {
  std::string hash_field, hash_value, hash_type;
  std::string range_field;
  std::optional<std::string> range_value;
  std::string range_type;
};

/// dynamoDB (v1): the operation (`PutItem` for INSERT, `UpdateItem` for UPDATE, `DeleteItem` for
/// DELETE) and its request, the result going into `payload_field`; nullopt for another operation.
std::optional<std::pair<std::string, std::string>> dynamodb_v1_request(const std::string& table,
                                                                     std::string_view operation,
                                                                     const dynamodb_v1_keys& keys,
                                                                     const std::string& payload_field,
                                                                     const value& result);

}  // namespace lambkin::rules
