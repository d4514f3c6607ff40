#pragma once
// The one-line live status `lambkin run` keeps at the bottom of a terminal:
//   lambkin · 3 clients · 12.0 msg/s · 4.0 inv/s · 2 cold starts · 1 busy · 0 queued
// Rates are per second over the time since the previous `line` call.
#include "lambkin/clock.hpp"

#include <cstdint>
#include <string>

namespace lambkin::io::http {
struct endpoint_services;
}

namespace lambkin::io::observe {

/// Totals the status line is made of.
struct status_totals {
  std::uint64_t clients = 0, messages = 0, invocations = 0, cold_starts = 0, busy = 0, queued = 0;
};

status_totals collect_totals(const http::endpoint_services& services);

class console_status {
 public:
  /// The status at `now` given the totals then.
  std::string line(const status_totals& t, time_point now);

 private:
  status_totals last_{};
  time_point last_at_{};
  bool first_ = true;
};

}  // namespace lambkin::io::observe
