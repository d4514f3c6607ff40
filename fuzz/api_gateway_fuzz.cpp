// libFuzzer target for API Gateway's request and response mapping (emulator/core/http), driven as
// the HTTP API listener drives it (http_api.cpp) but without a function: the input is parsed as
// HTTP/1.1 requests (http_input.hpp); each is described as an api_request, checked for a CORS
// preflight, matched against a route table of HTTP API and REST routes, turned into the proxy
// event of every payload format, and its body is also mapped back as if it were the function's
// response (2.0 and 1.0, HTTP API and REST), with the HTTP API's CORS headers applied.
// Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./api_gateway_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/api_gateway
#include "emulator/core/http/cors.hpp"
#include "emulator/core/http/gateway_event.hpp"
#include "emulator/core/http/gateway_response.hpp"
#include "emulator/core/http/route_table.hpp"
#include "emulator/core/text/url.hpp"
#include "fuzz/http_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace gw = lambkin::http;
namespace config = lambkin::config;

config::route_config route(config::api_kind kind, std::string method, std::string path, std::string format) {
  config::route_config r;
  r.api_id = kind == config::api_kind::http ? "ServerlessHttpApi" : "ServerlessRestApi";
  r.kind = kind;
  r.method = std::move(method);
  r.path = std::move(path);
  r.payload_format = std::move(format);
  r.function = lambkin::function_name{std::string("Fn")};
  return r;
}

const gw::route_table& routes() {
  static const gw::route_table table(std::vector<config::route_config>{
      route(config::api_kind::http, "GET", "/items/{id}", "2.0"),
      route(config::api_kind::http, "POST", "/items", "1.0"),
      route(config::api_kind::http, "ANY", "/files/{path+}", "2.0"),
      route(config::api_kind::rest, "GET", "/pets/{type}/{id}", "1.0"),
      route(config::api_kind::rest, "ANY", "/{proxy+}", "1.0"),
      route(config::api_kind::http, "ANY", "$default", "2.0"),
  });
  return table;
}

const config::cors_config& cors() {
  static const config::cors_config c{{"https://example.com", "*"}, {"GET", "POST"}, {"content-type", "x-api-key"},
                                     {"x-request-id"}, 300, false};
  return c;
}

gw::api_request describe(const lambkin::io::http::request& req) {
  gw::api_request out;
  out.method = std::string(req.method_string());
  const auto [path, query] = lambkin::text::split_target(std::string_view(req.target().data(), req.target().size()));
  out.raw_path = std::string(path);
  out.raw_query = std::string(query);
  for (const auto& field : req) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = req.body();
  out.source_ip = "127.0.0.1";
  out.protocol = req.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const auto& req : lambkin::fuzz::parse_requests(bytes, 64 * 1024, 4)) {
    const auto a = describe(req);
    if (gw::is_preflight(a)) {
      (void)gw::http_api_preflight(cors(), a);
      std::vector<std::string> methods;
      for (const auto* e : routes().routes_for_path(a.raw_path)) methods.push_back(e->config.method);
      (void)gw::rest_preflight(cors(), methods);
    }
    gw::gateway_context ctx;
    ctx.api_id = gw::make_api_id("ServerlessHttpApi");
    ctx.stage = "$default";
    ctx.account_id = "123456789012";
    ctx.domain_name = gw::find_header(a.headers, "host").value_or("localhost");
    ctx.request_id = "JKJaXmPLvHcESHA=";
    ctx.extended_request_id = ctx.request_id;
    ctx.time = 1'700'000'000'000;
    ctx.port = 3000;
    if (auto match = routes().match(a.method, a.raw_path)) {
      (void)gw::make_event(a, *match, ctx);
      (void)gw::make_event_v2(a, *match, ctx);
      (void)gw::make_event_v1(a, *match, ctx, config::api_kind::http);
      (void)gw::make_event_v1(a, *match, ctx, config::api_kind::rest);
    }
    // The body as a function's answer.
    for (auto kind : {config::api_kind::http, config::api_kind::rest})
      for (std::string_view format : {"2.0", "1.0"})
        if (auto mapped = gw::map_response(a.body, kind, format)) gw::apply_http_api_cors(cors(), a, *mapped);
    (void)gw::map_response_v1(a.body, false);
  }
  return 0;
}
