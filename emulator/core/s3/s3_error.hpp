#pragma once
// S3's errors: the one place an S3 failure becomes its `Code` and HTTP status. S3 answers errors
// as XML (`<Error><Code>NoSuchKey</Code><Message>…</Message>…</Error>`), not as the JSON
// `__type` of the other AWS APIs, so it has its own table instead of lambkin::errc.
#include <string>
#include <string_view>

namespace lambkin::s3 {

enum class s3_errc {
  no_such_bucket,               // 404
  no_such_key,                  // 404
  no_such_upload,               // 404
  bucket_already_owned_by_you,  // 409
  bucket_not_empty,             // 409
  invalid_bucket_name,          // 400
  invalid_argument,             // 400
  invalid_request,              // 400
  invalid_part,                 // 400
  invalid_part_order,           // 400
  entity_too_small,             // 400
  entity_too_large,             // 400
  malformed_xml,                // 400
  invalid_digest,               // 400
  bad_digest,                   // 400
  precondition_failed,          // 412
  incomplete_body,              // 400
  key_too_long,                 // 400
  invalid_range,                // 416
  method_not_allowed,           // 405
  not_implemented,              // 501
  internal_error,               // 500
};

/// The error's `Code` as S3 spells it (`NoSuchBucket`).
std::string_view error_code(s3_errc e) noexcept;
/// The HTTP status S3 answers it with.
unsigned error_status(s3_errc e) noexcept;

/// One failed S3 request: what went wrong and the resource it concerns.
struct s3_error {
  s3_errc code;
  std::string message;
  /// `BucketName` / `Key` elements some errors carry (empty: not written).
  std::string bucket, key;
};

/// `<?xml …?><Error><Code/><Message/>[<BucketName/>][<Key/>]<Resource/><RequestId/></Error>`.
std::string error_xml(const s3_error& e, std::string_view resource, std::string_view request_id);

}  // namespace lambkin::s3
