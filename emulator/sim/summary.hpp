#pragma once
// Statistics of a simulated run, computed from its trace, and their JSON and text forms.
//
// Definitions (they follow CloudWatch's Lambda metrics where one exists):
//   requests          arrivals
//   invocations       invoke attempts that reached an environment (async retries included,
//                     throttles excluded — CloudWatch `Invocations`)
//   cold_starts       invocations that waited for their environment's init (Init Duration shown)
//   warm_starts       invocations − cold_starts
//   throttled         throttle events (429s; an async event can be throttled more than once)
//   environments      environments created (on-demand and provisioned)
//   max_concurrency   the most environments at once that were either running an invocation or
//                     initialising on demand (provisioned inits do not count: no request waits)
//   cold_start_rate   cold_starts / invocations (0 when there are none)
//   latency_*_ms      arrival → end over requests that finished with success or function_error;
//                     nearest-rank percentiles; 0 when no request finished
//   init_ms_total     time spent in init segments; handler_ms_total: in invoke segments
//   errors            invocations that failed (function error, timeout, crash)
//   async_retries     invocations beyond each request's first
//   dlq               requests dropped (async retries exhausted or event too old)
//   simulated_ms      trace origin → end
// Cost: O(n log k) for k = max concurrency when segments were appended in time order (as the
// driver does), O(n log n) otherwise; percentiles by nth_element, O(n).
#include "emulator/sim/trace.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lambkin::sim {

struct summary {
  std::uint64_t requests = 0;
  std::uint64_t invocations = 0;
  std::uint64_t cold_starts = 0;
  std::uint64_t warm_starts = 0;
  std::uint64_t throttled = 0;
  std::uint64_t environments = 0;
  std::uint64_t max_concurrency = 0;
  double cold_start_rate = 0;
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  double latency_max_ms = 0;
  double init_ms_total = 0;
  double handler_ms_total = 0;
  std::uint64_t errors = 0;
  std::uint64_t async_retries = 0;
  std::uint64_t dlq = 0;
  double simulated_ms = 0;
};

summary summarize(const trace& t);

/// The nearest-rank percentile (p in [0, 100]) of `values`, which it reorders (nth_element).
/// Empty input gives 0.
std::int64_t percentile(std::span<std::int64_t> values, double p);

/// The summary's keys, in JSON order: exactly the member names above.
std::span<const std::string_view> summary_keys() noexcept;

/// The value of one key as a number (counts convert exactly); nullopt for an unknown key.
std::optional<double> summary_value(const summary& s, std::string_view key) noexcept;

/// One line, no spaces: `{"requests":6,"invocations":6,…,"latency_p50_ms":350,…}`.
/// Counts print as integers, other values with at most three decimals.
std::string to_json(const summary& s);

/// A readable block of a few aligned lines, ending with a newline.
std::string to_text(const summary& s);

}  // namespace lambkin::sim
