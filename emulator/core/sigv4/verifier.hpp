#pragma once
// AWS Signature Version 4 verification of one HTTP request, signed in the `Authorization` header
// (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`) or presigned in the query
// (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…`).
//
// Pure: the time (`now`, seconds since the epoch) and the hash primitives come in; the verdict
// says what failed, in terms each service's shell maps onto its own error (aws_auth.cpp).
// The scope's region and service are checked when the request names the expected ones
// (`request_view::region`, `::service`). Not checked: session tokens (`X-Amz-Security-Token` is
// signed like any header, never validated).
#include "emulator/core/sigv4/canonical_request.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace lambkin::sigv4 {

/// The hash primitives, raw bytes in and out (the shell provides OpenSSL's).
struct crypto {
  std::function<std::string(std::string_view data)> sha256;
  std::function<std::string(std::string_view key, std::string_view data)> hmac_sha256;
};

enum class failure {
  none,
  missing,                  // neither an Authorization header nor X-Amz-Algorithm
  unsupported_algorithm,    // SigV2 (`AWS AKID:sig`, `AWSAccessKeyId=`), SigV4a, anything else
  malformed,                // parts missing or ill-formed; `verdict::message` says which
  unknown_key,              // the access key id is not configured
  signature_mismatch,
  time_skewed,              // X-Amz-Date more than 15 minutes from now
  expired,                  // a presigned URL past X-Amz-Date + X-Amz-Expires
  content_sha256_mismatch,  // x-amz-content-sha256 is a hash, not the body's
  wrong_region,             // the scope's region is not `request_view::region`
  wrong_service,            // the scope's service is not `request_view::service`
};

/// How far X-Amz-Date may be from the server's time (AWS: 15 minutes).
inline constexpr std::int64_t max_skew_seconds = 15 * 60;
/// The longest X-Amz-Expires of a presigned URL (7 days).
inline constexpr std::int64_t max_expires_seconds = 7 * 24 * 3600;

struct request_view {
  std::string_view method;
  /// The raw request target, `path?query`, as received.
  std::string_view target;
  const header_list* headers = nullptr;
  std::string_view body;
  uri_style style = uri_style::standard;
  /// The region and service the scope must name (the endpoint's); empty: any. `service` may list
  /// several names the endpoint answers to, separated by ',' ("iot,execute-api").
  std::string_view region, service;
};

struct verdict {
  failure error = failure::none;
  /// For `malformed`: what is wrong, as AWS words it.
  std::string message;
  bool presigned = false;
  std::string access_key, amz_date, scope, signature_provided;
  /// The scope's region and service, as signed.
  std::string region, service;
  /// X-Amz-Date in seconds, and for presigned URLs X-Amz-Expires.
  std::int64_t request_time = 0, expires_seconds = 0;
  /// What the server computed (S3's SignatureDoesNotMatch shows them).
  std::string canonical_request, string_to_sign;
  /// The payload hash signed (`UNSIGNED-PAYLOAD`, `STREAMING-…` or hex).
  std::string payload_hash;
  /// The derived signing key (raw), for chunk signatures.
  std::string signing_key;
};

/// The secret of an access key id; null when unknown.
using secret_lookup = std::function<const std::string*(std::string_view access_key)>;

/// Verifies `req`. Checks, in order: the signature's form and scope (terminator `aws4_request`,
/// scope date = X-Amz-Date's date, `host` signed), the scope's region then service (when
/// `req` names them), the key, the time (skew; expiry for presigned
/// URLs), the signature, and last that a hex `x-amz-content-sha256` is the body's hash.
verdict verify(const request_view& req, const secret_lookup& secret_of, std::int64_t now, const crypto& c);

/// The signing key for `secret` and the scope's date, region and service (raw bytes).
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service, const crypto& c);

/// Checks each `chunk-signature` of an aws-chunked body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`)
/// against the chain seeded by the request's signature. `signature_mismatch` on the first bad
/// chunk, `malformed` when the framing is broken.
failure verify_chunk_signatures(std::string_view body, const verdict& seed, const crypto& c);

}  // namespace lambkin::sigv4
