#include "emulator/core/http/cors.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::http;

namespace {

std::string header(const gateway_response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (lower(k) == lower(name)) return v;
  return "-";
}

api_request preflight(std::string origin, std::string method) {
  api_request r;
  r.method = "OPTIONS";
  r.raw_path = "/items";
  r.headers = {{"Origin", std::move(origin)}, {"Access-Control-Request-Method", std::move(method)}};
  return r;
}

config::cors_config cors(std::vector<std::string> origins) {
  config::cors_config c;
  c.allow_origins = std::move(origins);
  c.allow_methods = {"GET", "POST"};
  c.allow_headers = {"content-type", "authorization"};
  c.expose_headers = {"x-request-id"};
  c.max_age = 300;
  return c;
}

}  // namespace

TEST_CASE("a preflight is OPTIONS with Origin and Access-Control-Request-Method") {
  CHECK(is_preflight(preflight("https://a.example", "GET")));
  auto plain = preflight("https://a.example", "GET");
  plain.headers.pop_back();
  CHECK_FALSE(is_preflight(plain));
  auto post = preflight("https://a.example", "GET");
  post.method = "POST";
  CHECK_FALSE(is_preflight(post));
}

TEST_CASE("HTTP API preflight: 204 with the configured headers for an allowed origin and method") {
  const auto r = http_api_preflight(cors({"https://a.example"}), preflight("https://a.example", "post"));
  CHECK(r.status == 204);
  CHECK(header(r, "access-control-allow-origin") == "https://a.example");
  CHECK(header(r, "access-control-allow-methods") == "GET,POST");
  CHECK(header(r, "access-control-allow-headers") == "content-type,authorization");
  CHECK(header(r, "access-control-max-age") == "300");
  CHECK(header(r, "access-control-allow-credentials") == "-");
}

TEST_CASE("HTTP API preflight: no CORS headers for another origin or method") {
  auto r = http_api_preflight(cors({"https://a.example"}), preflight("https://b.example", "GET"));
  CHECK(r.status == 204);
  CHECK(r.headers.empty());
  r = http_api_preflight(cors({"https://a.example"}), preflight("https://a.example", "DELETE"));
  CHECK(r.headers.empty());
}

TEST_CASE("HTTP API origins: *, scheme wildcards, credentials echo the origin") {
  auto c = cors({"*"});
  CHECK(header(http_api_preflight(c, preflight("http://x", "GET")), "access-control-allow-origin") == "*");
  c.allow_credentials = true;
  CHECK(header(http_api_preflight(c, preflight("http://x", "GET")), "access-control-allow-origin") == "http://x");
  c = cors({"https://*"});
  CHECK(header(http_api_preflight(c, preflight("https://y.example", "GET")), "access-control-allow-origin") ==
        "https://y.example");
  CHECK(http_api_preflight(c, preflight("http://y.example", "GET")).headers.empty());
}

TEST_CASE("HTTP API responses: the function's CORS headers are replaced by the configured ones") {
  gateway_response res;
  res.headers = {{"Access-Control-Allow-Origin", "https://evil.example"}, {"x-kept", "1"}};
  api_request req;
  req.method = "GET";
  req.headers = {{"origin", "https://a.example"}};
  apply_http_api_cors(cors({"https://a.example"}), req, res);
  CHECK(header(res, "access-control-allow-origin") == "https://a.example");
  CHECK(header(res, "access-control-expose-headers") == "x-request-id");
  CHECK(header(res, "x-kept") == "1");
  CHECK(res.headers.size() == 3);

  gateway_response no_origin;
  no_origin.headers = {{"access-control-allow-origin", "*"}};
  req.headers.clear();
  apply_http_api_cors(cors({"*"}), req, no_origin);
  CHECK(no_origin.headers.empty());
}

TEST_CASE("REST preflight: SAM's mock integration, methods defaulting to the path's") {
  config::cors_config c;
  c.allow_origins = {"*"};
  auto r = rest_preflight(c, {"GET", "POST", "GET"});
  CHECK(r.status == 200);
  CHECK(header(r, "Access-Control-Allow-Origin") == "*");
  CHECK(header(r, "Access-Control-Allow-Methods") == "GET,POST,OPTIONS");
  CHECK(header(r, "Access-Control-Allow-Headers") == "-");
  c.allow_methods = {"GET"};
  c.max_age = 600;
  r = rest_preflight(c, {"GET", "POST"});
  CHECK(header(r, "Access-Control-Allow-Methods") == "GET");
  CHECK(header(r, "Access-Control-Max-Age") == "600");
}
