#pragma once
// The MQTT load generator of mqtt_bench: P publishers and S subscribers (load_client, one
// single-threaded io_context, batched writes) against one broker. Every subscriber subscribes
// `bench/<run>/+` and publisher i publishes to `bench/<run>/<i>`, so every message is delivered to
// every subscriber: fan-in is P=100, S=1; fan-out P=1, S=1000. The payload starts with the send
// time (steady clock, ns) and a sequence number; the rest is padding up to `payload` bytes.
//
// Two ways to load the broker:
// - saturation (`rate == 0`): a closed loop. At most `window` messages are outstanding (sent
//   and not yet delivered to every subscriber: sent − delivered / S); each delivery makes room
//   for more. The result is the deliveries per second the broker sustains, with nothing queued
//   without bound in it or in the generator.
// - fixed rate (`rate > 0`): messages per second across the publishers, paced by a 1 ms tick,
//   for latency (send → delivery, end to end) below saturation.
// Both: `warmup` seconds first (not counted), then `seconds` counted, then up to `drain`
// seconds for what is still on its way; lost = expected deliveries − deliveries.
#include "bench/bench_stats.hpp"
#include "bench/mqtt_load_client.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lambkin::bench {

struct load_options {
  int publishers = 100;
  int subscribers = 1;
  int qos = 0;
  std::size_t payload = 64;  // bytes, at least 16
  double rate = 0;           // messages/s across publishers; 0 = saturation
  std::size_t window = 1000; // saturation: messages outstanding at most
  double warmup = 1;
  double seconds = 5;
  double drain = 5;
  int connect_parallel = 100;  // connections being set up at once
  long broker_pid = 0;         // to report the broker's CPU use (0: not reported)
};

struct load_result {
  std::string error;  // empty when the run went through
  std::uint64_t sent = 0, acked = 0;       // PUBLISHes sent by publishers, PUBACKs they got
  std::uint64_t expected = 0, delivered = 0, lost = 0;  // deliveries to subscribers
  double delivered_per_s = 0;  // deliveries per second in the counted window
  double sent_per_s = 0;       // messages published per second in the counted window
  latency_summary latency_us;  // send → delivery, counted window only
  std::vector<double> latency_samples_us;  // the same, each delivery's (fixed rate only)
  double generator_cpu = 0;    // the generator's CPU seconds / counted window
  double broker_cpu = 0;       // the broker's, likewise (load_options::broker_pid)
};

/// CPU seconds (user + system) process `pid` has used so far; 0 when unknown.
double process_cpu_seconds(long pid);
/// Resident set size of process `pid` in bytes (VmRSS); 0 when unknown.
std::size_t process_rss_bytes(long pid);

/// Runs one scenario against `ep`; `run_tag` makes topics and client ids unique per run.
load_result run_load(const broker_endpoint& ep, const load_options& o, const std::string& run_tag);

/// Opens `count` idle connections (CONNECT, CONNACK, nothing else), calls `measure` while they
/// are all open, then closes them. Returns the error, empty on success.
std::string hold_idle_connections(const broker_endpoint& ep, int count, int parallel, const std::string& run_tag,
                                  const std::function<void()>& measure);

}  // namespace lambkin::bench
