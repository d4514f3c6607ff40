#pragma once
// Test support: run a program as a child process (posix_spawn), capture its stdout and stderr,
// wait for it with a deadline, signal it. Used by the e2e tests that run the `lambkin` binary.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace lambkin::test {

class child_process {
 public:
  /// Starts `argv[0]` (a path) with `argv`; stdout and stderr go to files in a fresh temp dir.
  explicit child_process(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~child_process();  // kills (SIGKILL) and reaps the child if it is still running
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  /// Waits until the child exits or `timeout` passes; the exit code (128+signal if signalled),
  /// or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string out() const;  // everything written to stdout so far
  std::string err() const;  // everything written to stderr so far
  const std::filesystem::path& dir() const { return dir_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path dir_;
};

/// Runs a command to completion (at most `timeout`) and returns {exit code, stdout, stderr}.
struct run_result {
  int code;
  std::string out, err;
};
run_result run(std::vector<std::string> argv, std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Waits (inotify, no sleeping) until `path` exists, the child has exited, or `timeout` passed.
/// True when the file exists.
bool wait_for_file(const std::filesystem::path& path, child_process& child, std::chrono::milliseconds timeout);

/// Waits (inotify on the child's output files, no sleeping) until the child's stderr contains
/// `text` `count` times, the child has exited, or `timeout` passed. True when found.
bool wait_for_stderr(child_process& child, const std::string& text, std::chrono::milliseconds timeout,
                     std::size_t count = 1);

/// Same as `wait_for_stderr`, for the child's stdout (mosquitto_sub -d prints its debug lines there).
bool wait_for_stdout(child_process& child, const std::string& text, std::chrono::milliseconds timeout,
                     std::size_t count = 1);

/// A fresh empty directory under the system temp dir, removed by the destructor.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The built `lambkin` binary (set by CMake as LAMBKIN_EXE).
std::string lambkin_exe();

}  // namespace lambkin::test
