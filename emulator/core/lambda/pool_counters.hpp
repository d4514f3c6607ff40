#pragma once
// Running totals of one function pool, for reports, metrics and the simulator's summary.
#include <cstdint>

namespace lambkin::lambda {

struct pool_counters {
  /// Attempts dispatched to an environment (cold + warm).
  std::uint64_t invocations = 0;
  /// On-demand environments started for an invocation (cold starts).
  std::uint64_t cold_starts = 0;
  /// Dispatches to an environment that was idle (warm starts; provisioned ones included).
  std::uint64_t warm_starts = 0;
  /// Provisioned environments started (initially and as replacements).
  std::uint64_t provisioned_starts = 0;
  /// Sync 429s, async throttle backoffs, async events rejected by reserved concurrency 0.
  std::uint64_t throttles = 0;
  /// Invocations that ended through /error.
  std::uint64_t function_errors = 0;
  /// Invocations (and suppressed inits) that ran out of time.
  std::uint64_t timeouts = 0;
  /// Runtime processes that exited on their own (during init or an invocation).
  std::uint64_t crashes = 0;
  std::uint64_t out_of_memory = 0;
  /// Init attempts that failed or timed out (each is an INIT_REPORT with Status error|timeout).
  std::uint64_t init_failures = 0;
  /// Inits retried inside the first invoke.
  std::uint64_t suppressed_inits = 0;
  /// Environments stopped for idling past their retention.
  std::uint64_t reaped = 0;
  /// Environments stopped because their version was retired or provisioned concurrency changed.
  std::uint64_t retired = 0;
};

}  // namespace lambkin::lambda
