#pragma once
// Key values as bytes that sort the way DynamoDB sorts keys, so the store can compare them with
// memcmp (SQLite BLOB order): strings and binary bytewise (UTF-8 bytes for strings), numbers
// numerically. Each encoded value fills its own column, so no terminators are needed between parts.
#include "emulator/core/dynamo/attribute_value.hpp"

#include <string>

namespace lambkin::dynamo {

/// The sortable bytes of an S, N or B value (other types encode as their text, unordered).
std::string encode_key_value(const attribute_value& v);

/// The smallest byte string greater than every string starting with `prefix` (for range scans of
/// begins_with); empty when there is none (prefix of 0xFF bytes only).
std::string prefix_successor(std::string prefix);

}  // namespace lambkin::dynamo
