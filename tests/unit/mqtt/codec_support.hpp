#pragma once
// Test helpers for the codec: encode to a byte vector, decode a byte vector whole or in pieces.
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace lambkin::mqtt::testing {

using bytes = std::vector<std::uint8_t>;

inline bytes encoded(const packet& p, protocol_version v) {
  bytes out;
  REQUIRE_FALSE(encode(p, v, out));
  CHECK(out.size() == encoded_size(p, v));
  return out;
}

/// Everything `bytes` decodes to, fed in chunks of `chunk` bytes (0 = all at once).
inline std::vector<decode_result> decode_all(const bytes& b, std::optional<protocol_version> v,
                                             std::size_t chunk = 0, std::uint32_t max_size = 268'435'460) {
  decoder d(decoder_options{max_size, v});
  std::vector<decode_result> results;
  std::size_t pos = 0;
  while (pos < b.size()) {
    const std::size_t n = chunk == 0 ? b.size() - pos : std::min(chunk, b.size() - pos);
    std::span<const std::uint8_t> in(b.data() + pos, n);
    pos += n;
    while (!in.empty()) {
      auto r = d.feed(in);
      if (std::holds_alternative<need_more>(r)) break;
      const bool err = std::holds_alternative<decode_error>(r);
      results.push_back(std::move(r));
      if (err) return results;
    }
  }
  return results;
}

/// The one packet `b` decodes to (fails the test otherwise).
inline packet decode_one(const bytes& b, std::optional<protocol_version> v) {
  auto rs = decode_all(b, v);
  REQUIRE(rs.size() == 1);
  if (const auto* e = std::get_if<decode_error>(&rs[0])) FAIL("decode error: " << e->reason);
  REQUIRE(std::holds_alternative<packet>(rs[0]));
  return std::get<packet>(rs[0]);
}

/// The error `b` decodes to (fails the test if it decodes fine).
inline decode_error decode_failure(const bytes& b, std::optional<protocol_version> v,
                                   std::uint32_t max_size = 268'435'460) {
  auto rs = decode_all(b, v, 0, max_size);
  REQUIRE_FALSE(rs.empty());
  const auto* e = std::get_if<decode_error>(&rs.back());
  REQUIRE_MESSAGE(e != nullptr, "expected a decode error");
  return *e;
}

}  // namespace lambkin::mqtt::testing
