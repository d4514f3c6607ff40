// The DynamoDB JSON protocol handler against a ":memory:" store: request in, response out.
#include "emulator/io/http/dynamodb_api.hpp"

#include <doctest/doctest.h>

#include <boost/crc.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

using namespace lambkin::io;
namespace json = boost::json;

namespace {

struct api {
  store::table_store store{store::store_options{}};
  std::int64_t now_ms = 1'700'000'000'000;

  http::response raw(std::string_view op, std::string body) {
    http::request req{boost::beast::http::verb::post, "/", 11};
    req.set("X-Amz-Target", "DynamoDB_20120810." + std::string(op));
    req.set(boost::beast::http::field::content_type, "application/x-amz-json-1.0");
    req.body() = std::move(body);
    req.prepare_payload();
    return http::handle_dynamodb(store, req, now_ms);
  }
  /// The JSON answer; `status` receives the HTTP status.
  json::object call(std::string_view op, std::string_view body, unsigned* status = nullptr) {
    auto res = raw(op, std::string(body));
    if (status) *status = res.result_int();
    return json::parse(res.body()).as_object();
  }
  json::object ok(std::string_view op, std::string_view body) {
    unsigned status = 0;
    auto out = call(op, body, &status);
    REQUIRE_MESSAGE(status == 200, json::serialize(out));
    return out;
  }
  /// `{type, message}` of an error answer (type without the namespace).
  std::pair<std::string, std::string> error(std::string_view op, std::string_view body) {
    unsigned status = 0;
    auto out = call(op, body, &status);
    CHECK(status == 400);
    std::string type(out.at("__type").as_string());
    return {type.substr(type.find('#') + 1), std::string(out.at("message").as_string())};
  }
};

constexpr const char* create_readings = R"({"TableName":"Readings","BillingMode":"PAY_PER_REQUEST",
  "AttributeDefinitions":[{"AttributeName":"deviceId","AttributeType":"S"},{"AttributeName":"ts","AttributeType":"N"},
                          {"AttributeName":"room","AttributeType":"S"}],
  "KeySchema":[{"AttributeName":"deviceId","KeyType":"HASH"},{"AttributeName":"ts","KeyType":"RANGE"}],
  "GlobalSecondaryIndexes":[{"IndexName":"byRoom","KeySchema":[{"AttributeName":"room","KeyType":"HASH"}],
                             "Projection":{"ProjectionType":"ALL"}}]})";

}  // namespace

TEST_CASE("every answer has the JSON 1.0 content type, a request id and the body's CRC32") {
  api a;
  auto res = a.raw("ListTables", "{}");
  CHECK(res.result_int() == 200);
  CHECK(res[boost::beast::http::field::content_type] == "application/x-amz-json-1.0");
  CHECK(res["x-amzn-RequestId"].size() == 52);
  boost::crc_32_type crc;
  crc.process_bytes(res.body().data(), res.body().size());
  CHECK(res["x-amz-crc32"] == std::to_string(crc.checksum()));
  CHECK(res.body() == R"({"TableNames":[]})");
}

TEST_CASE("protocol errors: bad JSON, unknown operation, missing table") {
  api a;
  auto [type, message] = a.error("ListTables", "{not json");
  CHECK(type == "SerializationException");
  std::tie(type, message) = a.error("FlyToTheMoon", "{}");
  CHECK(type == "UnknownOperationException");
  unsigned status = 0;
  auto out = a.call("GetItem", R"({"TableName":"Nope","Key":{"k":{"S":"x"}}})", &status);
  CHECK(status == 400);
  CHECK(json::serialize(out) ==
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})");
}

TEST_CASE("CreateTable, DescribeTable, ListTables, DeleteTable") {
  api a;
  auto created = a.ok("CreateTable", create_readings).at("TableDescription").as_object();
  CHECK(created.at("TableStatus") == "ACTIVE");
  CHECK(created.at("TableArn") == "arn:aws:dynamodb:us-east-1:000000000000:table/Readings");
  CHECK(created.at("GlobalSecondaryIndexes").as_array().size() == 1);
  CHECK(a.error("CreateTable", create_readings).first == "ResourceInUseException");
  a.ok("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":"1"}}})");
  CHECK(a.ok("DescribeTable", R"({"TableName":"Readings"})").at("Table").at("ItemCount") == 1);
  CHECK(json::serialize(a.ok("ListTables", "{}")) == R"({"TableNames":["Readings"]})");
  CHECK(a.ok("DeleteTable", R"({"TableName":"Readings"})").at("TableDescription").at("TableStatus") == "DELETING");
  auto [type, message] = a.error("DescribeTable", R"({"TableName":"Readings"})");
  CHECK(type == "ResourceNotFoundException");
  CHECK(message == "Requested resource not found: Table: Readings not found");
  CHECK(a.error("CreateTable", R"({"TableName":"Things","AttributeDefinitions":[{"AttributeName":"x","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})").second.find("Some index key attributes are not defined") != std::string::npos);
}

TEST_CASE("PutItem and GetItem round-trip every AttributeValue type") {
  api a;
  a.ok("CreateTable", create_readings);
  const std::string item =
      R"({"deviceId":{"S":"d"},"ts":{"N":"1.50"},"b":{"B":"AAEC"},"t":{"BOOL":false},"z":{"NULL":true},)"
      R"("m":{"M":{"l":{"L":[{"S":"x"},{"N":"2"}]}}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AA=="]}})";
  a.ok("PutItem", R"({"TableName":"Readings","Item":)" + item + "}");
  auto got = a.ok("GetItem", R"({"TableName":"Readings","Key":{"deviceId":{"S":"d"},"ts":{"N":"1.5"}}})");
  auto expected = json::parse(item).as_object();
  expected["ts"] = json::object{{"N", "1.5"}};  // normalised
  CHECK(got.at("Item") == expected);
  auto projected = a.ok("GetItem", R"({"TableName":"Readings","Key":{"deviceId":{"S":"d"},"ts":{"N":"1.5"}},
    "ProjectionExpression":"#m.l[1], t","ExpressionAttributeNames":{"#m":"m"}})");
  CHECK(json::serialize(projected) == R"({"Item":{"m":{"M":{"l":{"L":[{"N":"2"}]}}},"t":{"BOOL":false}}})");
  CHECK(json::serialize(a.ok("GetItem", R"({"TableName":"Readings","Key":{"deviceId":{"S":"x"},"ts":{"N":"1"}}})")) == "{}");
}

TEST_CASE("validation errors carry DynamoDB's messages") {
  api a;
  a.ok("CreateTable", create_readings);
  CHECK(a.error("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":""},"ts":{"N":"1"}}})").second ==
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
        "string value. Key: deviceId");
  CHECK(a.error("GetItem", R"({"TableName":"Readings","Key":{"deviceId":{"S":"d"}}})").second ==
        "The provided key element does not match the schema");
  CHECK(a.error("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":"1"}},
    "ConditionExpression":"attribute_not_exists(deviceId) ","ExpressionAttributeValues":{":x":{"S":"1"}}})").second ==
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}");
  CHECK(a.error("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":"1"},"s":{"SS":["a","a"]}}})").second ==
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  const std::string big(401 * 1024, 'x');
  CHECK(a.error("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":"1"},"big":{"S":")" + big + "\"}}}")
            .second == "Item size has exceeded the maximum allowed size");
}

TEST_CASE("conditional writes: ConditionalCheckFailedException, with the old item when asked") {
  api a;
  a.ok("CreateTable", create_readings);
  const std::string put = R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":"1"},"v":{"N":"1"}},
    "ConditionExpression":"attribute_not_exists(deviceId) ","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})";
  a.ok("PutItem", put);
  unsigned status = 0;
  auto failed = a.call("PutItem", put, &status);
  CHECK(status == 400);
  CHECK(failed.at("__type") == "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
  CHECK(failed.at("message") == "The conditional request failed");
  CHECK(failed.at("Item").at("v") == json::object{{"N", "1"}});
  auto deleted = a.ok("DeleteItem", R"({"TableName":"Readings","Key":{"deviceId":{"S":"d"},"ts":{"N":"1"}},
    "ConditionExpression":"v = :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"ALL_OLD"})");
  CHECK(deleted.at("Attributes").at("v") == json::object{{"N", "1"}});
}

TEST_CASE("UpdateItem: upsert, counters, ReturnValues") {
  api a;
  a.ok("CreateTable", create_readings);
  const std::string update = R"({"TableName":"Readings","Key":{"deviceId":{"S":"d"},"ts":{"N":"1"}},
    "UpdateExpression":"ADD hits :one SET seen = list_append(if_not_exists(seen, :empty), :now) ",
    "ExpressionAttributeValues":{":one":{"N":"1"},":empty":{"L":[]},":now":{"L":[{"S":"t"}]}},"ReturnValues":"ALL_NEW"})";
  a.ok("UpdateItem", update);
  auto second = a.ok("UpdateItem", update);
  CHECK(second.at("Attributes").at("hits") == json::object{{"N", "2"}});
  CHECK(second.at("Attributes").at("seen").at("L").as_array().size() == 2);
  CHECK(a.error("UpdateItem", R"({"TableName":"Readings","Key":{"deviceId":{"S":"d"},"ts":{"N":"1"}},
    "UpdateExpression":"SET deviceId = :x","ExpressionAttributeValues":{":x":{"S":"e"}}})").second ==
        "One or more parameter values were invalid: Cannot update attribute deviceId. This attribute is part of the key");
}

TEST_CASE("Query: key conditions, filter, Limit pagination, reverse order, COUNT, index") {
  api a;
  a.ok("CreateTable", create_readings);
  for (int ts = 1; ts <= 9; ++ts)
    a.ok("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":")" + std::to_string(ts) +
                        R"("},"even":{"BOOL":)" + (ts % 2 ? "false" : "true") + R"(},"room":{"S":"lab"}}})");
  const std::string base = R"("TableName":"Readings","KeyConditionExpression":"deviceId = :d AND ts >= :from",)";
  auto page = a.ok("Query", "{" + base + R"("ExpressionAttributeValues":{":d":{"S":"d"},":from":{"N":"3"}},"Limit":4})");
  CHECK(page.at("Count") == 4);
  CHECK(page.at("Items").as_array()[0].at("ts") == json::object{{"N", "3"}});
  CHECK(page.at("LastEvaluatedKey") == json::parse(R"({"deviceId":{"S":"d"},"ts":{"N":"6"}})"));
  auto rest = a.ok("Query", "{" + base + R"("ExpressionAttributeValues":{":d":{"S":"d"},":from":{"N":"3"}},
    "ExclusiveStartKey":{"deviceId":{"S":"d"},"ts":{"N":"6"}}})");
  CHECK(rest.at("Count") == 3);
  CHECK_FALSE(rest.contains("LastEvaluatedKey"));
  auto filtered = a.ok("Query", "{" + base + R"("ExpressionAttributeValues":{":d":{"S":"d"},":from":{"N":"1"},":t":{"BOOL":true}},
    "FilterExpression":"even = :t","ScanIndexForward":false,"Select":"COUNT"})");
  CHECK(filtered.at("Count") == 4);
  CHECK(filtered.at("ScannedCount") == 9);
  CHECK_FALSE(filtered.contains("Items"));
  auto down = a.ok("Query", R"({"TableName":"Readings","KeyConditionExpression":"deviceId = :d","ScanIndexForward":false,
    "ExpressionAttributeValues":{":d":{"S":"d"}},"Limit":1})");
  CHECK(down.at("Items").as_array()[0].at("ts") == json::object{{"N", "9"}});
  auto by_room = a.ok("Query", R"({"TableName":"Readings","IndexName":"byRoom","KeyConditionExpression":"room = :r",
    "ExpressionAttributeValues":{":r":{"S":"lab"}},"Limit":2})");
  CHECK(by_room.at("Count") == 2);
  CHECK(by_room.at("LastEvaluatedKey").as_object().size() == 3);  // table key + index key
  CHECK(a.error("Query", R"({"TableName":"Readings","KeyConditionExpression":"ts = :t",
    "ExpressionAttributeValues":{":t":{"N":"1"}}})").second == "Query condition missed key schema element: deviceId");
}

TEST_CASE("Scan with filter, segments and pagination") {
  api a;
  a.ok("CreateTable", create_readings);
  for (int i = 0; i < 20; ++i)
    a.ok("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d)" + std::to_string(i) + R"("},"ts":{"N":"1"}}})");
  std::int64_t seen = 0;
  std::string start;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = a.ok("Scan", R"({"TableName":"Readings","Limit":7)" + start + "}");
    seen += page.at("Count").as_int64();
    if (!page.contains("LastEvaluatedKey")) break;
    start = R"(,"ExclusiveStartKey":)" + json::serialize(page.at("LastEvaluatedKey"));
  }
  CHECK(seen == 20);
  std::int64_t in_segments = 0;
  for (int s = 0; s < 4; ++s)
    in_segments += a.ok("Scan", R"({"TableName":"Readings","Segment":)" + std::to_string(s) + R"(,"TotalSegments":4})")
                       .at("Count").as_int64();
  CHECK(in_segments == 20);
}

TEST_CASE("BatchWriteItem, BatchGetItem, TransactWriteItems with cancellation reasons, TransactGetItems") {
  api a;
  a.ok("CreateTable", create_readings);
  a.ok("BatchWriteItem", R"({"RequestItems":{"Readings":[
    {"PutRequest":{"Item":{"deviceId":{"S":"a"},"ts":{"N":"1"}}}},
    {"PutRequest":{"Item":{"deviceId":{"S":"b"},"ts":{"N":"1"}}}}]}})");
  auto got = a.ok("BatchGetItem", R"({"RequestItems":{"Readings":{"Keys":[
    {"deviceId":{"S":"a"},"ts":{"N":"1"}},{"deviceId":{"S":"zz"},"ts":{"N":"1"}}]}}})");
  CHECK(got.at("Responses").at("Readings").as_array().size() == 1);
  unsigned status = 0;
  auto cancelled = a.call("TransactWriteItems", R"({"TransactItems":[
    {"Put":{"TableName":"Readings","Item":{"deviceId":{"S":"c"},"ts":{"N":"1"}}}},
    {"ConditionCheck":{"TableName":"Readings","Key":{"deviceId":{"S":"a"},"ts":{"N":"1"}},
                       "ConditionExpression":"attribute_not_exists(deviceId) "}}]})", &status);
  CHECK(status == 400);
  CHECK(cancelled.at("__type") == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
  CHECK(cancelled.at("message") ==
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
  CHECK(cancelled.at("CancellationReasons").as_array()[1].at("Code") == "ConditionalCheckFailed");
  auto none = a.ok("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"Readings","Key":{"deviceId":{"S":"c"},"ts":{"N":"1"}}}}]})");
  CHECK(json::serialize(none) == R"({"Responses":[{}]})");  // nothing of the cancelled transaction was written
  a.ok("TransactWriteItems", R"({"TransactItems":[
    {"Delete":{"TableName":"Readings","Key":{"deviceId":{"S":"a"},"ts":{"N":"1"}}}},
    {"Update":{"TableName":"Readings","Key":{"deviceId":{"S":"b"},"ts":{"N":"1"}},"UpdateExpression":"SET v = :v",
               "ExpressionAttributeValues":{":v":{"S":"x"}}}}]})");
  auto after = a.ok("TransactGetItems", R"({"TransactItems":[
    {"Get":{"TableName":"Readings","Key":{"deviceId":{"S":"a"},"ts":{"N":"1"}}}},
    {"Get":{"TableName":"Readings","Key":{"deviceId":{"S":"b"},"ts":{"N":"1"}}}}]})");
  CHECK(after.at("Responses").as_array()[0].as_object().empty());
  CHECK(after.at("Responses").as_array()[1].at("Item").at("v") == json::object{{"S", "x"}});
}

TEST_CASE("UpdateTimeToLive hides expired items at once") {
  api a;
  a.ok("CreateTable", create_readings);
  a.ok("PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d"},"ts":{"N":"1"},"exp":{"N":"1000"}}})");
  a.ok("UpdateTimeToLive", R"({"TableName":"Readings","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  CHECK(a.ok("DescribeTimeToLive", R"({"TableName":"Readings"})").at("TimeToLiveDescription").at("TimeToLiveStatus") == "ENABLED");
  CHECK(a.ok("Scan", R"({"TableName":"Readings"})").at("Count") == 0);
  CHECK(a.error("UpdateTimeToLive", R"({"TableName":"Readings","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})")
            .second == "TimeToLive is already enabled");
}
