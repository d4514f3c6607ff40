#pragma once
// DynamoDB JSON ⇄ core/dynamo values: `{"S":"x"}`, `{"N":"1.5"}`, `{"B":"<base64>"}`, `{"BOOL":true}`,
// `{"NULL":true}`, `{"M":{…}}`, `{"L":[…]}`, `{"SS":[…]}`, `{"NS":[…]}`, `{"BS":[…]}`, validated with
// DynamoDB's messages (numbers normalised, empty and duplicate sets refused).
#include "emulator/core/dynamo/attribute_value.hpp"
#include "emulator/core/dynamo/result.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace lambkin::io::http::dynamodb {

dynamo::result<dynamo::attribute_value> value_from_json(const boost::json::value& v);
/// An item or key: a JSON object of AttributeValues.
dynamo::result<dynamo::item> item_from_json(const boost::json::value& v);

boost::json::object value_to_json(const dynamo::attribute_value& v);
boost::json::object item_to_json(const dynamo::item& i);

}  // namespace lambkin::io::http::dynamodb
