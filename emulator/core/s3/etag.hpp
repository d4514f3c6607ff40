#pragma once
// ETags as S3 computes them, and the checks CompleteMultipartUpload makes. The MD5s themselves
// come from the shell (OpenSSL); this file only arranges them:
//   single PUT / copy:  "<md5 of the bytes, hex>"
//   multipart upload:   "<md5 of the concatenated binary MD5s of the parts, hex>-<number of parts>"
#include "emulator/core/s3/s3_error.hpp"
#include "emulator/core/text/hex.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lambkin::s3 {

using text::from_hex;  // raw bytes of lower- or upper-case hex; nullopt when not hex
using text::to_hex;    // lower-case hex of raw bytes

/// `"<hex>"` (with the quotes S3 sends) of a 16-byte MD5 digest.
std::string etag_of_digest(std::string_view md5_digest);
/// `"<hex of md5_of_part_digests>-<parts>"`.
std::string multipart_etag(std::string_view md5_of_part_digests, std::size_t parts);
/// An ETag without its quotes (clients send either form).
std::string_view unquote_etag(std::string_view etag) noexcept;

/// Parts of a multipart upload: at most 10,000, numbered 1–10,000; all but the last ≥ 5 MiB.
inline constexpr int max_part_number = 10000;
inline constexpr std::uint64_t min_part_size = 5ull * 1024 * 1024;

struct stored_part {
  int number = 0;
  std::string etag;  // quoted
  std::uint64_t size = 0;
};

struct requested_part {
  int number = 0;
  std::string etag;  // as the client sent it
};

/// The `<Part>` list of a CompleteMultipartUpload body (`<PartNumber>`, `<ETag>`); a MalformedXML
/// error when it is not one.
std::variant<std::vector<requested_part>, s3_error> parse_completion(std::string_view xml);

/// Checks a completion request against the uploaded parts (`find` looks one up by number):
/// at least one part, numbers ascending (InvalidPartOrder), each one uploaded with that ETag
/// (InvalidPart), every part but the last at least 5 MiB (EntityTooSmall). Answers the parts to
/// join, in order.
std::variant<std::vector<stored_part>, s3_error> check_completion(
    const std::vector<requested_part>& requested, const std::function<std::optional<stored_part>(int)>& find);

/// The concatenation of the parts' binary MD5s (each part's ETag decoded), which the shell hashes
/// for the multipart ETag.
std::string part_digests(const std::vector<stored_part>& parts);

}  // namespace lambkin::s3
