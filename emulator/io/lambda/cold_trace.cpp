#include "emulator/io/lambda/cold_trace.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <unistd.h>

namespace lambkin::io::lambda {

bool cold_trace_enabled() noexcept {
  static const bool enabled = [] {
    const char* v = std::getenv("LAMBKIN_TRACE");
    return v && *v && std::string_view(v) != "0";
  }();
  return enabled;
}

void cold_trace(std::string_view step, std::uint64_t env) noexcept {
  if (!cold_trace_enabled()) return;
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now().time_since_epoch()).count();
  char line[160];
  const int n = std::snprintf(line, sizeof line, "lambkin-trace %lld %.*s %llu\n", static_cast<long long>(us),
                              static_cast<int>(step.size()), step.data(), static_cast<unsigned long long>(env));
  if (n > 0) {
    [[maybe_unused]] const auto w = ::write(2, line, static_cast<std::size_t>(n < 160 ? n : 159));
  }
}

}  // namespace lambkin::io::lambda
