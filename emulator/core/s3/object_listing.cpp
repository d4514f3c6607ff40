#include "emulator/core/s3/object_listing.hpp"

#include <charconv>

namespace lambkin::s3 {

listing_page::listing_page(listing_params p) : p_(std::move(p)) {
  // Start at the later of the marker and the prefix: keys before the prefix are never listed.
  if (p_.marker >= p_.prefix) {
    seek_ = p_.marker;
    inclusive_ = false;
  } else {
    seek_ = p_.prefix;
    inclusive_ = true;
  }
}

listing_page::verdict listing_page::offer(std::string_view key) {
  if (done_) return verdict::stop;
  if (!key.starts_with(p_.prefix)) {  // keys come in order: past the prefix, nothing more matches
    done_ = true;
    return verdict::stop;
  }
  if (!inclusive_ && key <= std::string_view(seek_)) return verdict::folded;
  // A marker that is a common prefix (a continuation after one): its keys were listed with it.
  if (!p_.delimiter.empty() && !p_.marker.empty() && p_.marker.ends_with(p_.delimiter) &&
      key.starts_with(p_.marker) && p_.marker.size() > p_.prefix.size())
    return verdict::folded;
  std::optional<std::string> common;
  if (!p_.delimiter.empty()) {
    const auto rest = key.substr(p_.prefix.size());
    if (const auto at = rest.find(p_.delimiter); at != std::string_view::npos)
      common = std::string(key.substr(0, p_.prefix.size() + at + p_.delimiter.size()));
  }
  if (common && !prefixes_.empty() && prefixes_.back() == *common) return verdict::folded;
  if (count_ >= p_.max_keys) {
    truncated_ = p_.max_keys > 0;
    done_ = true;
    return verdict::stop;
  }
  ++count_;
  if (common) {
    prefixes_.push_back(*common);
    last_ = *common;
    return verdict::folded;
  }
  last_ = std::string(key);
  return verdict::listed;
}

std::optional<std::size_t> parse_max_keys(std::string_view text) {
  std::size_t n = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc{} || p != end) {
    if (ec == std::errc::result_out_of_range) return std::size_t{1000};
    return std::nullopt;
  }
  return n > 1000 ? std::size_t{1000} : n;
}

std::string url_encode_for_listing(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

}  // namespace lambkin::s3
