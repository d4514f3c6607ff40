#pragma once
// One page of ListObjects / ListObjectsV2: the shell offers the bucket's keys in S3's order
// (UTF-8 bytes, ascending) starting after the marker, and the page decides, key by key, whether
// it is listed in Contents, folded into a CommonPrefixes entry (keys with the delimiter after the
// prefix), or the page is full. Continuation tokens are opaque to clients; lambkin's is the
// base64 of the last key or common prefix listed.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::s3 {

struct listing_params {
  std::string prefix;
  std::string delimiter;
  std::size_t max_keys = 1000;
  /// List keys after this one (V1 `marker`, V2 `start-after` or the decoded continuation token).
  std::string marker;
};

class listing_page {
 public:
  enum class verdict {
    listed,    ///< a Contents entry: keep the object's metadata
    folded,    ///< counted in a common prefix (or skipped as one already listed)
    stop,      ///< the page is full (or past the prefix): offer nothing more
  };

  explicit listing_page(listing_params p);

  /// The first key to offer is the smallest key > `seek()` (or ≥ when `inclusive_seek()`).
  const std::string& seek() const noexcept { return seek_; }
  bool inclusive_seek() const noexcept { return inclusive_; }

  /// Offers the next key in order.
  verdict offer(std::string_view key);

  const std::vector<std::string>& common_prefixes() const noexcept { return prefixes_; }
  std::size_t key_count() const noexcept { return count_; }
  bool truncated() const noexcept { return truncated_; }
  /// The last key or common prefix listed: NextMarker / the next continuation token's content.
  const std::string& last_listed() const noexcept { return last_; }

 private:
  listing_params p_;
  std::string seek_;
  bool inclusive_ = false;
  std::vector<std::string> prefixes_;
  std::size_t count_ = 0;
  bool truncated_ = false;
  bool done_ = false;
  std::string last_;
};

/// `max-keys`: an integer ≥ 0, at most 1000 kept (S3 never returns more); nullopt when malformed.
std::optional<std::size_t> parse_max_keys(std::string_view text);

/// `encoding-type=url`: keys and prefixes percent-encoded in the response as S3 does it (every byte
/// but A-Z a-z 0-9 - _ . ~ and /; a space is `%20`).
std::string url_encode_for_listing(std::string_view s);

}  // namespace lambkin::s3
