#include "emulator/core/http/gateway_event.hpp"
#include "emulator/core/http/json_reader.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::http;

namespace {

config::route_config route(std::string method, std::string path, config::api_kind kind = config::api_kind::http,
                           std::string format = "2.0") {
  config::route_config r;
  r.api_id = kind == config::api_kind::http ? "ServerlessHttpApi" : "ServerlessRestApi";
  r.kind = kind;
  r.method = std::move(method);
  r.path = std::move(path);
  r.payload_format = std::move(format);
  r.function = function_name{"F"};
  return r;
}

gateway_context context(std::string stage = "$default") {
  gateway_context c;
  c.api_id = "abcdefghij";
  c.stage = std::move(stage);
  c.account_id = "123456789012";
  c.domain_name = "localhost";
  c.request_id = "JKJaXmPLvHcESHA=";
  c.extended_request_id = "JKJaXmPLvHcESHA=";
  c.time = 1583348638390;  // 04/Mar/2020:19:03:58 +0000
  c.port = 3000;
  return c;
}

api_request get(std::string path, std::string query = {}) {
  api_request r;
  r.method = "GET";
  r.raw_path = std::move(path);
  r.raw_query = std::move(query);
  r.source_ip = "127.0.0.1";
  r.headers = {{"Host", "localhost:3000"}, {"User-Agent", "curl/7.88.1"}};
  return r;
}

json_value event_for(const route_table& t, const api_request& req, const gateway_context& ctx) {
  auto m = t.match(req.method, req.raw_path);
  REQUIRE(m);
  auto doc = parse_json(make_event(req, *m, ctx));
  REQUIRE(doc);
  return *doc;
}

}  // namespace

TEST_CASE("payload 2.0: a GET without body, query or cookies, exactly") {
  route_table t({route("GET", "/items/{id}")});
  const auto req = get("/items/42");
  auto m = t.match("GET", "/items/42");
  REQUIRE(m);
  CHECK(make_event_v2(req, *m, context()) ==
        R"({"version":"2.0","routeKey":"GET /items/{id}","rawPath":"/items/42","rawQueryString":"",)"
        R"("headers":{"host":"localhost:3000","user-agent":"curl/7.88.1","x-forwarded-for":"127.0.0.1",)"
        R"("x-forwarded-port":"3000","x-forwarded-proto":"http"},)"
        R"("requestContext":{"accountId":"123456789012","apiId":"abcdefghij","domainName":"localhost",)"
        R"("domainPrefix":"localhost","http":{"method":"GET","path":"/items/42","protocol":"HTTP/1.1",)"
        R"("sourceIp":"127.0.0.1","userAgent":"curl/7.88.1"},"requestId":"JKJaXmPLvHcESHA=",)"
        R"("routeKey":"GET /items/{id}","stage":"$default","time":"04/Mar/2020:19:03:58 +0000",)"
        R"("timeEpoch":1583348638390},"pathParameters":{"id":"42"},"isBase64Encoded":false})");
}

TEST_CASE("payload 2.0: repeated headers and query parameters are joined with commas, cookies split out") {
  route_table t({route("ANY", "$default")});
  auto req = get("/a%20b", "x=1&x=2&y=caf%C3%A9&flag");
  req.headers.emplace_back("X-Multi", "one");
  req.headers.emplace_back("x-multi", "two");
  req.headers.emplace_back("Cookie", "a=1; b=2");
  req.headers.emplace_back("Cookie", "c=3");
  req.headers.emplace_back("X-Forwarded-For", "10.0.0.1");
  const auto e = event_for(t, req, context());
  CHECK(e.find("routeKey")->text == "$default");
  CHECK(e.find("rawPath")->text == "/a%20b");
  CHECK(e.find("rawQueryString")->text == "x=1&x=2&y=caf%C3%A9&flag");
  const auto* headers = e.find("headers");
  CHECK(headers->find("x-multi")->text == "one,two");
  CHECK_FALSE(headers->find("cookie"));
  CHECK(headers->find("x-forwarded-for")->text == "10.0.0.1, 127.0.0.1");
  const auto* cookies = e.find("cookies");
  REQUIRE(cookies);
  REQUIRE(cookies->items.size() == 3);
  CHECK(cookies->items[0].text == "a=1");
  CHECK(cookies->items[1].text == "b=2");
  CHECK(cookies->items[2].text == "c=3");
  const auto* q = e.find("queryStringParameters");
  CHECK(q->find("x")->text == "1,2");
  CHECK(q->find("y")->text == "caf\xC3\xA9");
  CHECK(q->find("flag")->text == "");
  CHECK_FALSE(e.find("pathParameters"));
  CHECK_FALSE(e.find("body"));
  CHECK(e.find("requestContext")->find("routeKey")->text == "$default");
}

TEST_CASE("payload 2.0: text bodies pass as they are, everything else is base64") {
  route_table t({route("POST", "/upload")});
  auto req = get("/upload");
  req.method = "POST";
  req.body = "{\"a\":1}";
  req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  auto e = event_for(t, req, context());
  CHECK(e.find("body")->text == "{\"a\":1}");
  CHECK_FALSE(e.find("isBase64Encoded")->boolean);

  req.headers.back().second = "application/octet-stream";
  req.body = std::string("\x00\xFF\x10", 3);
  e = event_for(t, req, context());
  CHECK(e.find("body")->text == "AP8Q");
  CHECK(e.find("isBase64Encoded")->boolean);

  req.headers.pop_back();  // no Content-Type: binary too
  req.body = "plain";
  e = event_for(t, req, context());
  CHECK(e.find("body")->text == "cGxhaW4=");
  CHECK(e.find("isBase64Encoded")->boolean);

  req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  e = event_for(t, req, context());
  CHECK(e.find("isBase64Encoded")->boolean);
  req.headers.back().second = "Text/Plain";
  e = event_for(t, req, context());
  CHECK(e.find("body")->text == "plain");
}

TEST_CASE("payload 1.0 on a REST API: case kept, last and all values, nulls, stage in the path") {
  route_table t({route("POST", "/hello/{proxy+}", config::api_kind::rest, "1.0")});
  auto req = get("/hello/world", "name=me&name=you");
  req.method = "POST";
  req.headers.emplace_back("X-Multi", "one");
  req.headers.emplace_back("X-Multi", "two");
  req.headers.emplace_back("Content-Type", "application/octet-stream");
  req.body = "raw text";
  const auto e = event_for(t, req, context("Prod"));
  CHECK_FALSE(e.find("version"));
  CHECK(e.find("resource")->text == "/hello/{proxy+}");
  CHECK(e.find("path")->text == "/hello/world");
  CHECK(e.find("httpMethod")->text == "POST");
  CHECK(e.find("headers")->find("X-Multi")->text == "two");
  CHECK(e.find("headers")->find("User-Agent")->text == "curl/7.88.1");
  REQUIRE(e.find("multiValueHeaders")->find("X-Multi")->items.size() == 2);
  CHECK(e.find("queryStringParameters")->find("name")->text == "you");
  CHECK(e.find("multiValueQueryStringParameters")->find("name")->items[0].text == "me");
  CHECK(e.find("pathParameters")->find("proxy")->text == "world");
  CHECK(e.find("stageVariables")->type == json_value::kind::null);
  CHECK(e.find("body")->text == "raw text");
  CHECK_FALSE(e.find("isBase64Encoded")->boolean);
  const auto* rc = e.find("requestContext");
  CHECK(rc->find("path")->text == "/Prod/hello/world");
  CHECK(rc->find("stage")->text == "Prod");
  CHECK(rc->find("resourcePath")->text == "/hello/{proxy+}");
  CHECK(rc->find("resourceId")->text.size() == 6);
  CHECK(rc->find("requestTime")->text == "04/Mar/2020:19:03:58 +0000");
  CHECK(rc->find("requestTimeEpoch")->as_integer() == 1583348638390);
  CHECK(rc->find("identity")->find("sourceIp")->text == "127.0.0.1");
  CHECK(rc->find("identity")->find("cognitoIdentityId")->type == json_value::kind::null);
}

TEST_CASE("payload 1.0 on a REST API: no query, no path parameters, no body are null, bodies not UTF-8 are base64") {
  route_table t({route("GET", "/plain", config::api_kind::rest, "1.0")});
  auto req = get("/plain");
  auto e = event_for(t, req, context("Prod"));
  CHECK(e.find("queryStringParameters")->type == json_value::kind::null);
  CHECK(e.find("multiValueQueryStringParameters")->type == json_value::kind::null);
  CHECK(e.find("pathParameters")->type == json_value::kind::null);
  CHECK(e.find("body")->type == json_value::kind::null);
  req.body = "\xFF\xFE";
  e = event_for(t, req, context("Prod"));
  CHECK(e.find("body")->text == "//4=");
  CHECK(e.find("isBase64Encoded")->boolean);
}

TEST_CASE("payload 1.0 on an HTTP API: version, lower-case headers, routeKey as resourceId") {
  route_table t({route("GET", "/v1/{id}", config::api_kind::http, "1.0")});
  const auto e = event_for(t, get("/v1/7"), context());
  CHECK(e.find("version")->text == "1.0");
  CHECK(e.find("headers")->find("user-agent")->text == "curl/7.88.1");
  CHECK(e.find("requestContext")->find("resourceId")->text == "GET /v1/{id}");
  CHECK(e.find("requestContext")->find("path")->text == "/v1/7");
}

TEST_CASE("mutual TLS: the client certificate is requestContext.authentication.clientCert (2.0), identity.clientCert (1.0)") {
  client_certificate cert;
  cert.pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  cert.subject_dn = "CN=dev-1,O=lambkin";
  cert.issuer_dn = "CN=lambkin local CA";
  cert.serial_number = "0a:1b";
  cert.not_before = "May 28 12:30:02 2019 GMT";
  cert.not_after = "Aug  5 09:36:04 2021 GMT";
  auto req = get("/items/42");
  req.client_cert = cert;
  const std::string expected_cert =
      R"({"clientCertPem":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",)"
      R"("subjectDN":"CN=dev-1,O=lambkin","issuerDN":"CN=lambkin local CA","serialNumber":"0a:1b",)"
      R"("validity":{"notBefore":"May 28 12:30:02 2019 GMT","notAfter":"Aug  5 09:36:04 2021 GMT"}})";

  route_table v2({route("GET", "/items/{id}")});
  auto m = v2.match("GET", "/items/42");
  REQUIRE(m);
  const auto text = make_event_v2(req, *m, context());
  CHECK(text.find(R"("apiId":"abcdefghij","authentication":{"clientCert":)" + expected_cert + R"(},"domainName")") !=
        std::string::npos);

  route_table rest({route("GET", "/items/{id}", config::api_kind::rest, "1.0")});
  const auto e = event_for(rest, req, context("Prod"));
  const auto* c = e.find("requestContext")->find("identity")->find("clientCert");
  REQUIRE(c);
  CHECK(c->find("subjectDN")->text == "CN=dev-1,O=lambkin");
  CHECK(c->find("serialNumber")->text == "0a:1b");
  CHECK(c->find("validity")->find("notAfter")->text == "Aug  5 09:36:04 2021 GMT");
  CHECK(c->find("clientCertPem")->text == cert.pem);

  // Without mutual TLS neither appears.
  const auto plain = make_event_v2(get("/items/42"), *m, context());
  CHECK(plain.find("authentication") == std::string::npos);
  CHECK_FALSE(event_for(rest, get("/items/42"), context("Prod")).find("requestContext")->find("identity")->find("clientCert"));
}

TEST_CASE("helpers: content types, request time, API ids, request ids") {
  CHECK(is_text_content_type("text/html"));
  CHECK(is_text_content_type(" application/JSON ; charset=utf-8"));
  CHECK(is_text_content_type("application/xml"));
  CHECK(is_text_content_type("application/javascript"));
  CHECK_FALSE(is_text_content_type("application/octet-stream"));
  CHECK_FALSE(is_text_content_type("image/png"));
  CHECK_FALSE(is_text_content_type(""));
  CHECK(format_request_time(0) == "01/Jan/1970:00:00:00 +0000");
  CHECK(make_api_id("ServerlessHttpApi") == make_api_id("ServerlessHttpApi"));
  CHECK(make_api_id("ServerlessHttpApi") != make_api_id("ServerlessRestApi"));
  CHECK(make_api_id("X").size() == 10);
  lambda::splitmix64 rng(1);
  const auto id = make_gateway_request_id(rng);
  CHECK(id.size() == 16);
  CHECK(id.back() == '=');
  CHECK(find_header({{"A", "1"}, {"a", "2"}}, "A") == "2");
  CHECK_FALSE(find_header({}, "a"));
}
