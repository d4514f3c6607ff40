#include "emulator/core/http/gateway_response.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::http;

namespace {
std::string header(const gateway_response& r, std::string_view name) {
  std::string out;
  for (const auto& [k, v] : r.headers)
    if (lower(k) == lower(name)) out += (out.empty() ? "" : "|") + v;
  return out;
}
}  // namespace

TEST_CASE("2.0: a value without statusCode is inferred as 200 application/json") {
  auto r = map_response_v2(R"({"message":"x"})");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(header(*r, "content-type") == "application/json");
  CHECK(r->body == R"({"message":"x"})");
  r = map_response_v2(R"(  "Hello from Lambda!" )");
  REQUIRE(r);
  CHECK(r->body == "Hello from Lambda!");
  r = map_response_v2("[1, 2]\n");
  CHECK(r->body == "[1, 2]");
  r = map_response_v2("42");
  CHECK(r->body == "42");
  r = map_response_v2("null");
  CHECK(r->body == "null");
}

TEST_CASE("2.0: the full form sets status, headers, cookies and decodes base64") {
  auto r = map_response_v2(R"({"statusCode":201,"headers":{"X-A":"1","X-N":5,"X-B":true},)"
                           R"("cookies":["a=b; Path=/","c=d"],"body":"aGk=","isBase64Encoded":true})");
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(header(*r, "x-a") == "1");
  CHECK(header(*r, "x-n") == "5");
  CHECK(header(*r, "x-b") == "true");
  CHECK(header(*r, "set-cookie") == "a=b; Path=/|c=d");
  CHECK(r->body == "hi");
  CHECK(header(*r, "content-type").empty());
}

TEST_CASE("2.0: statusCode without body gives an empty body, multiValueHeaders merge") {
  auto r = map_response_v2(R"({"statusCode":"204","headers":{"x":"single","y":"1"},"multiValueHeaders":{"x":["m1","m2"]}})");
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK(r->body.empty());
  CHECK(header(*r, "x") == "m1|m2");
  CHECK(header(*r, "y") == "1");
}

TEST_CASE("2.0: malformed full forms and invalid JSON are refused") {
  for (const char* bad : {"not json", R"({"statusCode":"abc"})", R"({"statusCode":99})", R"({"statusCode":600})",
                          R"({"statusCode":200.5})", R"({"statusCode":200,"body":{"a":1}})",
                          R"({"statusCode":200,"headers":[]})", R"({"statusCode":200,"headers":{"a":{}}})",
                          R"({"statusCode":200,"cookies":"a=b"})", R"({"statusCode":200,"cookies":[1]})",
                          R"({"statusCode":200,"isBase64Encoded":"yes"})",
                          R"({"statusCode":200,"body":"!!","isBase64Encoded":true})"})
    CHECK_MESSAGE(!map_response_v2(bad), bad);
}

TEST_CASE("1.0: strict, statusCode is required, REST leaves base64 bodies alone") {
  CHECK_FALSE(map_response_v1(R"({"message":"x"})", false));
  CHECK_FALSE(map_response_v1(R"("Hello")", false));
  CHECK_FALSE(map_response_v1("[]", true));
  CHECK_FALSE(map_response_v1(R"({"statusCode":200,"body":5})", false));
  auto r = map_response_v1(R"({"statusCode":200,"body":"aGk=","isBase64Encoded":true})", false);
  REQUIRE(r);
  CHECK(r->body == "aGk=");
  CHECK(header(*r, "content-type") == "application/json");
  r = map_response_v1(R"({"statusCode":200,"body":"aGk=","isBase64Encoded":true})", true);
  REQUIRE(r);
  CHECK(r->body == "hi");
  CHECK(header(*r, "content-type").empty());
  r = map_response_v1(R"({"statusCode":404,"headers":{"Content-Type":"text/plain"},"body":null})", false);
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(header(*r, "content-type") == "text/plain");
}

TEST_CASE("map_response picks the mapping from the API kind and payload format") {
  CHECK(map_response(R"({"a":1})", config::api_kind::http, "2.0"));
  CHECK_FALSE(map_response(R"({"a":1})", config::api_kind::http, "1.0"));
  CHECK_FALSE(map_response(R"({"a":1})", config::api_kind::rest, "1.0"));
}

TEST_CASE("API Gateway's own errors, worded per API kind") {
  using enum gateway_failure;
  const auto http = [](gateway_failure f) { return error_response(config::api_kind::http, f); };
  const auto rest = [](gateway_failure f) { return error_response(config::api_kind::rest, f); };
  CHECK(http(no_route).status == 404);
  CHECK(http(no_route).body == R"({"message":"Not Found"})");
  CHECK(rest(no_route).status == 403);
  CHECK(rest(no_route).body == R"({"message":"Missing Authentication Token"})");
  CHECK(http(function_error).status == 500);
  CHECK(http(function_error).body == R"({"message":"Internal Server Error"})");
  CHECK(http(malformed_response).status == 500);
  CHECK(rest(function_error).status == 502);
  CHECK(rest(malformed_response).body == R"({"message": "Internal server error"})");
  CHECK(http(throttled).status == 500);
  CHECK(rest(throttled).status == 500);
  CHECK(header(rest(throttled), "x-amzn-ErrorType") == "InternalServerErrorException");
  CHECK(http(integration_timeout).status == 503);
  CHECK(http(integration_timeout).body == R"({"message":"Service Unavailable"})");
  CHECK(rest(integration_timeout).status == 504);
  CHECK(rest(integration_timeout).body == R"({"message": "Endpoint request timed out"})");
  CHECK(http(body_too_large).status == 413);
  CHECK(http(invocation_failed).status == 500);
}
