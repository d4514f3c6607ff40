#include "emulator/core/s3/etag.hpp"

#include "emulator/core/s3/xml.hpp"

#include <charconv>

namespace lambkin::s3 {

std::string etag_of_digest(std::string_view md5_digest) { return "\"" + to_hex(md5_digest) + "\""; }

std::string multipart_etag(std::string_view md5_of_part_digests, std::size_t parts) {
  return "\"" + to_hex(md5_of_part_digests) + "-" + std::to_string(parts) + "\"";
}

std::string_view unquote_etag(std::string_view etag) noexcept {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag.substr(1, etag.size() - 2);
  if (etag.size() >= 12 && etag.starts_with("&quot;") && etag.ends_with("&quot;"))
    return etag.substr(6, etag.size() - 12);
  return etag;
}

std::variant<std::vector<requested_part>, s3_error> parse_completion(std::string_view xml) {
  const s3_error malformed{s3_errc::malformed_xml,
                           "The XML you provided was not well-formed or did not validate against our published schema",
                           {}, {}};
  auto root = parse_xml(xml);
  if (!root || root->name != "CompleteMultipartUpload") return malformed;
  std::vector<requested_part> out;
  for (const auto* part : root->all("Part")) {
    const auto* number = part->child("PartNumber");
    const auto* etag = part->child("ETag");
    if (!number || !etag) return malformed;
    requested_part p;
    const auto& t = number->text;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), p.number);
    if (ec != std::errc{} || ptr != t.data() + t.size()) return malformed;
    p.etag = etag->text;
    out.push_back(std::move(p));
  }
  return out;
}

std::variant<std::vector<stored_part>, s3_error> check_completion(
    const std::vector<requested_part>& requested, const std::function<std::optional<stored_part>(int)>& find) {
  if (requested.empty())
    return s3_error{s3_errc::malformed_xml, "You must specify at least one part", {}, {}};
  std::vector<stored_part> out;
  int previous = 0;
  for (const auto& r : requested) {
    if (r.number <= previous)
      return s3_error{s3_errc::invalid_part_order,
                      "The list of parts was not in ascending order. Parts must be ordered by part number.", {}, {}};
    previous = r.number;
    auto stored = find(r.number);
    if (!stored || unquote_etag(stored->etag) != unquote_etag(r.etag))
      return s3_error{s3_errc::invalid_part,
                      "One or more of the specified parts could not be found. The part may not have been uploaded, "
                      "or the specified entity tag may not match the part's entity tag.",
                      {}, {}};
    out.push_back(std::move(*stored));
  }
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i].size < min_part_size)
      return s3_error{s3_errc::entity_too_small,
                      "Your proposed upload is smaller than the minimum allowed size (part " +
                          std::to_string(out[i].number) + " is " + std::to_string(out[i].size) +
                          " bytes; every part but the last needs 5 MiB)",
                      {}, {}};
  return out;
}

std::string part_digests(const std::vector<stored_part>& parts) {
  std::string out;
  for (const auto& p : parts)
    if (auto raw = from_hex(unquote_etag(p.etag))) out += *raw;
  return out;
}

}  // namespace lambkin::s3
