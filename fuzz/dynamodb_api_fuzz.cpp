// libFuzzer target for the DynamoDB JSON API (emulator/io/http/dynamodb_api*): handle_dynamodb,
// the endpoint's handler, on a fresh ":memory:" table store per input holding two tables (hash
// only; hash and range with a GSI and an LSI) and a few items. The input's first line is the
// operation (`X-Amz-Target: DynamoDB_20120810.<first line>`), the rest the JSON body. Every answer
// must be 200 or a DynamoDB error (400, or 500 InternalServerError, which would be a bug: abort).
// Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./dynamodb_api_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/dynamodb_api
#include "emulator/io/http/dynamodb_api.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace http = lambkin::io::http;
namespace store = lambkin::io::store;

http::response call(store::table_store& s, std::string_view op, std::string body) {
  http::request req{boost::beast::http::verb::post, "/", 11};
  req.set("X-Amz-Target", "DynamoDB_20120810." + std::string(op));
  req.set(boost::beast::http::field::content_type, "application/x-amz-json-1.0");
  req.body() = std::move(body);
  req.prepare_payload();
  return http::handle_dynamodb(s, req, 1'700'000'000'000);
}

void setup(store::table_store& s) {
  const char* steps[][2] = {
      {"CreateTable", R"({"TableName":"Things","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})"},
      {"CreateTable", R"({"TableName":"Readings","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"deviceId","AttributeType":"S"},{"AttributeName":"ts","AttributeType":"N"},
          {"AttributeName":"room","AttributeType":"S"},{"AttributeName":"level","AttributeType":"B"}],
        "KeySchema":[{"AttributeName":"deviceId","KeyType":"HASH"},{"AttributeName":"ts","KeyType":"RANGE"}],
        "GlobalSecondaryIndexes":[{"IndexName":"byRoom","KeySchema":[{"AttributeName":"room","KeyType":"HASH"},
          {"AttributeName":"ts","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],
        "LocalSecondaryIndexes":[{"IndexName":"byLevel","KeySchema":[{"AttributeName":"deviceId","KeyType":"HASH"},
          {"AttributeName":"level","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]})"},
      {"PutItem", R"({"TableName":"Things","Item":{"id":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"S":"x"}]},"ss":{"SS":["p","q"]}}})"},
      {"PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d1"},"ts":{"N":"10"},"room":{"S":"kitchen"},
        "level":{"B":"AAE="},"t":{"N":"21.5"},"m":{"M":{"k":{"BOOL":true}}}}})"},
      {"PutItem", R"({"TableName":"Readings","Item":{"deviceId":{"S":"d1"},"ts":{"N":"20"},"room":{"S":"hall"},"t":{"N":"-3e2"}}})"},
  };
  for (const auto& [op, body] : steps)
    if (call(s, op, body).result_int() != 200) std::abort();  // the fixture itself must work
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto newline = text.find('\n');
  const auto op = text.substr(0, newline == std::string_view::npos ? text.size() : newline);
  const auto body = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  store::table_store s{store::store_options{}};
  setup(s);
  const auto res = call(s, op, std::string(body));
  if (res.result_int() != 200 && res.result_int() != 400) std::abort();  // 500: an unexpected error
  return 0;
}
