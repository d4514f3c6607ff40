#pragma once
// Items as compact bytes for the store (one BLOB per item): a type byte per value, varint
// lengths and counts. Faster to read back than DynamoDB JSON, and independent of any JSON library.
#include "emulator/core/dynamo/attribute_value.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lambkin::dynamo {

std::string encode_item(const item& i);
/// nullopt when `bytes` is not an encoded item.
std::optional<item> decode_item(std::string_view bytes);

}  // namespace lambkin::dynamo
