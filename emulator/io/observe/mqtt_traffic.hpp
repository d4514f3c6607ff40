#pragma once
// The broker shell's traffic counters (metrics and the dashboard read them): connections
// accepted, PUBLISH packets and bytes in each direction, and the busiest topics and clients.
//
// Topic and client tables are bounded (`max_keys` each): once full, new names are counted under
// "(other)" so a device fleet with unique topics cannot grow them without limit.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace lambkin::io::observe {

class mqtt_traffic {
 public:
  static constexpr std::size_t max_keys = 500;

  std::uint64_t connections_accepted = 0;
  std::uint64_t messages_in = 0, messages_out = 0;
  std::uint64_t bytes_in = 0, bytes_out = 0;

  /// A PUBLISH from a client.
  void published(std::string_view client_id, std::string_view topic) {
    ++messages_in;
    bump(topics_, topic);
    bump(clients_, client_id.empty() ? std::string_view("(anonymous)") : client_id);
  }

  /// PUBLISH packets received per topic and per client id.
  const std::map<std::string, std::uint64_t, std::less<>>& topics() const noexcept { return topics_; }
  const std::map<std::string, std::uint64_t, std::less<>>& clients() const noexcept { return clients_; }

 private:
  static void bump(std::map<std::string, std::uint64_t, std::less<>>& m, std::string_view key) {
    if (auto it = m.find(key); it != m.end()) {
      ++it->second;
    } else if (m.size() < max_keys) {
      m.emplace(std::string(key), 1);
    } else {
      ++m["(other)"];
    }
  }

  std::map<std::string, std::uint64_t, std::less<>> topics_, clients_;
};

}  // namespace lambkin::io::observe
