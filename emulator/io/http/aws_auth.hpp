#pragma once
// `lambkin run --require-auth`: AWS Signature Version 4 on the AWS endpoint (core/sigv4), with
// each refusal answered in the service's own terms:
//  - S3 (XML, 403 unless noted): AccessDenied (no signature; a presigned URL past its expiry),
//    InvalidAccessKeyId, SignatureDoesNotMatch (with StringToSign and CanonicalRequest),
//    RequestTimeTooSkewed, AuthorizationHeaderMalformed / AuthorizationQueryParametersError (400),
//    InvalidRequest for SigV2 (400), XAmzContentSHA256Mismatch (400);
//  - DynamoDB (JSON `__type` com.amazon.coral.service#…, 400): MissingAuthenticationTokenException,
//    UnrecognizedClientException, InvalidSignatureException (also for a skewed date: "Signature
//    expired: …"), IncompleteSignatureException;
//  - Lambda, IoT and IoT Data (REST-JSON `{"message"}` + `x-amzn-ErrorType`, 403): the same types.
// Requests nobody could tell apart without a signature (no Authorization, path-style) are taken
// for S3's. `/_lambkin/…` (health, metrics, dashboard) needs no signature. S3 aws-chunked bodies
// signed `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` have each chunk signature checked too; the
// `…-PAYLOAD-TRAILER` variant has only its seed signature checked.
#include "emulator/core/sigv4/verifier.hpp"
#include "emulator/io/http/http_server.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lambkin::io::http {

struct access_key {
  std::string id, secret;
};

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto.
sigv4::crypto openssl_crypto();

/// Reads `--credentials FILE`: either lines `ACCESS_KEY_ID:SECRET` (blank lines and `#` comments
/// skipped), or an AWS shared credentials file (`[profile]` sections with `aws_access_key_id` /
/// `aws_secret_access_key`), every profile's pair taken. nullopt with `why` when the file cannot
/// be read, a line is neither form, or no key is in it.
std::optional<std::vector<access_key>> load_credentials(const std::filesystem::path& file, std::string& why);

/// The endpoint handler `inner`, answering only requests signed with one of `keys` (at least one)
/// and scoped to `region` and the service the request is for: `dynamodb`, `lambda` (Invoke and
/// the control plane), `iot` or `execute-api` (topic rules), `iotdata` (IoT Data), `s3` (what the
/// AWS CLI and SDK v3 sign with). A wrong scope is refused with the service's error: S3's
/// AuthorizationHeaderMalformed / AuthorizationQueryParametersError (400, with the `Region`
/// expected), the others' InvalidSignatureException ("Credential should be scoped to a valid
/// region, not 'R'. " / "…to correct service: 'S'. ").
handler require_sigv4(handler inner, std::vector<access_key> keys, std::string region);

}  // namespace lambkin::io::http
