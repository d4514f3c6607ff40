#include "emulator/sim/duration_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace lambkin::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Nanoseconds per unit; "" is milliseconds, the unit scenarios use most.
constexpr std::array<std::pair<std::string_view, double>, 9> units{{
    {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"", 1e6}, {"s", 1e9},
    {"m", 60e9}, {"min", 60e9}, {"h", 3600e9}, {"µs", 1e3},
}};

constexpr double max_ns = 10'000.0 * 3600e9;

config_error bad_duration(std::string_view text) {
  return message_error("expected a duration such as 250ms, 1.5s, 2m or 100us, got '" +
                       std::string(text) + "'");
}

}  // namespace

result<duration> parse_duration(std::string_view text) {
  const std::string_view s = trim(text);
  double value = 0;
  // from_chars rejects a leading '+', accepts '-' (checked below) and never consults the locale.
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end == s.data()) return bad_duration(text);
  const std::string_view unit = trim(s.substr(static_cast<std::size_t>(end - s.data())));
  for (const auto& [name, ns_per_unit] : units) {
    if (unit != name) continue;
    if (!std::isfinite(value)) return bad_duration(text);
    if (value < 0) return message_error("must not be negative, got '" + std::string(text) + "'");
    const double ns = value * ns_per_unit;
    if (ns > max_ns) return message_error("is too long (over 10000h): '" + std::string(text) + "'");
    return duration(std::llround(ns));
  }
  return bad_duration(text);
}

std::string format_decimal(double value, int max_decimals) {
  if (!std::isfinite(value)) return "0";
  std::array<char, 64> buf{};
  const auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, max_decimals);
  if (ec != std::errc{}) return "0";
  std::string out(buf.data(), end);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

std::string format_duration(duration d) {
  const double ns = static_cast<double>(d.count());
  if (d == duration::zero()) return "0";
  if (d < milliseconds(1)) return format_decimal(ns / 1e3) + "us";
  if (d < seconds(1)) return format_decimal(ns / 1e6) + "ms";
  if (d < seconds(120)) return format_decimal(ns / 1e9) + "s";
  if (d < minutes(120)) return format_decimal(ns / 60e9) + "m";
  return format_decimal(ns / 3600e9) + "h";
}

}  // namespace lambkin::sim
