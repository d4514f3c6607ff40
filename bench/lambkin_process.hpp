#pragma once
// The built `lambkin` binary run as a user runs it: `lambkin run TEMPLATE --aws-port 0
// --ready-file F`, a child process in a private temp dir, its stderr kept in a file so that the
// benchmark can read the REPORT lines afterwards.
#include "bench/child_process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lambkin::bench {

/// A SAM template with `count` copies of the cpp-echo function (`provided.al2023`), named
/// Echo0, Echo1, …: distinct functions, so the first invoke of each is a cold start.
std::string echo_template(int count, const std::string& code_dir);

/// A SAM template with one Node function `Echo0` (`nodejs20.x`, handler `handler.handler`).
std::string node_template(const std::string& code_dir);

class lambkin_process {
 public:
  /// Starts lambkin on `template_text` with the given --log-level and waits (up to 30 s) for its
  /// ready file. Throws std::runtime_error with lambkin's stderr when it does not come up.
  lambkin_process(const std::string& lambkin_exe, const std::string& template_text, const std::string& log_level,
                  const std::vector<std::string>& extra_args = {});
  ~lambkin_process();
  lambkin_process(const lambkin_process&) = delete;
  lambkin_process& operator=(const lambkin_process&) = delete;

  unsigned short aws_port() const { return aws_port_; }
  /// The HTTP API listener's port (0 when the template has no HttpApi/Api routes).
  unsigned short http_port() const { return http_port_; }
  /// The MQTT listeners' ports (TCP, WebSocket) and lambkin's process id, from the ready file.
  unsigned short mqtt_port() const { return mqtt_port_; }
  unsigned short ws_port() const { return ws_port_; }
  long pid() const { return pid_; }

  /// SIGTERM, then waits for the exit (SIGKILL after 15 s); returns the exit code, or -1 when
  /// lambkin was killed. Idempotent.
  int stop();
  /// Everything lambkin wrote to stderr so far (its logs, REPORT lines included).
  std::string stderr_text() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<child_process> process_;
  unsigned short aws_port_ = 0;
  unsigned short http_port_ = 0;
  unsigned short mqtt_port_ = 0;
  unsigned short ws_port_ = 0;
  long pid_ = 0;
};

}  // namespace lambkin::bench
