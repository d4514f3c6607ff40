#pragma once
// The S3 API subset on the AWS endpoint (path-style `/bucket/key` and virtual-hosted-style
// `Host: bucket.localhost:4566`): ListBuckets, CreateBucket, DeleteBucket, HeadBucket,
// GetBucketLocation, PutObject, GetObject (Range, If-Match / If-None-Match), HeadObject,
// DeleteObject, DeleteObjects, CopyObject, ListObjects and ListObjectsV2 (prefix, delimiter,
// continuation, max-keys, encoding-type=url), and multipart upload (create, upload part, complete,
// abort). aws-chunked bodies (streaming SigV4, trailing checksums) are decoded; signatures are not
// checked. Errors are S3's XML (`<Error><Code>NoSuchKey</Code>…`) with S3's statuses, and every
// answer carries `x-amz-request-id`. Object changes are handed to s3_service::notify.
#include "emulator/io/http/http_server.hpp"

#include <cstddef>

namespace lambkin::io::s3 {

class s3_service;

/// S3 takes single PUTs of up to 5 GiB; lambkin holds a request body in memory.
inline constexpr std::size_t max_put_size = std::size_t{5} << 30;

/// Whether the AWS endpoint should hand `req` to S3: signed for the `s3` service (SigV4
/// Authorization header or presigned URL), or addressed virtual-hosted-style.
bool is_s3_request(const http::request& req);

/// Answers one S3 request.
http::response handle_s3(s3_service& service, const http::request& req);

/// The answer to an upload over `max_put_size` (EntityTooLarge), given the request head.
http::response entity_too_large(const http::request& head);

}  // namespace lambkin::io::s3
