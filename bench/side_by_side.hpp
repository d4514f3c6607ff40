#pragma once
// Sequential latency of several subjects measured side by side: blocks of a few samples rotate
// between them, so that load from other processes on the machine falls on all alike.
#include "bench/bench_stats.hpp"
#include "bench/concurrent_load.hpp"

#include <vector>

namespace lambkin::bench {

/// One thing to time: an operation on its own keep-alive connection.
struct timed_subject {
  http_client* client;
  client_operation op;
};

/// `samples` timed calls of each subject's operation (microseconds), rotating every `block`
/// samples; one summary per subject, in order. Throws std::runtime_error when an operation fails.
std::vector<latency_summary> measure_side_by_side(const std::vector<timed_subject>& subjects, int samples, int block);

}  // namespace lambkin::bench
