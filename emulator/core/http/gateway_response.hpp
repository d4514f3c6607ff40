#pragma once
// What API Gateway answers: the function's response mapped back to HTTP, or API Gateway's own
// error responses.
//
// Payload 2.0 (HTTP APIs; reference/lambda.md §6.1): a JSON object with `statusCode` is read as
// {statusCode, headers, multiValueHeaders, cookies, body, isBase64Encoded}; each cookie becomes a
// `Set-Cookie` header; a base64 body is decoded. Any other valid JSON is inferred: 200,
// `content-type: application/json`, and the body is the value itself — a JSON string's content
// (`"Hello"` → `Hello`), the JSON text for everything else.
//
// Payload 1.0 (REST APIs, HTTP APIs with format 1.0; §6.2): no inference. The response must be an
// object with an integer `statusCode`; `headers` (string values) and `multiValueHeaders` (arrays)
// are merged, the multi-value entry winning for a name in both; `body` is a string or null.
// Anything else is malformed. REST APIs answer `content-type: application/json` when the function
// set none, and send a base64 body as it is (lambkin reads no BinaryMediaTypes; AWS decodes only
// for those); HTTP APIs decode it.
//
// In both, header values may be strings, numbers or booleans; `statusCode` may be written as a
// number or a string of digits and must be 100–599. Malformed responses are nullopt.
#include "emulator/core/http/api_request.hpp"
#include "lambkin/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lambkin::http {

struct gateway_response {
  unsigned status = 200;
  /// In order; `Set-Cookie` may repeat.
  header_list headers;
  std::string body;
};

std::optional<gateway_response> map_response_v2(std::string_view payload);
/// `decode_base64`: HTTP APIs decode an `isBase64Encoded` body, REST APIs (without binary media
/// types) do not.
std::optional<gateway_response> map_response_v1(std::string_view payload, bool decode_base64);

/// The mapping for a route of `kind` with `payload_format`.
std::optional<gateway_response> map_response(std::string_view payload, config::api_kind kind,
                                             std::string_view payload_format);

/// Why API Gateway answers by itself.
enum class gateway_failure : std::uint8_t {
  no_route,            // HTTP API 404 Not Found; REST 403 Missing Authentication Token
  function_error,      // the function failed (error, timeout, crash…): HTTP API 500, REST 502
  malformed_response,  // HTTP API 500, REST 502
  throttled,           // Lambda said 429: 500 for both
  invocation_failed,   // the invoke itself failed (payload over 6 MB, lambkin stopping): 500
  integration_timeout, // over the integration timeout: HTTP API 503, REST 504
  body_too_large,      // over 10 MB: 413
};

/// API Gateway's own answer, `{"message":…}` as AWS words it for that API kind.
gateway_response error_response(config::api_kind kind, gateway_failure failure);

}  // namespace lambkin::http
