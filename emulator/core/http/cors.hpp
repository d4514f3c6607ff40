#pragma once
// CORS as API Gateway applies a template's CORS configuration.
//
// HTTP APIs (`CorsConfiguration`): API Gateway answers preflights itself (an OPTIONS request with
// `Origin` and `Access-Control-Request-Method`), even without an OPTIONS route, with 204 and the
// configured headers when the origin and method are allowed (no CORS headers otherwise). For
// other requests with an allowed `Origin` it adds access-control-allow-origin (`*` or the
// origin), -allow-credentials and -expose-headers to the integration's response, and it drops
// every access-control-* header the integration returned. Allowed origins are exact, `*`, or
// `https://*` / `http://*` (any origin with that scheme).
//
// REST APIs (`Cors` on AWS::Serverless::Api): SAM adds an OPTIONS method with a mock integration
// to every path: 200, empty body, the configured values verbatim (`Access-Control-Allow-Methods`
// defaults to the path's methods plus OPTIONS). Integration responses are left alone: the
// function adds its own CORS headers, as on AWS.
#include "emulator/core/http/api_request.hpp"
#include "emulator/core/http/gateway_response.hpp"
#include "lambkin/config.hpp"

#include <string>
#include <vector>

namespace lambkin::http {

/// OPTIONS with `Origin` and `Access-Control-Request-Method`.
bool is_preflight(const api_request& req);

/// The HTTP API's answer to a preflight.
gateway_response http_api_preflight(const config::cors_config& cors, const api_request& req);

/// Applies the HTTP API's CORS headers to an integration response (see the file comment).
void apply_http_api_cors(const config::cors_config& cors, const api_request& req, gateway_response& res);

/// SAM's OPTIONS mock integration for a REST path whose routes have `methods`.
gateway_response rest_preflight(const config::cors_config& cors, const std::vector<std::string>& methods);

}  // namespace lambkin::http
