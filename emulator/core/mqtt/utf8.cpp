// A table-free validator following Unicode's "well-formed UTF-8 byte sequences" table; the second
// byte's range depends on the first, which is how overlongs and surrogates are excluded.
#include "emulator/core/mqtt/utf8.hpp"

#include <cstddef>
#include <cstdint>

namespace lambkin::mqtt {
namespace {

constexpr bool in(std::uint8_t b, std::uint8_t lo, std::uint8_t hi) noexcept { return b >= lo && b <= hi; }

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t b = p[i];
    if (b < 0x80) {
      if (b == 0) return false;  // U+0000 is forbidden
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (in(b, 0xC2, 0xDF)) {
      len = 2;
    } else if (b == 0xE0) {
      len = 3;  // no overlong 3-byte forms
      lo = 0xA0;
    } else if (in(b, 0xE1, 0xEC) || in(b, 0xEE, 0xEF)) {
      len = 3;
    } else if (b == 0xED) {
      len = 3;  // U+D800–U+DFFF are surrogates
      hi = 0x9F;
    } else if (b == 0xF0) {
      len = 4;  // no overlong 4-byte forms
      lo = 0x90;
    } else if (in(b, 0xF1, 0xF3)) {
      len = 4;
    } else if (b == 0xF4) {
      len = 4;  // nothing above U+10FFFF
      hi = 0x8F;
    } else {
      return false;  // continuation byte, C0/C1 overlongs, F5–FF
    }
    if (n - i < len) return false;
    if (!in(p[i + 1], lo, hi)) return false;
    for (std::size_t k = 2; k < len; ++k)
      if (!in(p[i + k], 0x80, 0xBF)) return false;
    i += len;
  }
  return true;
}

}  // namespace lambkin::mqtt
