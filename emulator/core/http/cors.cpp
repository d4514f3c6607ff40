#include "emulator/core/http/cors.hpp"

#include <algorithm>

namespace lambkin::http {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view v, bool case_insensitive) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& x) {
    return x == "*" || (case_insensitive ? lower(x) == lower(v) : x == v);
  });
}

/// The access-control-allow-origin value for `origin`, or empty when it is not allowed.
std::string allowed_origin(const config::cors_config& cors, const std::string& origin) {
  for (const auto& o : cors.allow_origins) {
    if (o == "*") return cors.allow_credentials ? origin : "*";
    if (o == origin) return origin;
    if ((o == "https://*" || o == "http://*") && origin.starts_with(o.substr(0, o.size() - 1))) return origin;
  }
  return {};
}

}  // namespace

bool is_preflight(const api_request& req) {
  return req.method == "OPTIONS" && find_header(req.headers, "origin") &&
         find_header(req.headers, "access-control-request-method");
}

gateway_response http_api_preflight(const config::cors_config& cors, const api_request& req) {
  gateway_response r;
  r.status = 204;
  const auto origin = find_header(req.headers, "origin").value_or("");
  const auto method = find_header(req.headers, "access-control-request-method").value_or("");
  const auto allow = allowed_origin(cors, origin);
  if (allow.empty() || !contains(cors.allow_methods, method, true)) return r;
  r.headers.emplace_back("access-control-allow-origin", allow);
  r.headers.emplace_back("access-control-allow-methods", join(cors.allow_methods, ","));
  if (!cors.allow_headers.empty()) r.headers.emplace_back("access-control-allow-headers", join(cors.allow_headers, ","));
  if (cors.allow_credentials) r.headers.emplace_back("access-control-allow-credentials", "true");
  if (cors.max_age) r.headers.emplace_back("access-control-max-age", std::to_string(*cors.max_age));
  return r;
}

void apply_http_api_cors(const config::cors_config& cors, const api_request& req, gateway_response& res) {
  std::erase_if(res.headers, [](const auto& h) { return lower(h.first).starts_with("access-control-"); });
  const auto origin = find_header(req.headers, "origin");
  if (!origin) return;
  const auto allow = allowed_origin(cors, *origin);
  if (allow.empty()) return;
  res.headers.emplace_back("access-control-allow-origin", allow);
  if (cors.allow_credentials) res.headers.emplace_back("access-control-allow-credentials", "true");
  if (!cors.expose_headers.empty()) res.headers.emplace_back("access-control-expose-headers", join(cors.expose_headers, ","));
}

gateway_response rest_preflight(const config::cors_config& cors, const std::vector<std::string>& methods) {
  gateway_response r;
  r.status = 200;
  r.headers.emplace_back("Content-Type", "application/json");
  if (!cors.allow_origins.empty()) r.headers.emplace_back("Access-Control-Allow-Origin", join(cors.allow_origins, ","));
  std::vector<std::string> allow = cors.allow_methods;
  if (allow.empty()) {
    for (const auto& m : methods)
      if (std::find(allow.begin(), allow.end(), m) == allow.end()) allow.push_back(m);
    if (std::find(allow.begin(), allow.end(), "OPTIONS") == allow.end()) allow.push_back("OPTIONS");
  }
  r.headers.emplace_back("Access-Control-Allow-Methods", join(allow, ","));
  if (!cors.allow_headers.empty()) r.headers.emplace_back("Access-Control-Allow-Headers", join(cors.allow_headers, ","));
  if (cors.allow_credentials) r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  if (cors.max_age) r.headers.emplace_back("Access-Control-Max-Age", std::to_string(*cors.max_age));
  return r;
}

}  // namespace lambkin::http
