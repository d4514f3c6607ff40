#include "emulator/core/dynamo/key_encoding.hpp"

#include "emulator/core/dynamo/number.hpp"

namespace lambkin::dynamo {
namespace {

// A number is a sign byte (1 negative, 2 zero, 3 positive), then for non-zero numbers the
// exponent of 0.digits × 10^e as two bytes (e + 1000), then one byte per digit (digit + 1).
// Negative numbers complement the exponent and digits and end in 0xFF, so that a longer
// magnitude sharing a prefix (-0.123 against -0.12) sorts first.
std::string encode_number(const std::string& text) {
  const auto d = parse_number(text);
  if (!d || d->is_zero()) return std::string(1, '\x02');
  const auto e = static_cast<unsigned>(d->exponent + 1000);
  std::string out;
  out.reserve(d->digits.size() + 4);
  if (d->negative) {
    const unsigned c = 0xFFFFu - e;
    out.push_back('\x01');
    out.push_back(static_cast<char>((c >> 8) & 0xFF));
    out.push_back(static_cast<char>(c & 0xFF));
    for (char digit : d->digits) out.push_back(static_cast<char>(10 - (digit - '0')));
    out.push_back(static_cast<char>(0xFF));
  } else {
    out.push_back('\x03');
    out.push_back(static_cast<char>((e >> 8) & 0xFF));
    out.push_back(static_cast<char>(e & 0xFF));
    for (char digit : d->digits) out.push_back(static_cast<char>(digit - '0' + 1));
  }
  return out;
}

}  // namespace

std::string encode_key_value(const attribute_value& v) {
  if (v.type == value_type::N) return encode_number(v.text);
  return v.text;
}

std::string prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = prefix.back();
    if (static_cast<unsigned char>(last) != 0xFF) {
      last = static_cast<char>(static_cast<unsigned char>(last) + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

}  // namespace lambkin::dynamo
