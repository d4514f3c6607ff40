#pragma once
// ASCII-only case handling, as protocols define it (HTTP header names, AWS IoT SQL keywords and
// function names, time-zone ids, SigV4's hex digests): never the C locale's idea of a letter.
#include <string>
#include <string_view>

namespace lambkin::text {

constexpr char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// Equal ignoring ASCII case.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

inline std::string ascii_lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace lambkin::text
