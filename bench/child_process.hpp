#pragma once
// A process the benchmark starts and must not leave behind: lambkin, or a peer emulator. It runs
// in its own process group (a peer such as serverless-offline starts children of its own), with
// stdin on /dev/null and stdout and stderr in a log file.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace lambkin::bench {

class child_process {
 public:
  /// posix_spawn of argv[0] (searched on PATH) in `cwd`, with `extra_env` ("K=V") added to this
  /// process's environment. Throws std::runtime_error when it cannot start.
  child_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                const std::filesystem::path& log_file, const std::vector<std::string>& extra_env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// True once the process has exited (reaped here); `exit_code()` is then valid.
  bool exited();
  int exit_code() const { return exit_code_; }
  /// The process id while it runs (-1 once reaped).
  pid_t pid() const { return pid_; }

  /// SIGTERM to the group, SIGKILL after `grace`; reaps the leader. Returns the exit code, or -1
  /// when it was killed by a signal. Idempotent.
  int stop(std::chrono::seconds grace = std::chrono::seconds(15));

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace lambkin::bench
