#pragma once
// The pieces of an AWS Signature Version 4 canonical request and string to sign, from the
// request as received (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
//
// Pure text functions: no clock, no crypto (hashes come in as hex).
#include "emulator/core/text/ascii.hpp"
#include "emulator/core/text/hex.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::sigv4 {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// How the path becomes the canonical URI. S3 signs the path once encoded (the client's
/// `%2F` stays `%2F`, no dot-segment normalisation); every other service encodes the path as
/// sent once more (`%3A` in a Lambda ARN is signed as `%253A`).
enum class uri_style { s3, standard };

/// RFC 3986 percent-encoding as SigV4 wants it: everything but `A-Za-z0-9-._~` (and `/` when
/// `keep_slash`) becomes `%XX` with upper-case hex.
std::string uri_encode(std::string_view s, bool keep_slash);

/// The canonical URI of a raw request path (no query). An empty path is `/`.
std::string canonical_uri(std::string_view raw_path, uri_style style);

/// The canonical query string of a raw query (`a=1&b=2`): each name and value percent-decoded
/// (`+` stays a plus), encoded again, sorted by name then value, joined with `&`. A parameter
/// named `skip` (`X-Amz-Signature` for presigned URLs) is left out.
std::string canonical_query(std::string_view raw_query, std::string_view skip = {});

/// `name:value\n` for each signed header, in `signed_headers` order (which the caller keeps
/// sorted): values of repeated fields joined with `,`, spaces trimmed and runs of spaces
/// collapsed. Names are matched case-insensitively; `missing` names the first signed header the
/// request does not carry (then `text` is incomplete).
struct canonical_headers_result {
  std::string text;
  std::string missing;
};
canonical_headers_result canonical_headers(const header_list& headers, const std::vector<std::string>& signed_headers);

/// METHOD\nURI\nQUERY\nHEADERS\nSIGNED;HEADERS\nPAYLOAD_HASH
std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              std::string_view headers, std::string_view signed_headers, std::string_view payload_hash);

/// AWS4-HMAC-SHA256\nAMZ_DATE\nSCOPE\nHEX(SHA256(canonical request))
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request_hash);

/// `20150830T123600Z` → seconds since the epoch; nullopt unless exactly that form and a real date.
std::optional<std::int64_t> parse_amz_date(std::string_view s);
/// Seconds since the epoch → `20150830T123600Z`.
std::string format_amz_date(std::int64_t epoch_seconds);
/// Seconds since the epoch → `2015-08-30T12:36:00Z` (S3's ServerTime).
std::string format_iso8601(std::int64_t epoch_seconds);

/// Lower-case hex of raw bytes.
inline std::string hex(std::string_view raw) { return text::to_hex(raw); }
/// ASCII case-insensitive equality (header names, hex digests).
using text::iequals;

}  // namespace lambkin::sigv4
