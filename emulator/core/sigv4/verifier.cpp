#include "emulator/core/sigv4/verifier.hpp"

#include "emulator/core/text/url.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

namespace lambkin::sigv4 {
namespace {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";


const std::string* header(const header_list& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (;;) {
    const auto at = s.find(sep);
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

// Compares without stopping at the first difference.
bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

verdict malformed(verdict v, std::string message) {
  v.error = failure::malformed;
  v.message = std::move(message);
  return v;
}

// The signature's parts, wherever they came from.
struct parts {
  std::string credential, signed_headers, signature, amz_date, expires;
};

}  // namespace

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service, const crypto& c) {
  const auto k_date = c.hmac_sha256("AWS4" + std::string(secret), date);
  const auto k_region = c.hmac_sha256(k_date, region);
  const auto k_service = c.hmac_sha256(k_region, service);
  return c.hmac_sha256(k_service, "aws4_request");
}

verdict verify(const request_view& req, const secret_lookup& secret_of, std::int64_t now, const crypto& c) {
  verdict v;
  const auto& headers = *req.headers;
  const auto [raw_path, raw_query] = text::split_target(req.target);
  std::vector<std::pair<std::string, std::string>> query = text::parse_query(raw_query);
  auto query_value = [&](std::string_view name) -> const std::string* {
    for (const auto& [k, val] : query)
      if (k == name) return &val;
    return nullptr;
  };

  parts p;
  if (const auto* auth = header(headers, "Authorization")) {
    const std::string_view a = trim(*auth);
    if (!a.starts_with(algorithm) || (a.size() > algorithm.size() && a[algorithm.size()] != ' ')) {
      v.error = failure::unsupported_algorithm;
      return v;
    }
    for (const auto& item : split(a.substr(algorithm.size()), ',')) {
      const auto kv = trim(item);
      const auto eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      const auto k = kv.substr(0, eq), val = kv.substr(eq + 1);
      if (k == "Credential") p.credential = val;
      else if (k == "SignedHeaders") p.signed_headers = val;
      else if (k == "Signature") p.signature = val;
    }
    for (const auto& [name, value] : {std::pair<std::string_view, const std::string*>{"Credential", &p.credential},
                                      {"Signature", &p.signature}, {"SignedHeaders", &p.signed_headers}})
      if (value->empty())
        return malformed(std::move(v), "Authorization header requires '" + std::string(name) +
                                           "' parameter. Authorization=" + std::string(a));
    if (const auto* d = header(headers, "X-Amz-Date")) p.amz_date = trim(*d);
    if (p.amz_date.empty())
      return malformed(std::move(v), "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  } else if (const auto* alg = query_value("X-Amz-Algorithm")) {
    if (*alg != algorithm) {
      v.error = failure::unsupported_algorithm;
      return v;
    }
    v.presigned = true;
    for (const auto& [name, dest] : {std::pair<std::string_view, std::string*>{"X-Amz-Credential", &p.credential},
                                     {"X-Amz-Signature", &p.signature}, {"X-Amz-SignedHeaders", &p.signed_headers},
                                     {"X-Amz-Date", &p.amz_date}, {"X-Amz-Expires", &p.expires}}) {
      const auto* val = query_value(name);
      if (!val || val->empty())
        return malformed(std::move(v), "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                                       "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                                       "X-Amz-Expires parameters.");
      *dest = *val;
    }
  } else if (query_value("AWSAccessKeyId") && query_value("Signature")) {
    v.error = failure::unsupported_algorithm;
    return v;
  } else {
    v.error = failure::missing;
    return v;
  }
  v.signature_provided = p.signature;

  // Credential=AKID/20150830/us-east-1/service/aws4_request
  const auto scope_parts = split(p.credential, '/');
  if (scope_parts.size() != 5)
    return malformed(std::move(v), "Credential must have exactly 5 slash-delimited elements, e.g. "
                                   "keyid/date/region/service/term, got '" + p.credential + "'");
  v.access_key = scope_parts[0];
  if (scope_parts[4] != "aws4_request")
    return malformed(std::move(v), "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                                       scope_parts[4] + "'.");
  if (scope_parts[2].empty() || scope_parts[3].empty())
    return malformed(std::move(v), "Credential should be scoped to a valid region and service, got '" + p.credential + "'.");
  const auto t = parse_amz_date(p.amz_date);
  if (!t) return malformed(std::move(v), "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", got '" + p.amz_date + "'.");
  if (p.amz_date.substr(0, 8) != scope_parts[1])
    return malformed(std::move(v), "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                                   "from HTTP: '" + scope_parts[1] + "' != '" + p.amz_date.substr(0, 8) + "', from '" +
                                       p.amz_date + "'.");
  v.amz_date = p.amz_date;
  v.request_time = *t;
  v.scope = scope_parts[1] + "/" + scope_parts[2] + "/" + scope_parts[3] + "/aws4_request";
  const auto signed_names = split(p.signed_headers, ';');
  bool host_signed = false;
  for (const auto& n : signed_names) host_signed = host_signed || n == "host";
  if (!host_signed) return malformed(std::move(v), "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  if (v.presigned) {
    char* end = nullptr;
    const auto expires = std::strtoll(p.expires.c_str(), &end, 10);
    if (*end != '\0' || expires < 1 || expires > max_expires_seconds)
      return malformed(std::move(v), "X-Amz-Expires must be between 1 and 604800 seconds, got '" + p.expires + "'.");
    v.expires_seconds = expires;
  }

  v.region = scope_parts[2];
  v.service = scope_parts[3];
  if (!req.region.empty() && v.region != req.region) {
    v.error = failure::wrong_region;
    return v;
  }
  const auto names = split(req.service, ',');
  if (!req.service.empty() && std::find(names.begin(), names.end(), v.service) == names.end()) {
    v.error = failure::wrong_service;
    return v;
  }

  const std::string* secret = secret_of(v.access_key);
  if (!secret) {
    v.error = failure::unknown_key;
    return v;
  }
  if (v.presigned ? (now > v.request_time + v.expires_seconds) : false) {
    v.error = failure::expired;
    return v;
  }
  if (v.request_time - now > max_skew_seconds || (!v.presigned && now - v.request_time > max_skew_seconds)) {
    v.error = failure::time_skewed;
    return v;
  }

  // The payload hash: what the client says it signed, else the body's.
  const std::string* declared = header(headers, "x-amz-content-sha256");
  std::string body_hash;
  auto computed = [&]() -> const std::string& {
    if (body_hash.empty()) body_hash = hex(c.sha256(req.body));
    return body_hash;
  };
  if (declared) v.payload_hash = trim(*declared);
  else if (v.presigned) v.payload_hash = "UNSIGNED-PAYLOAD";
  else v.payload_hash = computed();

  const auto headers_text = canonical_headers(headers, signed_names);
  if (!headers_text.missing.empty())
    return malformed(std::move(v), "Header '" + headers_text.missing + "' is signed but not in the request.");
  v.canonical_request =
      canonical_request(req.method, canonical_uri(raw_path, req.style),
                        canonical_query(raw_query, v.presigned ? "X-Amz-Signature" : ""), headers_text.text,
                        p.signed_headers, v.payload_hash);
  v.string_to_sign = string_to_sign(v.amz_date, v.scope, hex(c.sha256(v.canonical_request)));
  v.signing_key = signing_key(*secret, scope_parts[1], scope_parts[2], scope_parts[3], c);
  if (!same(hex(c.hmac_sha256(v.signing_key, v.string_to_sign)), p.signature)) {
    v.error = failure::signature_mismatch;
    return v;
  }
  if (is_hex64(v.payload_hash) && !iequals(v.payload_hash, computed())) v.error = failure::content_sha256_mismatch;
  return v;
}

failure verify_chunk_signatures(std::string_view body, const verdict& seed, const crypto& c) {
  const std::string empty_hash = hex(c.sha256(""));
  std::string previous = seed.signature_provided;
  for (;;) {
    const auto eol = body.find("\r\n");
    if (eol == std::string_view::npos) return failure::malformed;
    const auto head = body.substr(0, eol);
    const auto semi = head.find(';');
    if (semi == std::string_view::npos) return failure::malformed;
    const auto size_text = head.substr(0, semi);
    const auto ext = head.substr(semi + 1);
    constexpr std::string_view key = "chunk-signature=";
    if (!ext.starts_with(key) || size_text.empty() || size_text.size() > 15) return failure::malformed;
    std::size_t size = 0;
    for (char ch : size_text) {
      const int d = ch >= '0' && ch <= '9' ? ch - '0' : (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10 : -1;
      if (d < 0) return failure::malformed;
      size = size * 16 + static_cast<std::size_t>(d);
    }
    body.remove_prefix(eol + 2);
    if (body.size() < size) return failure::malformed;
    const auto data = body.substr(0, size);
    std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
    sts.append(seed.amz_date).append("\n").append(seed.scope).append("\n").append(previous).append("\n");
    sts.append(empty_hash).append("\n").append(hex(c.sha256(data)));
    const auto expected = hex(c.hmac_sha256(seed.signing_key, sts));
    if (!same(expected, ext.substr(key.size()))) return failure::signature_mismatch;
    previous = expected;
    body.remove_prefix(size);
    if (size == 0) return failure::none;  // the final chunk; trailers (if any) are not signed here
    if (!body.starts_with("\r\n")) return failure::malformed;
    body.remove_prefix(2);
  }
}

}  // namespace lambkin::sigv4
