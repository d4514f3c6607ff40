#pragma once
// Throughput with C concurrent clients: each client is a thread with its own keep-alive
// connection, repeating one operation as fast as the server answers.
#include <cstdint>
#include <functional>
#include <string>

namespace lambkin::bench {

class http_client;

struct throughput_result {
  std::uint64_t operations = 0;  // completed inside the measured window
  std::uint64_t failures = 0;    // answers other than 200, or a broken connection
  double seconds = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(operations) / seconds : 0; }
};

/// One operation on a client's connection; returns false when the answer was not what it should be.
using client_operation = std::function<bool(http_client&)>;

/// Runs `clients` threads against 127.0.0.1:port: `warmup_seconds` unmeasured (connections
/// open, lambkin's environments started), then `seconds` counted.
throughput_result run_concurrent(unsigned short port, int clients, double warmup_seconds, double seconds,
                                 const client_operation& op);

}  // namespace lambkin::bench
