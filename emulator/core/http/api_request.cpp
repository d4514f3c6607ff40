#include "emulator/core/http/api_request.hpp"

#include "emulator/core/lambda/wall_time.hpp"
#include "emulator/core/text/base64.hpp"

#include <array>
#include <cstdio>

namespace lambkin::http {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::string> find_header(const header_list& headers, std::string_view name) {
  const auto wanted = lower(name);
  std::optional<std::string> found;
  for (const auto& [k, v] : headers)
    if (lower(k) == wanted) found = v;
  return found;
}

bool is_text_content_type(std::string_view content_type) noexcept {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  const auto t = lower(type);
  return t.starts_with("text/") || t == "application/json" || t == "application/xml" ||
         t == "application/javascript";
}

std::string format_request_time(epoch_ms t) {
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto c = lambda::to_civil(t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02u/%s/%04lld:%02u:%02u:%02u +0000", c.day, months[c.month - 1],
                static_cast<long long>(c.year), c.hour, c.minute, c.second);
  return buf;
}

std::string make_api_id(std::string_view logical_id) {
  // FNV-1a, then splitmix64 to spread it: stable across runs and platforms.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : logical_id) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  lambda::splitmix64 rng(h);
  static constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string id;
  for (int i = 0; i < 10; ++i) id += alphabet[rng.next() % alphabet.size()];
  return id;
}

std::string make_gateway_request_id(lambda::splitmix64& rng) {
  const std::uint64_t a = rng.next(), b = rng.next();
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((a >> (8 * i)) & 0xFF);
  for (int i = 0; i < 3; ++i) bytes += static_cast<char>((b >> (8 * i)) & 0xFF);
  return text::base64_encode(bytes);
}

}  // namespace lambkin::http
