#pragma once
// The running emulator: one io_context on the main thread, the listeners, and clean shutdown on
// SIGINT/SIGTERM. `lambkin run` builds an `app` from the loaded template and the flags.
//
// Today it serves the AWS endpoint (`/_lambkin/health`); the MQTT, WebSocket and HTTP API
// listeners, the function pools and the table store join it as their issues land.
#include "emulator/io/http/aws_endpoint.hpp"
#include "emulator/io/log.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace lambkin::io {

struct run_options {
  std::string bind = "127.0.0.1";
  /// Ports; 0 picks a free one. Listeners that do not exist yet ignore theirs.
  unsigned short mqtt_port = 1883, ws_port = 8083, http_port = 3000, aws_port = 4566;
  std::filesystem::path data_dir;
  std::optional<std::filesystem::path> ready_file;
  http::endpoint_status status;
};

class app {
 public:
  explicit app(run_options options);
  ~app();
  app(const app&) = delete;
  app& operator=(const app&) = delete;

  /// Starts every listener, writes the ready file, and serves until SIGINT or SIGTERM (or `stop`).
  /// Returns the process exit code: 0 after a clean stop, 1 if a listener could not start
  /// (the reason is logged, naming the listener and the address).
  int run();
  /// Asks a running `run` to stop (thread-safe).
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace lambkin::io
