#pragma once
// A table's definition as CreateTable JSON (TableName, KeySchema, AttributeDefinitions,
// BillingMode, Global/LocalSecondaryIndexes): how CreateTable requests are read and validated
// (DynamoDB's messages), and how the store keeps definitions.
#include "emulator/core/dynamo/result.hpp"
#include "lambkin/config.hpp"

#include <boost/json/object.hpp>

namespace lambkin::io::store {

/// Validates a CreateTable request body into a definition (name, keys, attributes, indexes).
/// `strict`: AttributeDefinitions must hold exactly the key attributes (CreateTable's rule; the
/// store's own definitions, from templates, are read back without it).
dynamo::result<config::table_config> table_from_json(const boost::json::object& o, bool strict = true);

/// The CreateTable JSON of a definition (`table_from_json` reads it back).
boost::json::object table_to_json(const config::table_config& t);

/// `KeySchema` JSON of a key schema.
boost::json::array key_schema_json(const config::key_schema& k);

}  // namespace lambkin::io::store
