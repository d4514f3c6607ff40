// Glob matching with backtracking to the last `*` only: linear in practice, O(n·m) at worst,
// never exponential whatever the pattern.
#include "emulator/core/iot_policy/wildcard.hpp"

namespace lambkin::iot_policy {
namespace {

char fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
      continue;
    }
    if (p < pattern.size()) {
      const bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
      const char want = escaped ? pattern[p + 1] : pattern[p];
      if ((!escaped && want == '?') || fold(want, ignore_case) == fold(text[t], ignore_case)) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string escape_pattern(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '*' || c == '?') out += '\\';
    out += c;
  }
  return out;
}

std::string compile_pattern(std::string_view written) {
  std::string out;
  out.reserve(written.size());
  for (char c : written) {
    if (c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace lambkin::iot_policy
