#include "emulator/core/s3/byte_range.hpp"

#include <charconv>
#include <optional>

namespace lambkin::s3 {
namespace {

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::variant<whole_object, byte_range, unsatisfiable_range> parse_range(std::string_view header, std::uint64_t size) {
  constexpr std::string_view unit = "bytes=";
  if (!header.starts_with(unit)) return whole_object{};
  const auto spec = header.substr(unit.size());
  if (spec.find(',') != std::string_view::npos) return whole_object{};  // several ranges: S3 ignores the header
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole_object{};
  const auto a = spec.substr(0, dash), b = spec.substr(dash + 1);
  if (a.empty()) {  // the last N bytes
    auto n = number(b);
    if (!n) return whole_object{};
    if (*n == 0 || size == 0) return unsatisfiable_range{};
    const auto len = *n > size ? size : *n;
    return byte_range{size - len, len};
  }
  auto first = number(a);
  if (!first) return whole_object{};
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!b.empty()) {
    auto l = number(b);
    if (!l || *l < *first) return whole_object{};
    if (*l < last) last = *l;
  }
  if (*first >= size) return unsatisfiable_range{};
  return byte_range{*first, last - *first + 1};
}

}  // namespace lambkin::s3
