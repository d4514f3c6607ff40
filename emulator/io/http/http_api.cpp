#include "emulator/io/http/http_api.hpp"

#include "emulator/core/http/cors.hpp"
#include "emulator/core/http/gateway_event.hpp"
#include "emulator/core/http/gateway_response.hpp"
#include "emulator/core/http/route_table.hpp"
#include "emulator/core/lambda/request_ids.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/http/http_api_invoke.hpp"
#include "emulator/io/log.hpp"
#include "lambkin/clock.hpp"

#include <random>

namespace lambkin::io::http {
namespace gw = lambkin::http;
namespace bhttp = beast::http;

struct http_api::impl {
  lambda::lambda_service& service;
  const config::template_config& tmpl;
  http_api_options options;
  gw::route_table routes;
  lambkin::lambda::splitmix64 rng{std::random_device{}()};
  /// Unmatched requests answer as this kind of API: REST only when the template has no HTTP API.
  config::api_kind fallback_kind = config::api_kind::rest;
  std::shared_ptr<spdlog::logger> log = logger("http");

  impl(lambda::lambda_service& s, const config::template_config& t, http_api_options o)
      : service(s), tmpl(t), options(std::move(o)), routes(t.routes) {
    for (const auto& r : t.routes)
      if (r.kind == config::api_kind::http) fallback_kind = config::api_kind::http;
  }

  const config::api_config* api_of(const config::route_config& r) const { return tmpl.find_api(r.api_id); }

  /// The CORS preflight answer, when `req` is one that an API with CORS answers itself.
  std::optional<gw::gateway_response> preflight(const gw::api_request& req) const {
    if (!gw::is_preflight(req)) return std::nullopt;
    for (const auto& api : tmpl.apis)
      if (api.kind == config::api_kind::http && api.cors) return gw::http_api_preflight(*api.cors, req);
    std::vector<std::string> methods;
    const config::api_config* rest = nullptr;
    for (const auto* e : routes.routes_for_path(req.raw_path)) {
      const auto* api = api_of(e->config);
      if (!api || api->kind != config::api_kind::rest || !api->cors) continue;
      rest = api;
      methods.push_back(e->config.method);
    }
    if (rest) return gw::rest_preflight(*rest->cors, methods);
    return std::nullopt;
  }
};

namespace {

gw::api_request describe(const request& req, const std::string& source_ip,
                         const std::shared_ptr<const gw::client_certificate>& cert) {
  gw::api_request out;
  out.method = std::string(req.method_string());
  const auto [path, query] = text::split_target(std::string_view(req.target().data(), req.target().size()));
  out.raw_path = std::string(path);
  out.raw_query = std::string(query);
  for (const auto& field : req) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = req.body();
  out.source_ip = source_ip;
  if (cert) out.client_cert = *cert;
  out.protocol = req.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  return out;
}

bool hop_by_hop(std::string_view name) {
  const auto l = gw::lower(name);
  return l == "content-length" || l == "transfer-encoding" || l == "connection" || l == "keep-alive";
}

response to_beast(const request& req, const gw::gateway_response& g) {
  response res{static_cast<bhttp::status>(g.status), req.version()};
  for (const auto& [k, v] : g.headers)
    if (!hop_by_hop(k)) res.insert(k, v);
  res.keep_alive(req.keep_alive());
  res.body() = g.body;
  res.prepare_payload();
  return res;
}

/// `localhost:3000` → `localhost`, `[::1]:3000` → `[::1]`.
std::string host_without_port(std::string host) {
  const auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']', colon) == std::string::npos) host.resize(colon);
  return host;
}

epoch_ms wall_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

http_api::http_api(lambda::lambda_service& service, const config::template_config& tmpl, http_api_options options)
    : impl_(std::make_unique<impl>(service, tmpl, std::move(options))) {}

http_api::~http_api() = default;

server_options http_api::make_server_options() {
  server_options o;
  o.body_limit = max_api_request_body;
  const auto kind = impl_->fallback_kind;
  o.on_body_too_large = [kind](const request& head) {
    return to_beast(head, gw::error_response(kind, gw::gateway_failure::body_too_large));
  };
  o.with_peer = [this](request req, const peer_info& peer) { return handle(std::move(req), peer); };
  return o;
}

net::awaitable<response> http_api::handle(request req, const peer_info& peer) {
  auto& s = *impl_;
  const auto started = lambkin::clock::now();
  const auto a = describe(req, peer.address.empty() ? s.options.source_ip : peer.address, peer.certificate);

  std::string route_key = "-", function = "-";
  gw::gateway_response answer;
  std::string request_id_header, request_id;
  if (auto pre = s.preflight(a)) {
    answer = std::move(*pre);
    route_key = "preflight";
  } else if (auto match = s.routes.match(a.method, a.raw_path); !match) {
    answer = gw::error_response(s.fallback_kind, gw::gateway_failure::no_route);
  } else {
    const auto& route = match->route->config;
    const auto* api = s.api_of(route);
    route_key = match->route->route_key;
    function = route.function.value();

    gw::gateway_context ctx;
    ctx.api_id = gw::make_api_id(route.api_id);
    ctx.stage = api ? api->stage_name : (route.kind == config::api_kind::http ? "$default" : "Prod");
    ctx.account_id = s.service.settings().account_id;
    ctx.domain_name = host_without_port(gw::find_header(a.headers, "host").value_or("localhost"));
    ctx.extended_request_id = gw::make_gateway_request_id(s.rng);
    ctx.request_id =
        route.kind == config::api_kind::http ? ctx.extended_request_id : lambkin::lambda::make_request_id(s.rng);
    ctx.time = wall_now();
    ctx.port = port_;
    ctx.proto = scheme_;
    request_id = ctx.request_id;
    request_id_header = route.kind == config::api_kind::http ? "apigw-requestid" : "x-amzn-RequestId";

    const auto timeout = route.kind == config::api_kind::http ? s.options.http_timeout : s.options.rest_timeout;
    answer = co_await invoke_route(s.service, route, gw::make_event(a, *match, ctx), timeout);
    if (route.kind == config::api_kind::http && api && api->cors) gw::apply_http_api_cors(*api->cors, a, answer);
  }

  auto res = to_beast(req, answer);
  if (!request_id_header.empty()) res.set(request_id_header, request_id);
  s.log->debug("{} {} -> {} {} {} ({:.1f} ms)", a.method, std::string_view(req.target().data(), req.target().size()),
               route_key, function, answer.status, to_ms(lambkin::clock::now() - started));
  co_return res;
}

}  // namespace lambkin::io::http
