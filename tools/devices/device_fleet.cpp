#include "tools/devices/device_fleet.hpp"

#include "tools/devices/fleet_worker.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include <mosquitto.h>

namespace lambkin::devices {

device_fleet::device_fleet(fleet_options options) : options_(std::move(options)) {
  mosquitto_lib_init();
  total_ = static_cast<std::uint64_t>(std::llround(std::max(0.0, options_.rate * options_.duration)));
  const int hw = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const int n = options_.threads > 0 ? options_.threads : std::min(hw, 4);
  const int threads = std::clamp(n, 1, std::max(1, options_.devices));
  for (int w = 0; w < threads; ++w) {
    std::vector<std::uint64_t> mine;
    for (int d = w; d < options_.devices; d += threads) mine.push_back(static_cast<std::uint64_t>(d));
    workers_.push_back(std::make_unique<fleet_worker>(options_, std::move(mine)));
  }
}

device_fleet::~device_fleet() {
  workers_.clear();  // destroys the clients first
  mosquitto_lib_cleanup();
}

std::optional<std::string> device_fleet::connect() {
  std::vector<std::optional<std::string>> errors(workers_.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t w = 0; w < workers_.size(); ++w)
      threads.emplace_back([this, w, &errors] { errors[w] = workers_[w]->connect(); });
  }
  for (auto& e : errors)
    if (e) {
      for (auto& w : workers_) w->close();
      return e;
    }
  return std::nullopt;
}

fleet_counts device_fleet::run() {
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> threads;
    for (auto& w : workers_) threads.emplace_back([&w, start, this] { w->run(start, total_); });
  }
  return progress();
}

fleet_counts device_fleet::progress() const {
  fleet_counts c;
  for (const auto& w : workers_) {
    const auto s = w->counts();
    c.sent += s.sent;
    c.acknowledged += s.acknowledged;
    c.failed += s.failed;
    c.above_threshold += s.above_threshold;
    c.disconnected += s.disconnected;
  }
  return c;
}

}  // namespace lambkin::devices
