#pragma once
// A fleet of simulated devices: one MQTT client (libmosquitto) per device, each a real connection
// with its own client id (`<client-id-prefix><n>`, n from 1), publishing its readings to
// `<topic-prefix>/<client id>/temperature`.
//
// Why one client per device driven by a few threads: a device is a connection to AWS IoT Core
// (its own client id, its own session, its own 100 publishes/s limit), so the broker under test
// should see N connections, not one connection pretending to be N. Thousands of connections do
// not need thousands of threads: each worker thread owns a shard of the clients in libmosquitto's
// non-threaded mode and drives their sockets with one epoll set (mosquitto_loop_read/_write/_misc).
//
// Pacing: `rate` is the TOTAL number of readings per second over the whole fleet. Reading k
// (k = 0…rate×duration−1) is due at start + k/rate and comes from device k mod N, so publishes
// are spread evenly in time and each device publishes every N/rate seconds. A worker that falls
// behind publishes what is due at once and catches up; the achieved rate shows it.
//
// QoS 1: every PUBACK is counted (libmosquitto's on_publish); after the last reading the fleet
// waits up to `drain_timeout` for the missing ones, which then count as failed.
//
// Thread safety: `connect` and `run` are called once each, from one thread; `progress()` may be
// called from any thread while `run` runs.
#include "tools/devices/reading_model.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambkin::devices {

struct fleet_options {
  std::string host = "127.0.0.1";
  int port = 1883;
  int devices = 1;
  double rate = 10;      // readings per second, whole fleet
  double duration = 10;  // seconds
  int qos = 0;
  std::string topic_prefix = "things";
  std::string client_id_prefix = "dev-";
  int threads = 0;  // 0: min(devices, hardware threads, 4)
  int keepalive = 60;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds drain_timeout{10000};
  /// Readings above it are counted (`above_threshold`), so a script knows how many alerts to expect.
  double alert_threshold = 30;
  model_options model;
  /// When set and it turns true (Ctrl-C), publishing stops early; the drain and summary still run.
  const std::atomic<bool>* stop = nullptr;
};

class fleet_worker;

struct fleet_counts {
  std::uint64_t sent = 0;          // handed to the connection
  std::uint64_t acknowledged = 0;  // PUBACKs (QoS 1)
  std::uint64_t failed = 0;        // not sent (connection lost) or never acknowledged
  std::uint64_t above_threshold = 0;
  std::uint64_t disconnected = 0;  // devices whose connection dropped during the run
};

class device_fleet {
 public:
  explicit device_fleet(fleet_options options);
  ~device_fleet();
  device_fleet(const device_fleet&) = delete;
  device_fleet& operator=(const device_fleet&) = delete;

  /// Opens every device's connection and waits for every CONNACK; a message naming host:port and
  /// the cause when one fails (then nothing is left connected).
  std::optional<std::string> connect();
  /// Publishes the schedule, drains, disconnects; the final counts.
  fleet_counts run();
  /// The counts so far (for a progress line).
  fleet_counts progress() const;
  /// Total readings the schedule holds (rate × duration, rounded).
  std::uint64_t total() const noexcept { return total_; }

 private:
  fleet_options options_;
  std::uint64_t total_ = 0;
  std::vector<std::unique_ptr<fleet_worker>> workers_;  // one thread's shard each
};

}  // namespace lambkin::devices
