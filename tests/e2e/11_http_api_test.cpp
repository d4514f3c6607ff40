// The HTTP API listener: API Gateway's routing, events and response mapping in front of real
// Node functions, reached with curl and with a plain HTTP client.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>

namespace bhttp = lambkin::test::bhttp;
using lambkin::test::fn;
using lambkin::test::http_client;
using lambkin::test::lambkin_instance;
using lambkin::test::template_for;

namespace {

const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";

/// An `Events:` entry of a function (indented for `fn::extra`).
std::string http_event(const std::string& name, const std::string& type, const std::string& method,
                       const std::string& path, const std::string& more = "") {
  return "        " + name + ":\n          Type: " + type + "\n          Properties:\n            Path: " + path +
         "\n            Method: " + method + "\n" + more;
}

/// The main test template: one echo function on several routes, and one throttled to nothing.
std::string main_template() {
  std::string events = "      Timeout: 1\n      Events:\n";
  events += http_event("Item", "HttpApi", "GET", "/items/{id}");
  events += http_event("Upload", "HttpApi", "POST", "/upload");
  events += http_event("Files", "HttpApi", "ANY", "/files/{proxy+}");
  events += http_event("Mode", "HttpApi", "GET", "/mode");
  events += http_event("V1", "HttpApi", "GET", "/v1/{id}", "            PayloadFormatVersion: '1.0'\n");
  events += http_event("Rest", "Api", "GET", "/rest/{id}");
  std::string throttled = "      ReservedConcurrentExecutions: 0\n      Events:\n";
  throttled += http_event("Throttled", "HttpApi", "GET", "/throttled");
  return template_for({{"Api", "nodejs20.x", "index.handler", data + "node-http-echo", events},
                       {"Throttled", "nodejs20.x", "index.handler", data + "node-http-echo", throttled}});
}

struct curl_result {
  int status = 0;
  std::string headers;  // the raw header block, lower-cased
  std::string body;
};

/// Runs /usr/bin/curl with `args` against the URL, returning the status, headers and body.
curl_result curl(const std::string& url, std::vector<std::string> args = {}) {
  std::vector<std::string> argv{"/usr/bin/curl", "-s", "-S", "-D", "-"};
  for (auto& a : args) argv.push_back(std::move(a));
  argv.push_back(url);
  auto r = lambkin::test::run(std::move(argv));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  curl_result out;
  const auto split = r.out.find("\r\n\r\n");
  REQUIRE(split != std::string::npos);
  out.headers = r.out.substr(0, split);
  std::transform(out.headers.begin(), out.headers.end(), out.headers.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  out.body = r.out.substr(split + 4);
  out.status = std::stoi(out.headers.substr(out.headers.find(' ') + 1, 3));
  return out;
}

std::set<std::string> keys_of(const boost::json::value& v) {
  std::set<std::string> out;
  for (const auto& kv : v.as_object()) out.insert(std::string(kv.key()));
  return out;
}

std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST_CASE("HTTP API payload 2.0: curl gets the function's response and the function the exact event") {
  lambkin_instance lk(main_template());
  REQUIRE(lk.http_port() != 0);
  const auto base = "http://127.0.0.1:" + std::to_string(lk.http_port());
  auto r = curl(base + "/items/a%20b?x=1&x=2&y=caf%C3%A9",
                {"-H", "Cookie: c1=v1; c2=v2", "-H", "X-Multi: one", "-H", "X-Multi: two", "-A", "curl-test"});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.headers.find("x-echo: 1") != std::string::npos);
  CHECK(r.headers.find("apigw-requestid: ") != std::string::npos);

  const auto e = boost::json::parse(r.body);
  CHECK(keys_of(e) == std::set<std::string>{"version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
                                            "queryStringParameters", "requestContext", "pathParameters",
                                            "isBase64Encoded"});
  CHECK(str(e.at("version")) == "2.0");
  CHECK(str(e.at("routeKey")) == "GET /items/{id}");
  CHECK(str(e.at("rawPath")) == "/items/a%20b");
  CHECK(str(e.at("rawQueryString")) == "x=1&x=2&y=caf%C3%A9");
  CHECK(e.at("cookies") == boost::json::parse(R"(["c1=v1","c2=v2"])"));
  CHECK(e.at("headers") == boost::json::parse(
                               R"({"host":"127.0.0.1:)" + std::to_string(lk.http_port()) +
                               R"(","user-agent":"curl-test","accept":"*/*","x-multi":"one,two",)"
                               R"("x-forwarded-for":"127.0.0.1","x-forwarded-port":")" +
                               std::to_string(lk.http_port()) + R"(","x-forwarded-proto":"http"})"));
  CHECK(e.at("queryStringParameters") == boost::json::parse(R"({"x":"1,2","y":"café"})"));
  CHECK(e.at("pathParameters") == boost::json::parse(R"({"id":"a b"})"));
  CHECK(e.at("isBase64Encoded") == false);

  const auto& rc = e.at("requestContext");
  CHECK(keys_of(rc) == std::set<std::string>{"accountId", "apiId", "domainName", "domainPrefix", "http", "requestId",
                                             "routeKey", "stage", "time", "timeEpoch"});
  CHECK(str(rc.at("accountId")) == "123456789012");
  CHECK(str(rc.at("apiId")).size() == 10);
  CHECK(str(rc.at("domainName")) == "127.0.0.1");
  CHECK(str(rc.at("stage")) == "$default");
  CHECK(str(rc.at("routeKey")) == "GET /items/{id}");
  auto request_id = str(rc.at("requestId"));
  std::transform(request_id.begin(), request_id.end(), request_id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  CHECK(r.headers.find("apigw-requestid: " + request_id) != std::string::npos);
  CHECK(rc.at("http") == boost::json::parse(R"({"method":"GET","path":"/items/a%20b","protocol":"HTTP/1.1",)"
                                            R"("sourceIp":"127.0.0.1","userAgent":"curl-test"})"));
  CHECK(rc.at("timeEpoch").as_int64() > 1600000000000);
  CHECK(str(rc.at("time")).ends_with(" +0000"));
}

TEST_CASE("HTTP API payload 2.0: bodies, binary ones base64-encoded both ways, greedy paths, ANY") {
  lambkin_instance lk(main_template());
  http_client client(lk.http_port());
  auto r = client.request(bhttp::verb::post, "/upload", R"({"a":1})", "application/json");
  REQUIRE(r.result_int() == 200);
  auto e = boost::json::parse(r.body());
  CHECK(str(e.at("body")) == R"({"a":1})");
  CHECK(e.at("isBase64Encoded") == false);
  CHECK(str(e.at("headers").at("content-length")) == "7");

  r = client.request(bhttp::verb::post, "/upload", std::string("\x89PNG\x00\xff", 6), "application/octet-stream");
  REQUIRE(r.result_int() == 200);
  e = boost::json::parse(r.body());
  CHECK(str(e.at("body")) == "iVBORwD/");
  CHECK(e.at("isBase64Encoded") == true);

  r = client.request(bhttp::verb::delete_, "/files/a/b%2Fc.txt");
  REQUIRE(r.result_int() == 200);
  e = boost::json::parse(r.body());
  CHECK(str(e.at("routeKey")) == "ANY /files/{proxy+}");
  CHECK(e.at("pathParameters") == boost::json::parse(R"({"proxy":"a/b/c.txt"})"));
  CHECK(str(e.at("requestContext").at("http").at("method")) == "DELETE");
  CHECK_FALSE(e.as_object().contains("body"));

  r = client.request(bhttp::verb::get, "/mode?mode=binary");
  REQUIRE(r.result_int() == 200);
  CHECK(r["content-type"] == "image/png");
  CHECK(r.body() == std::string("\x89PNG\x00\xff", 6));
}

TEST_CASE("HTTP API payload 2.0: inferred responses, cookies, multi-value headers, errors") {
  lambkin_instance lk(main_template());
  const auto base = "http://127.0.0.1:" + std::to_string(lk.http_port());
  auto r = curl(base + "/mode?mode=plain");
  CHECK(r.status == 200);
  CHECK(r.headers.find("content-type: application/json") != std::string::npos);
  CHECK(r.body == "Hello from Lambda!");

  r = curl(base + "/mode?mode=object");
  CHECK(r.status == 200);
  CHECK(boost::json::parse(r.body) == boost::json::parse(R"({"message":"hi","n":1})"));

  r = curl(base + "/mode?mode=cookies");
  CHECK(r.status == 201);
  CHECK(r.body == "made");
  CHECK(r.headers.find("x-custom: v") != std::string::npos);
  CHECK(r.headers.find("set-cookie: a=b; path=/\r\n") != std::string::npos);
  CHECK(r.headers.find("set-cookie: c=d") != std::string::npos);

  r = curl(base + "/mode?mode=multi");
  CHECK(r.headers.find("x-one: single") != std::string::npos);
  CHECK(r.headers.find("x-many: 1\r\nx-many: 2") != std::string::npos);

  r = curl(base + "/mode?mode=malformed");
  CHECK(r.status == 500);
  CHECK(r.body == R"({"message":"Internal Server Error"})");
  r = curl(base + "/mode?mode=error");
  CHECK(r.status == 500);
  CHECK(r.body == R"({"message":"Internal Server Error"})");
  r = curl(base + "/mode?mode=sleep");  // over the function's 1 s timeout
  CHECK(r.status == 500);
  r = curl(base + "/throttled");
  CHECK(r.status == 500);
  CHECK(r.body == R"({"message":"Internal Server Error"})");
  r = curl(base + "/nowhere");
  CHECK(r.status == 404);
  CHECK(r.body == R"({"message":"Not Found"})");
  r = curl(base + "/items/1", {"-X", "POST"});
  CHECK(r.status == 404);
  // Lambda prints the time the invoke really ran: 1.00 s, or a little more when the machine is
  // loaded and the timer fires late.
  CHECK_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), "Task timed out after 1.", std::chrono::seconds(10)),
                lk.log());
  CHECK(std::regex_search(lk.log(), std::regex(R"(Task timed out after 1\.\d\d seconds)")));
}

TEST_CASE("HTTP API: bodies over 10 MB get 413 without reaching the function") {
  lambkin_instance lk(main_template());
  lambkin::test::temp_dir dir;
  const auto big = dir.path() / "big.txt";
  std::ofstream(big) << std::string(10 * 1024 * 1024 + 1, 'x');
  // curl stops sending when the answer comes early, as a browser would.
  auto r = curl("http://127.0.0.1:" + std::to_string(lk.http_port()) + "/upload",
                {"-H", "Content-Type: text/plain", "--data-binary", "@" + big.string()});
  CHECK(r.status == 413);
  CHECK(r.body == R"({"message":"Request Entity Too Large"})");
  CHECK(lk.log().find("START RequestId") == std::string::npos);
}

TEST_CASE("payload 1.0: an HTTP API route with format 1.0 and a REST API route on the same listener") {
  lambkin_instance lk(main_template());
  const auto base = "http://127.0.0.1:" + std::to_string(lk.http_port());
  auto r = curl(base + "/v1/7?q=a&q=b", {"-H", "X-Multi: one", "-H", "X-Multi: two"});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto e = boost::json::parse(r.body);
  CHECK(keys_of(e) == std::set<std::string>{"version", "resource", "path", "httpMethod", "headers",
                                            "multiValueHeaders", "queryStringParameters",
                                            "multiValueQueryStringParameters", "requestContext", "pathParameters",
                                            "stageVariables", "body", "isBase64Encoded"});
  CHECK(str(e.at("version")) == "1.0");
  CHECK(str(e.at("resource")) == "/v1/{id}");
  CHECK(str(e.at("headers").at("x-multi")) == "two");
  CHECK(e.at("multiValueHeaders").at("x-multi") == boost::json::parse(R"(["one","two"])"));
  CHECK(str(e.at("queryStringParameters").at("q")) == "b");
  CHECK(e.at("multiValueQueryStringParameters").at("q") == boost::json::parse(R"(["a","b"])"));
  CHECK(e.at("body").is_null());
  CHECK(str(e.at("requestContext").at("resourceId")) == "GET /v1/{id}");

  r = curl(base + "/rest/9", {"-H", "X-Case: Kept"});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.headers.find("x-amzn-requestid: ") != std::string::npos);
  e = boost::json::parse(r.body);
  CHECK_FALSE(e.as_object().contains("version"));
  CHECK(str(e.at("headers").at("X-Case")) == "Kept");
  CHECK(e.at("queryStringParameters").is_null());
  CHECK(e.at("pathParameters") == boost::json::parse(R"({"id":"9"})"));
  CHECK(str(e.at("requestContext").at("stage")) == "Prod");
  CHECK(str(e.at("requestContext").at("path")) == "/Prod/rest/9");
  CHECK(str(e.at("requestContext").at("requestId")).size() == 36);
}

TEST_CASE("REST API: strict responses give 502, unknown paths 403, and Cors answers OPTIONS") {
  std::string events = "      Events:\n";
  events += http_event("Get", "Api", "GET", "/things/{id}", "            RestApiId: !Ref Shop\n");
  events += http_event("Post", "Api", "POST", "/things/{id}", "            RestApiId: !Ref Shop\n");
  auto t = template_for({{"Api", "nodejs20.x", "index.handler", data + "node-http-echo", events}});
  t += "  Shop:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: dev\n"
       "      Cors:\n        AllowOrigin: \"'https://shop.example'\"\n        AllowHeaders: \"'content-type'\"\n";
  lambkin_instance lk(t);
  const auto base = "http://127.0.0.1:" + std::to_string(lk.http_port());
  auto r = curl(base + "/things/1?mode=object");  // no statusCode: REST does not infer
  CHECK(r.status == 502);
  CHECK(r.body == R"({"message": "Internal server error"})");
  r = curl(base + "/things/1?mode=error");
  CHECK(r.status == 502);
  r = curl(base + "/things/1?mode=binary");  // no binary media types: the base64 text as it is
  CHECK(r.status == 200);
  CHECK(r.body == "iVBORwD/");
  r = curl(base + "/elsewhere");
  CHECK(r.status == 403);
  CHECK(r.body == R"({"message":"Missing Authentication Token"})");
  r = curl(base + "/things/1", {"-X", "OPTIONS", "-H", "Origin: https://shop.example", "-H",
                                "Access-Control-Request-Method: POST"});
  CHECK(r.status == 200);
  CHECK(r.headers.find("access-control-allow-origin: https://shop.example") != std::string::npos);
  CHECK(r.headers.find("access-control-allow-methods: get,post,options") != std::string::npos);
  CHECK(r.headers.find("access-control-allow-headers: content-type") != std::string::npos);
  r = curl(base + "/things/1?mode=plain", {"-H", "Origin: https://shop.example"});
  CHECK(r.headers.find("access-control-") == std::string::npos);  // the function's business on REST
}

TEST_CASE("HTTP API CORS: preflights answered by the gateway, function CORS headers replaced, $default route") {
  std::string events = "      Events:\n        Default:\n          Type: HttpApi\n          Properties:\n"
                       "            ApiId: !Ref Site\n";
  auto t = template_for({{"Api", "nodejs20.x", "index.handler", data + "node-http-echo", events}});
  t += "  Site:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration:\n"
       "        AllowOrigins: [https://app.example]\n        AllowMethods: [GET, POST]\n"
       "        AllowHeaders: [content-type]\n        ExposeHeaders: [x-echo]\n        MaxAge: 600\n";
  lambkin_instance lk(t);
  const auto base = "http://127.0.0.1:" + std::to_string(lk.http_port());
  auto r = curl(base + "/any/path", {"-X", "OPTIONS", "-H", "Origin: https://app.example", "-H",
                                     "Access-Control-Request-Method: POST"});
  CHECK(r.status == 204);
  CHECK(r.headers.find("access-control-allow-origin: https://app.example") != std::string::npos);
  CHECK(r.headers.find("access-control-allow-methods: get,post") != std::string::npos);
  CHECK(r.headers.find("access-control-max-age: 600") != std::string::npos);
  CHECK(lk.log().find("START RequestId") == std::string::npos);  // never reached the function

  r = curl(base + "/x?mode=cors", {"-H", "Origin: https://app.example"});
  CHECK(r.status == 200);
  CHECK(r.body == "cors");
  CHECK(r.headers.find("access-control-allow-origin: https://app.example") != std::string::npos);
  CHECK(r.headers.find("evil.example") == std::string::npos);
  CHECK(r.headers.find("access-control-expose-headers: x-echo") != std::string::npos);

  r = curl(base + "/some/where?k=v");
  const auto e = boost::json::parse(r.body);
  CHECK(str(e.at("routeKey")) == "$default");
  CHECK(str(e.at("rawPath")) == "/some/where");
}
