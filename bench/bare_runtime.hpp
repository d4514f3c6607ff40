#pragma once
// The floor of the cold-start benchmark: a runtime bootstrap spawned with nothing of lambkin
// around it. A raw loopback listener stands in for the Runtime API and only waits for the
// bytes of the runtime's first `GET /2018-06-01/runtime/invocation/next`.
#include <string>

#include <sys/types.h>

namespace lambkin::bench {

enum class spawn_method {
  posix_spawn,       // glibc's vfork-based spawn: the cheapest way to start a process
  fork_exec,         // fork + execve, as lambkin's launcher does (it needs setrlimit/prctl in the child)
  lambkin_launcher,  // lambkin's own launch_process, called from this small process: tells the
                     // launcher's sandbox steps apart from the rest of lambkin's cold path
};

/// A started bootstrap: its pid and the descriptors this process must close (pipes, pidfd).
struct bare_process {
  pid_t pid = -1;
  int fds[3] = {-1, -1, -1};
};

class bare_runtime_listener {
 public:
  /// Listens on 127.0.0.1:<free port>. Throws std::system_error on failure.
  bare_runtime_listener();
  ~bare_runtime_listener();
  bare_runtime_listener(const bare_runtime_listener&) = delete;
  bare_runtime_listener& operator=(const bare_runtime_listener&) = delete;

  unsigned short port() const { return port_; }

  /// Accepts the next connection and reads until the request line of GET /next has arrived.
  /// The connection stays open (the runtime parks on it) until `drop_connection`.
  void wait_for_next();
  void drop_connection();

 private:
  int listen_fd_ = -1;
  int conn_fd_ = -1;
  unsigned short port_ = 0;
};

/// Starts `bootstrap` with only AWS_LAMBDA_RUNTIME_API=127.0.0.1:port (and PATH) in its
/// environment, cwd = its directory, stdio on /dev/null (on pipes with the lambkin launcher).
/// Throws std::system_error on failure.
bare_process spawn_bootstrap(const std::string& bootstrap, unsigned short port, spawn_method how);

/// SIGKILL, reap and close: the floor leaves no process or descriptor behind.
void kill_and_reap(bare_process& p);

}  // namespace lambkin::bench
