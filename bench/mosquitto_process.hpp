#pragma once
// Debian's mosquitto as mqtt_bench's peer: started on free 127.0.0.1 ports (MQTT over TCP and
// over WebSocket) with a minimal configuration written to a private temp dir, ready once both
// ports accept a connection.
#include "bench/child_process.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace lambkin::bench {

/// A free port on 127.0.0.1 (bound and released: another process could take it in between,
/// which start-up then reports).
unsigned short free_loopback_port();

/// Waits (up to `seconds`) until 127.0.0.1:port accepts a TCP connection.
bool wait_for_port(unsigned short port, double seconds);

class mosquitto_process {
 public:
  /// Throws std::runtime_error with mosquitto's log when it does not come up.
  explicit mosquitto_process(const std::string& exe = "/usr/sbin/mosquitto");
  ~mosquitto_process();
  mosquitto_process(const mosquitto_process&) = delete;
  mosquitto_process& operator=(const mosquitto_process&) = delete;

  unsigned short mqtt_port() const { return mqtt_port_; }
  unsigned short ws_port() const { return ws_port_; }
  long pid() const { return pid_; }
  /// The configuration it runs with (for the report).
  const std::string& config() const { return config_; }
  std::string log() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<child_process> process_;
  unsigned short mqtt_port_ = 0, ws_port_ = 0;
  long pid_ = 0;
  std::string config_;
};

}  // namespace lambkin::bench
