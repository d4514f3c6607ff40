#pragma once
// Internal: a JSON string literal for a UTF-8 string, enough for the error bodies the runtime
// writes. (The client parses no JSON, so it carries no JSON library.)
#include <string>
#include <string_view>

namespace lambkin::runtime::detail {

/// `"…"` with `"`, `\` and control characters escaped; other bytes (UTF-8) are copied.
inline std::string json_string(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace lambkin::runtime::detail
