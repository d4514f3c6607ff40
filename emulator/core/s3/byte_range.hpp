#pragma once
// The `Range` header of GetObject (one range; S3 does not serve multipart/byteranges):
// `bytes=first-last`, `bytes=first-`, `bytes=-suffix_length`.
#include <cstdint>
#include <string_view>
#include <variant>

namespace lambkin::s3 {

struct byte_range {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};
/// The header was absent or not a single byte range: the whole object is served (200).
struct whole_object {};
/// No byte of the range lies in the object: 416 InvalidRange.
struct unsatisfiable_range {};

std::variant<whole_object, byte_range, unsatisfiable_range> parse_range(std::string_view header, std::uint64_t size);

}  // namespace lambkin::s3
