#pragma once
// `Content-Encoding: aws-chunked` bodies, which the AWS SDKs and CLI send for PutObject and
// UploadPart when they stream with SigV4 (`x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD`)
// or with trailing checksums (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`):
//   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n
//   [<trailer>:<value>\r\n]…\r\n
// Chunk signatures are not checked here: `--require-auth` checks them before S3 sees the body
// (io/http/aws_auth.hpp).
#include "emulator/core/s3/s3_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lambkin::s3 {

struct decoded_body {
  std::string payload;
  /// Trailing headers (`x-amz-checksum-crc32`, `x-amz-trailer-signature`), names lower-cased.
  std::vector<std::pair<std::string, std::string>> trailers;
};

/// Whether a request's body is aws-chunked: `x-amz-content-sha256` starts with `STREAMING-`, or
/// `Content-Encoding` lists `aws-chunked`.
bool is_aws_chunked(std::string_view content_sha256, std::string_view content_encoding) noexcept;

/// Decodes the body; `decoded_length` (`x-amz-decoded-content-length`), when given, must match
/// (IncompleteBody otherwise). Malformed framing is InvalidRequest / IncompleteBody.
std::variant<decoded_body, s3_error> decode_aws_chunked(std::string_view body,
                                                        std::optional<std::uint64_t> decoded_length);

/// `Content-Encoding` without `aws-chunked` (what is stored with the object); empty when nothing is left.
std::string strip_aws_chunked(std::string_view content_encoding);

}  // namespace lambkin::s3
