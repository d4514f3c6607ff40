#pragma once
// One worker thread's shard of the fleet (device_fleet.hpp): its devices' libmosquitto clients
// in non-threaded mode, one epoll set over their sockets, and its part of the schedule.
#include "tools/devices/device_fleet.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct mosquitto;

namespace lambkin::devices {

class fleet_worker {
 public:
  /// `devices`: the 0-based indices of this shard's devices.
  fleet_worker(const fleet_options& options, std::vector<std::uint64_t> devices);
  ~fleet_worker();
  fleet_worker(const fleet_worker&) = delete;
  fleet_worker& operator=(const fleet_worker&) = delete;

  /// Connects every device of the shard and waits for the CONNACKs; the first failure's message.
  std::optional<std::string> connect();
  /// Publishes readings k < total with k mod N in this shard, each at start + k/rate; then drains
  /// and disconnects.
  void run(std::chrono::steady_clock::time_point start, std::uint64_t total);
  /// Disconnects and frees every client (also done by the destructor).
  void close();
  fleet_counts counts() const;

  struct device;  // fleet_worker.cpp

 private:
  using clock = std::chrono::steady_clock;

  /// Waits up to `timeout` for socket events and handles them (reads, pending writes).
  void poll(std::chrono::milliseconds timeout);
  void publish(device& d);
  void watch_writes(device& d);
  void keepalive(clock::time_point now);
  std::uint64_t outstanding() const;
  bool writes_pending() const;

  const fleet_options& options_;
  std::vector<std::unique_ptr<device>> devices_;
  int epoll_ = -1;
  clock::time_point last_misc_{};
  std::atomic<std::uint64_t> sent_{0}, acknowledged_{0}, failed_{0}, above_threshold_{0}, disconnected_{0};
};

}  // namespace lambkin::devices
