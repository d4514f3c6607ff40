#pragma once
// The event a Lambda proxy integration receives (reference/lambda.md §6.1, §6.2).
//
// Payload 2.0 (HTTP APIs): header names lower-cased, repeated headers and query parameters joined
// with commas, `Cookie` headers split into `cookies` (and left out of `headers`), optional members
// (`cookies`, `queryStringParameters`, `pathParameters`, `body`) left out when empty.
//
// Payload 1.0 (REST APIs, and HTTP APIs with PayloadFormatVersion 1.0): `headers` and
// `queryStringParameters` hold the last value, `multiValue…` all of them, absent ones are null.
// REST APIs keep header names as sent; HTTP APIs lower-case them and add `"version":"1.0"`.
//
// Bodies: HTTP APIs pass text content types as they are and base64-encode everything else
// (`is_text_content_type`). REST APIs pass bodies as text (lambkin reads no BinaryMediaTypes),
// except bodies that are not UTF-8, which are base64-encoded so the event stays valid JSON.
//
// Both add `x-forwarded-for` (the client's address, appended to one the client sent),
// `x-forwarded-port` and `x-forwarded-proto` as API Gateway does.
#include "emulator/core/http/api_request.hpp"
#include "emulator/core/http/route_table.hpp"
#include "lambkin/config.hpp"

#include <string>

namespace lambkin::http {

/// The payload 2.0 event.
std::string make_event_v2(const api_request& req, const route_match& route, const gateway_context& ctx);

/// The payload 1.0 event; `kind` picks REST's or the HTTP API's variant.
std::string make_event_v1(const api_request& req, const route_match& route, const gateway_context& ctx,
                          config::api_kind kind);

/// The event for `route`'s payload format and API kind.
std::string make_event(const api_request& req, const route_match& route, const gateway_context& ctx);

}  // namespace lambkin::http
