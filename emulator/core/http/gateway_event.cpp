#include "emulator/core/http/gateway_event.hpp"

#include "emulator/core/http/json_writer.hpp"
#include "emulator/core/text/base64.hpp"
#include "emulator/core/text/url.hpp"


namespace lambkin::http {
namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

/// Names in first-seen order, each with every value it had.
struct multi_map {
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;

  void add(const std::string& name, std::string value) {
    for (auto& [k, values] : entries)
      if (k == name) {
        values.push_back(std::move(value));
        return;
      }
    entries.push_back({name, {std::move(value)}});
  }
  std::string joined(char sep) const {
    json_writer w;
    for (const auto& [k, values] : entries) {
      std::string v;
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) v += sep;
        v += values[i];
      }
      w.string(k, v);
    }
    return w.finish();
  }
  std::string last() const {
    json_writer w;
    for (const auto& [k, values] : entries) w.string(k, values.back());
    return w.finish();
  }
  std::string all() const {
    json_writer w;
    for (const auto& [k, values] : entries) {
      json_writer list(true);
      for (const auto& v : values) list.string({}, v);
      w.raw(k, list.finish());
    }
    return w.finish();
  }
};

/// The request's headers plus API Gateway's x-forwarded-*; `lowercase` for HTTP APIs.
multi_map gateway_headers(const api_request& req, const gateway_context& ctx, bool lowercase, bool drop_cookies) {
  multi_map m;
  bool forwarded_for = false, forwarded_port = false, forwarded_proto = false;
  for (const auto& [k, v] : req.headers) {
    const auto l = lower(k);
    if (drop_cookies && l == "cookie") continue;
    if (l == "x-forwarded-for") {
      forwarded_for = true;
      m.add(lowercase ? l : k, v + ", " + req.source_ip);
      continue;
    }
    forwarded_port = forwarded_port || l == "x-forwarded-port";
    forwarded_proto = forwarded_proto || l == "x-forwarded-proto";
    m.add(lowercase ? l : k, v);
  }
  if (!forwarded_for) m.add(lowercase ? "x-forwarded-for" : "X-Forwarded-For", req.source_ip);
  if (!forwarded_port) m.add(lowercase ? "x-forwarded-port" : "X-Forwarded-Port", std::to_string(ctx.port));
  if (!forwarded_proto) m.add(lowercase ? "x-forwarded-proto" : "X-Forwarded-Proto", ctx.proto);
  return m;
}

multi_map query_parameters(std::string_view raw_query) {
  multi_map m;
  for (auto& [k, v] : text::parse_query(raw_query)) m.add(k, std::move(v));
  return m;
}

std::vector<std::string> cookies_of(const api_request& req) {
  std::vector<std::string> out;
  for (const auto& [k, v] : req.headers) {
    if (lower(k) != "cookie") continue;
    std::size_t start = 0;
    while (start <= v.size()) {
      auto end = v.find(';', start);
      if (end == std::string::npos) end = v.size();
      auto item = std::string_view(v).substr(start, end - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.emplace_back(item);
      start = end + 1;
    }
  }
  return out;
}

/// The body as the event carries it, and whether it is base64.
std::pair<std::string, bool> event_body(const api_request& req, bool http_api) {
  if (http_api) {
    const auto type = find_header(req.headers, "content-type");
    if (type && is_text_content_type(*type)) return {req.body, false};
    return {text::base64_encode(req.body), true};
  }
  if (is_utf8(req.body)) return {req.body, false};
  return {text::base64_encode(req.body), true};
}

std::string string_object(const pairs& p) {
  json_writer w;
  for (const auto& [k, v] : p) w.string(k, v);
  return w.finish();
}

std::string domain_prefix(const std::string& domain) { return domain.substr(0, domain.find('.')); }

/// A 6-character REST resource id, stable for a resource path.
std::string resource_id(std::string_view path) {
  const auto id = make_api_id(path);
  return id.substr(0, 6);
}

std::string client_cert_json(const client_certificate& c) {
  json_writer validity;
  validity.string("notBefore", c.not_before).string("notAfter", c.not_after);
  json_writer w;
  w.string("clientCertPem", c.pem).string("subjectDN", c.subject_dn).string("issuerDN", c.issuer_dn);
  w.string("serialNumber", c.serial_number).raw("validity", validity.finish());
  return w.finish();
}

std::string identity(const api_request& req) {
  json_writer w;
  for (const char* k : {"accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
                        "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"})
    w.null(k);
  if (req.client_cert) w.raw("clientCert", client_cert_json(*req.client_cert));
  w.string("sourceIp", req.source_ip);
  w.null("user");
  w.string("userAgent", find_header(req.headers, "user-agent").value_or(""));
  w.null("userArn");
  return w.finish();
}

}  // namespace

std::string make_event_v2(const api_request& req, const route_match& route, const gateway_context& ctx) {
  const auto& key = route.route->route_key;
  json_writer w;
  w.string("version", "2.0").string("routeKey", key).string("rawPath", req.raw_path).string("rawQueryString", req.raw_query);
  if (const auto cookies = cookies_of(req); !cookies.empty()) {
    json_writer list(true);
    for (const auto& c : cookies) list.string({}, c);
    w.raw("cookies", list.finish());
  }
  w.raw("headers", gateway_headers(req, ctx, true, true).joined(','));
  if (const auto q = query_parameters(req.raw_query); !q.entries.empty()) w.raw("queryStringParameters", q.joined(','));

  json_writer http;
  http.string("method", req.method).string("path", req.raw_path).string("protocol", req.protocol);
  http.string("sourceIp", req.source_ip).string("userAgent", find_header(req.headers, "user-agent").value_or(""));
  json_writer rc;
  rc.string("accountId", ctx.account_id).string("apiId", ctx.api_id);
  if (req.client_cert)
    rc.raw("authentication", json_writer().raw("clientCert", client_cert_json(*req.client_cert)).finish());
  rc.string("domainName", ctx.domain_name);
  rc.string("domainPrefix", domain_prefix(ctx.domain_name)).raw("http", http.finish());
  rc.string("requestId", ctx.request_id).string("routeKey", key).string("stage", ctx.stage);
  rc.string("time", format_request_time(ctx.time)).number("timeEpoch", ctx.time);
  w.raw("requestContext", rc.finish());

  if (!route.path_parameters.empty()) w.raw("pathParameters", string_object(route.path_parameters));
  if (!req.body.empty()) {
    auto [body, base64] = event_body(req, true);
    w.string("body", body).boolean("isBase64Encoded", base64);
  } else {
    w.boolean("isBase64Encoded", false);
  }
  return w.finish();
}

std::string make_event_v1(const api_request& req, const route_match& route, const gateway_context& ctx,
                          config::api_kind kind) {
  const bool http_api = kind == config::api_kind::http;
  const auto& r = *route.route;
  const std::string resource = r.is_default ? "$default" : r.config.path;
  json_writer w;
  if (http_api) w.string("version", "1.0");
  w.string("resource", resource).string("path", req.raw_path).string("httpMethod", req.method);
  const auto headers = gateway_headers(req, ctx, http_api, false);
  w.raw("headers", headers.last()).raw("multiValueHeaders", headers.all());
  if (const auto q = query_parameters(req.raw_query); !q.entries.empty())
    w.raw("queryStringParameters", q.last()).raw("multiValueQueryStringParameters", q.all());
  else
    w.null("queryStringParameters").null("multiValueQueryStringParameters");

  json_writer rc;
  rc.string("accountId", ctx.account_id).string("apiId", ctx.api_id).string("domainName", ctx.domain_name);
  rc.string("domainPrefix", domain_prefix(ctx.domain_name)).string("extendedRequestId", ctx.extended_request_id);
  rc.string("httpMethod", req.method).raw("identity", identity(req));
  rc.string("path", http_api ? req.raw_path : "/" + ctx.stage + req.raw_path).string("protocol", req.protocol);
  rc.string("requestId", ctx.request_id).string("requestTime", format_request_time(ctx.time));
  rc.number("requestTimeEpoch", ctx.time);
  rc.string("resourceId", http_api ? r.route_key : resource_id(resource)).string("resourcePath", resource);
  rc.string("stage", ctx.stage);
  w.raw("requestContext", rc.finish());

  if (!route.path_parameters.empty())
    w.raw("pathParameters", string_object(route.path_parameters));
  else
    w.null("pathParameters");
  w.null("stageVariables");
  if (req.body.empty()) {
    w.null("body").boolean("isBase64Encoded", false);
  } else {
    auto [body, base64] = event_body(req, http_api);
    w.string("body", body).boolean("isBase64Encoded", base64);
  }
  return w.finish();
}

std::string make_event(const api_request& req, const route_match& route, const gateway_context& ctx) {
  const auto& c = route.route->config;
  if (c.kind == config::api_kind::http && c.payload_format == "2.0") return make_event_v2(req, route, ctx);
  return make_event_v1(req, route, ctx, c.kind);
}

}  // namespace lambkin::http
