#pragma once
// Timing profiles: `aws` reproduces AWS's delays (idle retention of minutes, async retries after
// 1 and 2 minutes); `fast` scales them down to seconds so tests and demos finish quickly.
#include <optional>
#include <string_view>

namespace lambkin {

enum class timing_profile { aws, fast };

constexpr std::string_view to_string(timing_profile p) noexcept {
  return p == timing_profile::aws ? "aws" : "fast";
}

/// "aws" or "fast"; anything else is nullopt.
constexpr std::optional<timing_profile> parse_timing_profile(std::string_view s) noexcept {
  if (s == "aws") return timing_profile::aws;
  if (s == "fast") return timing_profile::fast;
  return std::nullopt;
}

}  // namespace lambkin
