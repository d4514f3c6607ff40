#pragma once
// A table's keys (from its `config::table_config`): validating keys and items against the key
// schema with DynamoDB's messages, extracting keys, and the encoded form the store indexes by.
#include "emulator/core/dynamo/attribute_value.hpp"
#include "emulator/core/dynamo/result.hpp"
#include "lambkin/config.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lambkin::dynamo {

value_type to_value_type(config::attribute_type t) noexcept;

/// A primary key as the store holds it: sortable bytes (key_encoding.hpp); `sk` empty without a sort key.
struct encoded_key {
  std::string pk, sk;
  auto operator<=>(const encoded_key&) const = default;
  bool operator==(const encoded_key&) const = default;
};

/// An item's entry in one secondary index.
struct index_entry {
  std::string index;
  std::string ipk, isk;
};

/// PutItem: the item holds every key attribute with its declared type, none an empty string or
/// binary, and every index key attribute it holds has its declared type and is not empty.
std::optional<dynamo_error> validate_item(const config::table_config& t, const item& i);

/// GetItem/DeleteItem/UpdateItem `Key`: exactly the key attributes, with their types
/// ("The provided key element does not match the schema").
std::optional<dynamo_error> validate_key(const config::table_config& t, const item& key);

/// The key attributes of an item (which must have them).
item key_of(const config::table_config& t, const item& i);
encoded_key encode_primary_key(const config::table_config& t, const item& i);

/// The index entries of an item: one per index whose key attributes the item holds (sparse indexes).
std::vector<index_entry> index_entries(const config::table_config& t, const item& i);

/// The secondary index named `name`, or null.
const config::secondary_index* find_index(const config::table_config& t, std::string_view name);

/// The item as an index query returns it: ALL, or the table and index keys plus, for INCLUDE,
/// the non-key attributes named.
item project_for_index(const config::table_config& t, const config::secondary_index& index, const item& i);

/// The key of an item as LastEvaluatedKey shows it: the table's key, plus the index's when querying one.
item last_evaluated_key(const config::table_config& t, const config::secondary_index* index, const item& i);

/// Stable bucket (0…65535) of an encoded partition key: the store's scan order and Scan segments.
std::uint32_t partition_bucket(std::string_view encoded_pk) noexcept;

/// The TTL expiry (epoch seconds) of an item: its TTL attribute when that is a number, else none.
std::optional<std::int64_t> expiry_of(const std::optional<std::string>& ttl_attribute, const item& i);

}  // namespace lambkin::dynamo
