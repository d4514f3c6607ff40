// Ids from splitmix64 draws, formatted as lower-case hex.
#include "emulator/core/lambda/request_ids.hpp"

#include "emulator/core/lambda/wall_time.hpp"

#include <cstdio>

namespace lambkin::lambda {
namespace {

// The low `digits` hex digits of `v`, most significant first.
void append_hex(std::string& s, std::uint64_t v, int digits) {
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) s += hex[(v >> (4 * i)) & 0xf];
}

}  // namespace

std::string make_request_id(splitmix64& rng) {
  std::uint64_t hi = rng.next();
  std::uint64_t lo = rng.next();
  hi = (hi & ~0xf000ULL) | 0x4000ULL;                               // version 4
  lo = (lo & ~(0xc000ULL << 48)) | (0x8000ULL << 48);                // variant 10xx
  std::string s;
  s.reserve(36);
  append_hex(s, hi >> 32, 8);
  s += '-';
  append_hex(s, hi >> 16, 4);
  s += '-';
  append_hex(s, hi, 4);
  s += '-';
  append_hex(s, lo >> 48, 4);
  s += '-';
  append_hex(s, lo, 12);
  return s;
}

std::string make_trace_id(splitmix64& rng, epoch_ms now) {
  // Floor to whole seconds (also before 1970, though X-Ray never sees such times).
  const std::int64_t secs = now >= 0 ? now / 1000 : -((-now + 999) / 1000);
  std::string s = "Root=1-";
  append_hex(s, static_cast<std::uint64_t>(secs), 8);
  s += '-';
  append_hex(s, rng.next(), 16);
  append_hex(s, rng.next(), 8);
  s += ";Parent=";
  append_hex(s, rng.next(), 16);
  s += ";Sampled=0";
  return s;
}

std::string make_log_stream_name(splitmix64& rng, epoch_ms now, std::string_view version) {
  const civil_time c = to_civil(now);
  char date[32];
  std::snprintf(date, sizeof date, "%04lld/%02u/%02u/[", static_cast<long long>(c.year), c.month, c.day);
  std::string s = date;
  s += version;
  s += ']';
  append_hex(s, rng.next(), 16);
  append_hex(s, rng.next(), 16);
  return s;
}

}  // namespace lambkin::lambda
