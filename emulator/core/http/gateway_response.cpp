#include "emulator/core/http/gateway_response.hpp"

#include "emulator/core/http/json_reader.hpp"
#include "emulator/core/text/base64.hpp"

#include <charconv>

namespace lambkin::http {
namespace {

/// A header value as API Gateway accepts it: a string, number or boolean.
std::optional<std::string> scalar_text(const json_value& v) {
  switch (v.type) {
    case json_value::kind::string:
    case json_value::kind::number: return v.text;
    case json_value::kind::boolean: return std::string(v.boolean ? "true" : "false");
    default: return std::nullopt;
  }
}

std::optional<unsigned> status_of(const json_value& v) {
  std::optional<std::int64_t> n;
  if (v.type == json_value::kind::number) {
    n = v.as_integer();
  } else if (v.type == json_value::kind::string && !v.text.empty()) {
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), parsed);
    if (ec == std::errc{} && end == v.text.data() + v.text.size()) n = parsed;
  }
  if (!n || *n < 100 || *n > 599) return std::nullopt;
  return static_cast<unsigned>(*n);
}

/// `headers` and `multiValueHeaders` merged into `out`; false when either is malformed.
bool read_headers(const json_value& doc, header_list& out) {
  const auto* single = doc.find("headers");
  const auto* multi = doc.find("multiValueHeaders");
  if (single && single->type != json_value::kind::null && !single->is_object()) return false;
  if (multi && multi->type != json_value::kind::null && !multi->is_object()) return false;
  const auto in_multi = [&](const std::string& name) {
    if (!multi || !multi->is_object()) return false;
    for (const auto& [k, v] : multi->members)
      if (lower(k) == lower(name)) return true;
    return false;
  };
  if (single && single->is_object())
    for (const auto& [k, v] : single->members) {
      auto text = scalar_text(v);
      if (!text) return false;
      if (!in_multi(k)) out.emplace_back(k, std::move(*text));
    }
  if (multi && multi->is_object())
    for (const auto& [k, v] : multi->members) {
      if (v.type != json_value::kind::array) return false;
      for (const auto& item : v.items) {
        auto text = scalar_text(item);
        if (!text) return false;
        out.emplace_back(k, std::move(*text));
      }
    }
  return true;
}

/// `body` and `isBase64Encoded` into `out.body`; false when malformed.
bool read_body(const json_value& doc, bool decode_base64, gateway_response& out) {
  bool base64 = false;
  if (const auto* b = doc.find("isBase64Encoded"); b && b->type != json_value::kind::null) {
    if (b->type != json_value::kind::boolean) return false;
    base64 = b->boolean;
  }
  const auto* body = doc.find("body");
  if (!body || body->type == json_value::kind::null) return true;
  if (!body->is_string()) return false;
  if (base64 && decode_base64) {
    auto bytes = text::base64_decode(body->text);
    if (!bytes) return false;
    out.body = std::move(*bytes);
  } else {
    out.body = body->text;
  }
  return true;
}

bool has_header(const header_list& h, std::string_view name) {
  for (const auto& [k, v] : h)
    if (lower(k) == name) return true;
  return false;
}

}  // namespace

std::optional<gateway_response> map_response_v2(std::string_view payload) {
  auto doc = parse_json(payload);
  if (!doc) return std::nullopt;
  const auto* status = doc->find("statusCode");
  if (!status) {
    gateway_response inferred;
    inferred.headers.emplace_back("content-type", "application/json");
    if (doc->is_string()) {
      inferred.body = doc->text;
    } else {
      // The value as the function wrote it, without surrounding whitespace.
      const auto first = payload.find_first_not_of(" \t\r\n");
      const auto last = payload.find_last_not_of(" \t\r\n");
      inferred.body = std::string(payload.substr(first, last - first + 1));
    }
    return inferred;
  }
  gateway_response out;
  const auto code = status_of(*status);
  if (!code) return std::nullopt;
  out.status = *code;
  if (!read_headers(*doc, out.headers)) return std::nullopt;
  if (const auto* cookies = doc->find("cookies"); cookies && cookies->type != json_value::kind::null) {
    if (cookies->type != json_value::kind::array) return std::nullopt;
    for (const auto& c : cookies->items) {
      if (!c.is_string()) return std::nullopt;
      out.headers.emplace_back("set-cookie", c.text);
    }
  }
  if (!read_body(*doc, true, out)) return std::nullopt;
  return out;
}

std::optional<gateway_response> map_response_v1(std::string_view payload, bool decode_base64) {
  auto doc = parse_json(payload);
  if (!doc || !doc->is_object()) return std::nullopt;
  const auto* status = doc->find("statusCode");
  if (!status) return std::nullopt;
  gateway_response out;
  const auto code = status_of(*status);
  if (!code) return std::nullopt;
  out.status = *code;
  if (!read_headers(*doc, out.headers)) return std::nullopt;
  if (!read_body(*doc, decode_base64, out)) return std::nullopt;
  if (!decode_base64 && !has_header(out.headers, "content-type"))
    out.headers.emplace_back("Content-Type", "application/json");
  return out;
}

std::optional<gateway_response> map_response(std::string_view payload, config::api_kind kind,
                                             std::string_view payload_format) {
  if (kind == config::api_kind::http && payload_format == "2.0") return map_response_v2(payload);
  return map_response_v1(payload, kind == config::api_kind::http);
}

gateway_response error_response(config::api_kind kind, gateway_failure failure) {
  gateway_response r;
  const bool rest = kind == config::api_kind::rest;
  const auto set = [&](unsigned status, std::string body, std::string_view error_type = {}) {
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back(rest ? "Content-Type" : "content-type", "application/json");
    if (rest && !error_type.empty()) r.headers.emplace_back("x-amzn-ErrorType", std::string(error_type));
  };
  switch (failure) {
    case gateway_failure::no_route:
      if (rest)
        set(403, R"({"message":"Missing Authentication Token"})", "MissingAuthenticationTokenException");
      else
        set(404, R"({"message":"Not Found"})");
      break;
    case gateway_failure::function_error:
    case gateway_failure::malformed_response:
      if (rest)
        set(502, R"({"message": "Internal server error"})", "InternalServerErrorException");
      else
        set(500, R"({"message":"Internal Server Error"})");
      break;
    case gateway_failure::throttled:
    case gateway_failure::invocation_failed:
      if (rest)
        set(500, R"({"message": "Internal server error"})", "InternalServerErrorException");
      else
        set(500, R"({"message":"Internal Server Error"})");
      break;
    case gateway_failure::integration_timeout:
      if (rest)
        set(504, R"({"message": "Endpoint request timed out"})");
      else
        set(503, R"({"message":"Service Unavailable"})");
      break;
    case gateway_failure::body_too_large:
      set(413, R"({"message":"Request Entity Too Large"})");
      break;
  }
  return r;
}

}  // namespace lambkin::http
