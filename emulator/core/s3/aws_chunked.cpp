#include "emulator/core/s3/aws_chunked.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace lambkin::s3 {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

s3_error bad(std::string msg) { return {s3_errc::incomplete_body, "aws-chunked body: " + std::move(msg), {}, {}}; }

}  // namespace

bool is_aws_chunked(std::string_view content_sha256, std::string_view content_encoding) noexcept {
  if (content_sha256.starts_with("STREAMING-")) return true;
  while (!content_encoding.empty()) {
    const auto comma = content_encoding.find(',');
    if (trim(content_encoding.substr(0, comma)) == "aws-chunked") return true;
    if (comma == std::string_view::npos) break;
    content_encoding.remove_prefix(comma + 1);
  }
  return false;
}

std::string strip_aws_chunked(std::string_view content_encoding) {
  std::string out;
  while (!content_encoding.empty()) {
    const auto comma = content_encoding.find(',');
    const auto part = trim(content_encoding.substr(0, comma));
    if (!part.empty() && part != "aws-chunked") out += (out.empty() ? "" : ",") + std::string(part);
    if (comma == std::string_view::npos) break;
    content_encoding.remove_prefix(comma + 1);
  }
  return out;
}

std::variant<decoded_body, s3_error> decode_aws_chunked(std::string_view body,
                                                        std::optional<std::uint64_t> decoded_length) {
  decoded_body out;
  std::size_t p = 0;
  for (;;) {
    const auto eol = body.find("\r\n", p);
    if (eol == std::string_view::npos) return bad("a chunk header has no CRLF");
    std::string_view header = body.substr(p, eol - p);
    const auto size_text = trim(header.substr(0, header.find(';')));
    if (size_text.empty() || size_text.size() > 15) return bad("a chunk size is not hexadecimal");
    std::uint64_t size = 0;
    for (char c : size_text) {
      const int d = std::isdigit(static_cast<unsigned char>(c))            ? c - '0'
                    : (c >= 'a' && c <= 'f')                               ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')                               ? c - 'A' + 10
                                                                           : -1;
      if (d < 0) return bad("a chunk size is not hexadecimal");
      size = size * 16 + static_cast<std::uint64_t>(d);
    }
    p = eol + 2;
    if (size == 0) break;
    if (body.size() - p < size + 2) return bad("a chunk is shorter than its size");
    out.payload.append(body.substr(p, size));
    p += size;
    if (body.substr(p, 2) != "\r\n") return bad("a chunk does not end with CRLF");
    p += 2;
  }
  // Trailers, then an empty line (some clients end the body right after the last trailer).
  while (p < body.size()) {
    const auto eol = body.find("\r\n", p);
    const auto line = body.substr(p, eol == std::string_view::npos ? std::string_view::npos : eol - p);
    p = eol == std::string_view::npos ? body.size() : eol + 2;
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bad("a trailer has no ':'");
    std::string name(trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.trailers.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
  }
  if (decoded_length && *decoded_length != out.payload.size())
    return s3_error{s3_errc::incomplete_body,
                    "You did not provide the number of bytes specified by the x-amz-decoded-content-length header (" +
                        std::to_string(*decoded_length) + " announced, " + std::to_string(out.payload.size()) +
                        " sent)",
                    {}, {}};
  return out;
}

}  // namespace lambkin::s3
