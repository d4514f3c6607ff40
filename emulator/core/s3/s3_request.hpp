#pragma once
// Which S3 operation a request is, from its method, Host, target and one header: path-style
// (`/bucket/key`) and virtual-hosted-style (`Host: bucket.localhost:4566`) addressing, sub-resources
// (`?uploads`, `?delete`, `?list-type=2`, `?uploadId=…`), and how the AWS endpoint tells an S3
// request from the other services it serves (the SigV4 credential scope names the service).
#include "emulator/core/s3/s3_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lambkin::s3 {

enum class s3_operation {
  list_buckets,
  create_bucket,
  delete_bucket,
  head_bucket,
  get_bucket_location,
  list_objects,     // V1 (marker)
  list_objects_v2,  // list-type=2
  delete_objects,   // POST ?delete
  put_object,
  copy_object,      // PUT with x-amz-copy-source
  get_object,
  head_object,
  delete_object,
  create_multipart_upload,    // POST ?uploads
  upload_part,                // PUT ?partNumber=N&uploadId=U
  complete_multipart_upload,  // POST ?uploadId=U
  abort_multipart_upload,     // DELETE ?uploadId=U
};

/// The operation's name as the S3 API documents it (`PutObject`).
std::string_view operation_name(s3_operation op) noexcept;

struct request_head {
  std::string_view method;  // GET, PUT, …
  std::string_view host;    // the Host header
  std::string_view target;  // path and query, as sent (percent-encoded)
  bool has_copy_source = false;  // x-amz-copy-source is present
};

struct s3_request {
  s3_operation op = s3_operation::list_buckets;
  std::string bucket;
  std::string key;  // decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded

  /// A query parameter's value (present without `=`: empty string).
  std::optional<std::string> param(std::string_view name) const;
};

/// The operation `head` asks for, or the error S3 answers (NotImplemented for sub-resources
/// lambkin does not emulate, MethodNotAllowed, KeyTooLongError, InvalidArgument for a bad escape).
std::variant<s3_request, s3_error> classify(const request_head& head);

/// The service a SigV4-signed request's credential scope names (`…/us-east-1/s3/aws4_request` →
/// `s3`), from the Authorization header or, for presigned URLs, the `X-Amz-Credential` parameter.
/// SigV2 (`AWS AKID:sig`) is S3's alone. Empty when the request is not signed either way.
std::string signed_service(std::string_view authorization, std::string_view query);

/// The bucket of a virtual-hosted-style Host: `photos.localhost:4566` and `photos.s3.localhost` →
/// `photos`. Empty for any other host (`127.0.0.1:4566`, `localhost`).
std::string virtual_host_bucket(std::string_view host);

/// S3's bucket naming rules (3–63 characters of a-z 0-9 . -, starting and ending with a letter or
/// digit, no `..`, not an IP address); nullopt when valid, else why not.
std::optional<std::string> bucket_name_problem(std::string_view name);

}  // namespace lambkin::s3
