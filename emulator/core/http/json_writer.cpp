#include "emulator/core/http/json_writer.hpp"

#include <array>

namespace lambkin::http {
namespace {

/// Length of the well-formed UTF-8 sequence starting at `i` (shortest form, no surrogates, at
/// most U+10FFFF), or 0 when the bytes there are not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool is_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string json_quote(std::string_view s) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const auto n = utf8_sequence(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid sequence
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 0xF];
        } else {
          out += c;
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

json_writer::json_writer(bool array) : out_(array ? "[" : "{"), array_(array) {}

void json_writer::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  if (array_) return;
  out_ += json_quote(k);
  out_ += ':';
}

json_writer& json_writer::string(std::string_view k, std::string_view value) {
  key(k);
  out_ += json_quote(value);
  return *this;
}

json_writer& json_writer::number(std::string_view k, std::int64_t value) {
  key(k);
  out_ += std::to_string(value);
  return *this;
}

json_writer& json_writer::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

json_writer& json_writer::null(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

json_writer& json_writer::raw(std::string_view k, std::string_view value) {
  key(k);
  out_ += value;
  return *this;
}

json_writer& json_writer::string_map(std::string_view k, const std::vector<std::pair<std::string, std::string>>& map) {
  json_writer inner;
  for (const auto& [name, value] : map) inner.string(name, value);
  return raw(k, inner.finish());
}

std::string json_writer::finish() {
  out_ += array_ ? ']' : '}';
  return std::move(out_);
}

}  // namespace lambkin::http
