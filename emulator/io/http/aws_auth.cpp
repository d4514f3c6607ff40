#include "emulator/io/http/aws_auth.hpp"

#include "emulator/core/s3/xml.hpp"
#include "emulator/io/http/dynamodb_api.hpp"
#include "emulator/io/http/invoke_api.hpp"
#include "emulator/io/http/iot_data_api.hpp"
#include "emulator/io/http/iot_rules_api.hpp"
#include "emulator/io/http/lambda_api.hpp"
#include "emulator/io/s3/s3_api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>

namespace lambkin::io::http {
namespace {

using sigv4::failure;

constexpr std::string_view mismatch_message =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";
constexpr std::string_view bad_token_message = "The security token included in the request is invalid.";

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

enum class service_style { s3, dynamodb, rest_json };

service_style style_of(const request& req, std::string_view path) {
  if (s3::is_s3_request(req)) return service_style::s3;
  if (is_dynamodb_request(req)) return service_style::dynamodb;
  if (invoke_function_segment(path) || is_lambda_api_path(path) || is_iot_rules_path(path) || is_iot_data_path(path))
    return service_style::rest_json;
  return service_style::s3;  // an unsigned path-style request would have reached S3
}

/// The service names the AWS CLI and SDK v3 sign requests to this endpoint with (AWS IoT's
/// control plane: "iot" in botocore 1 and SDK v3, "execute-api" in the AWS CLI v2's model).
std::string_view signing_service(service_style style, std::string_view path) {
  if (style == service_style::s3) return "s3";
  if (style == service_style::dynamodb) return "dynamodb";
  if (is_iot_rules_path(path)) return "iot,execute-api";
  if (is_iot_data_path(path)) return "iotdata";
  return "lambda";
}

/// "Signature expired: 20150830T123600Z is now earlier than 20150830T125100Z (20150830T130600Z - 15 min.)"
std::string skew_message(const sigv4::verdict& v, std::int64_t now) {
  if (v.request_time < now)
    return "Signature expired: " + v.amz_date + " is now earlier than " +
           sigv4::format_amz_date(now - sigv4::max_skew_seconds) + " (" + sigv4::format_amz_date(now) + " - 15 min.)";
  return "Signature not yet current: " + v.amz_date + " is still later than " +
         sigv4::format_amz_date(now + sigv4::max_skew_seconds) + " (" + sigv4::format_amz_date(now) + " + 15 min.)";
}

response json_error(const request& req, service_style style, std::string_view type, std::string_view message) {
  boost::json::object body;
  const bool dynamo = style == service_style::dynamodb;
  if (dynamo) body["__type"] = "com.amazon.coral.service#" + std::string(type);
  body["message"] = message;
  auto res = make_response(req, dynamo ? 400 : 403, dynamo ? "application/x-amz-json-1.0" : "application/json",
                           boost::json::serialize(body));
  res.set("x-amzn-ErrorType", type);
  return res;
}

response json_refusal(const request& req, service_style style, const sigv4::verdict& v, std::int64_t now,
                      std::string_view expected_service) {
  switch (v.error) {
    case failure::missing:
      return json_error(req, style, "MissingAuthenticationTokenException",
                        style == service_style::dynamodb ? "Request is missing Authentication Token" : "Missing Authentication Token");
    case failure::unsupported_algorithm:
      return json_error(req, style, "IncompleteSignatureException",
                        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
    case failure::malformed: return json_error(req, style, "IncompleteSignatureException", v.message);
    case failure::unknown_key: return json_error(req, style, "UnrecognizedClientException", bad_token_message);
    case failure::time_skewed:
    case failure::expired: return json_error(req, style, "InvalidSignatureException", skew_message(v, now));
    case failure::wrong_region:
      return json_error(req, style, "InvalidSignatureException",
                        "Credential should be scoped to a valid region, not '" + v.region + "'. ");
    case failure::wrong_service:
      return json_error(req, style, "InvalidSignatureException",
                        "Credential should be scoped to correct service: '" +
                            std::string(expected_service.substr(0, expected_service.find(','))) + "'. ");
    default: return json_error(req, style, "InvalidSignatureException", mismatch_message);
  }
}

std::string xml_el(std::string_view name, std::string_view text) {
  return "<" + std::string(name) + ">" + lambkin::s3::xml_escape(text) + "</" + std::string(name) + ">";
}

std::string next_request_id() {
  static std::atomic<std::uint64_t> n{0};
  char buf[24];
  std::snprintf(buf, sizeof buf, "AUTH%012llX", static_cast<unsigned long long>(++n));
  return buf;
}

response s3_error(const request& req, unsigned status, std::string_view code, std::string_view message,
                  const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  const auto id = next_request_id();
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>";
  body += xml_el("Code", code);
  body += xml_el("Message", message);
  for (const auto& [k, v] : extra) body += xml_el(k, v);
  body += xml_el("RequestId", id);
  body += xml_el("HostId", "lambkin/" + id);
  body += "</Error>";
  auto res = make_response(req, status, "application/xml", std::move(body));
  res.set("x-amz-request-id", id);
  res.set("x-amz-id-2", "lambkin/" + id);
  return res;
}

std::string hex_bytes(std::string_view s) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

response s3_refusal(const request& req, const sigv4::verdict& v, std::int64_t now, std::string_view region) {
  const std::string malformed = v.presigned ? "Error parsing the X-Amz-Credential parameter; "
                                            : "The authorization header is malformed; ";
  const char* malformed_code = v.presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed";
  switch (v.error) {
    case failure::wrong_region:
      return s3_error(req, 400, malformed_code,
                      malformed + "the region '" + v.region + "' is wrong; expecting '" + std::string(region) + "'",
                      {{"Region", std::string(region)}});
    case failure::wrong_service:
      return s3_error(req, 400, malformed_code,
                      malformed + "incorrect service '" + v.service + "'. This endpoint belongs to 's3'.");
    case failure::missing: return s3_error(req, 403, "AccessDenied", "Access Denied");
    case failure::unsupported_algorithm:
      return s3_error(req, 400, "InvalidRequest",
                      "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
    case failure::malformed:
      return v.presigned ? s3_error(req, 400, "AuthorizationQueryParametersError", v.message)
                         : s3_error(req, 400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + v.message);
    case failure::unknown_key:
      return s3_error(req, 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
                      {{"AWSAccessKeyId", v.access_key}});
    case failure::expired:
      return s3_error(req, 403, "AccessDenied", "Request has expired",
                      {{"X-Amz-Expires", std::to_string(v.expires_seconds)},
                       {"Expires", sigv4::format_iso8601(v.request_time + v.expires_seconds)},
                       {"ServerTime", sigv4::format_iso8601(now)}});
    case failure::time_skewed:
      return s3_error(req, 403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
                      {{"RequestTime", v.amz_date}, {"ServerTime", sigv4::format_iso8601(now)},
                       {"MaxAllowedSkewMilliseconds", std::to_string(sigv4::max_skew_seconds * 1000)}});
    case failure::content_sha256_mismatch:
      return s3_error(req, 400, "XAmzContentSHA256Mismatch",
                      "The provided 'x-amz-content-sha256' header does not match what was computed.",
                      {{"ClientComputedContentSHA256", v.payload_hash}});
    default:
      return s3_error(req, 403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided. Check your key "
                      "and signing method.",
                      {{"AWSAccessKeyId", v.access_key}, {"StringToSign", v.string_to_sign},
                       {"SignatureProvided", v.signature_provided}, {"StringToSignBytes", hex_bytes(v.string_to_sign)},
                       {"CanonicalRequest", v.canonical_request},
                       {"CanonicalRequestBytes", hex_bytes(v.canonical_request)}});
  }
}

}  // namespace

sigv4::crypto openssl_crypto() {
  sigv4::crypto c;
  c.sha256 = [](std::string_view data) {
    std::string out(32, '\0');
    unsigned int n = 0;
    EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &n, EVP_sha256(), nullptr);
    return out;
  };
  c.hmac_sha256 = [](std::string_view key, std::string_view data) {
    std::string out(32, '\0');
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), reinterpret_cast<unsigned char*>(out.data()), &n);
    return out;
  };
  return c;
}

std::optional<std::vector<access_key>> load_credentials(const std::filesystem::path& file, std::string& why) {
  std::ifstream in(file);
  if (!in) {
    why = "cannot read " + file.string();
    return std::nullopt;
  }
  std::vector<access_key> keys;
  std::vector<std::pair<std::string, access_key>> profiles;  // INI form, in file order
  auto profile = [&profiles](const std::string& name) -> access_key& {
    for (auto& [n, k] : profiles)
      if (n == name) return k;
    return profiles.emplace_back(name, access_key{}).second;
  };
  std::string section, line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = t.substr(1, t.size() - 2);
      continue;
    }
    if (const auto eq = t.find('='); eq != std::string::npos) {
      const auto k = trim(std::string_view(t).substr(0, eq)), v = trim(std::string_view(t).substr(eq + 1));
      if (k == "aws_access_key_id") profile(section).id = v;
      else if (k == "aws_secret_access_key") profile(section).secret = v;
      continue;  // other INI keys (aws_session_token, region) are ignored
    }
    const auto colon = t.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == t.size()) {
      why = file.string() + ":" + std::to_string(number) + ": expected ACCESS_KEY_ID:SECRET or an INI line";
      return std::nullopt;
    }
    keys.push_back({t.substr(0, colon), t.substr(colon + 1)});
  }
  for (auto& [name, k] : profiles) {
    if (k.id.empty() || k.secret.empty()) {
      why = file.string() + ": profile [" + name + "] needs aws_access_key_id and aws_secret_access_key";
      return std::nullopt;
    }
    keys.push_back(std::move(k));
  }
  if (keys.empty()) {
    why = file.string() + ": no access key in it";
    return std::nullopt;
  }
  return keys;
}

handler require_sigv4(handler inner, std::vector<access_key> keys, std::string region) {
  struct state {
    handler inner;
    std::string region;
    std::map<std::string, std::string, std::less<>> secrets;
    sigv4::crypto crypto = openssl_crypto();
  };
  auto s = std::make_shared<state>();
  s->inner = std::move(inner);
  s->region = std::move(region);
  for (auto& k : keys) s->secrets.emplace(std::move(k.id), std::move(k.secret));
  return [s](request req) -> net::awaitable<response> {
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto path = target.substr(0, target.find('?'));
    if (path.starts_with("/_lambkin/")) co_return co_await s->inner(std::move(req));
    const auto style = style_of(req, path);
    sigv4::header_list headers;
    for (const auto& f : req)
      headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    const auto method = req.method_string();
    const auto service = signing_service(style, path);
    sigv4::request_view view{std::string_view(method.data(), method.size()), target, &headers, req.body(),
                             style == service_style::s3 ? sigv4::uri_style::s3 : sigv4::uri_style::standard,
                             s->region, service};
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto v = sigv4::verify(
        view,
        [&s](std::string_view id) -> const std::string* {
          const auto it = s->secrets.find(id);
          return it == s->secrets.end() ? nullptr : &it->second;
        },
        now, s->crypto);
    if (v.error == failure::none && v.payload_hash == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
      const auto chunks = sigv4::verify_chunk_signatures(req.body(), v, s->crypto);
      if (chunks == failure::malformed) {
        co_return s3_error(req, 400, "IncompleteBody", "The request body is not a well-formed aws-chunked body.");
      }
      v.error = chunks;
    }
    if (v.error == failure::none) co_return co_await s->inner(std::move(req));
    co_return style == service_style::s3 ? s3_refusal(req, v, now, s->region) : json_refusal(req, style, v, now, service);
  };
}

}  // namespace lambkin::io::http
