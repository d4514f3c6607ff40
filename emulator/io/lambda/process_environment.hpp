#pragma once
// The process side of one Lambda execution environment: the runtime process (and whatever it
// starts), its private TMPDIR, its output, its memory, and its end.
//
//  - `spawn()` creates the private TMPDIR (mode 0700, once per object; with a private tmpfs on a
//    shared mount point, only that mount point if it is missing) and starts the runtime
//    (process_launcher.hpp: new process group, RLIMIT_NOFILE, cwd, exact environment, PDEATHSIG).
//    Failures are returned, nothing is running then. After the process ended (`on_exit`), `spawn()`
//    may be called again: the TMPDIR is kept, as Lambda keeps /tmp across a reset.
//  - stdout and stderr are read as lines (`line_splitter`: CR stripped, 256 KB cap, the last
//    unfinished line flushed at the end) and handed to `on_output`, else logged by the
//    "function" logger as `<name> <line>`. Lines of one stream keep their order; the two streams
//    are read independently.
//  - Every `memory_interval` while running and not frozen (and at `freeze`), the resident memory
//    of the process tree is summed; `peak_rss_mb()` is the peak (Max Memory Used). Above
//    `memory_limit_mb` the group is SIGKILLed and `on_out_of_memory` fires (once per process).
//  - /tmp's size (EphemeralStorage, `tmp_limit_mb`): where the machine allows it
//    (`private_tmpfs_supported`), the runtime gets its own mount namespace with a tmpfs of that
//    size on its TMPDIR, so writes past it fail with ENOSPC as on Lambda; that tmpfs lives as long
//    as the process (a respawn starts with an empty /tmp). Elsewhere the TMPDIR's disk usage is
//    measured at each `freeze()` and one warning is logged when it passes the limit.
//  - With `cgroup_dir` the runtime joins that cgroup before exec (CPU scaling, cpu_cgroups.hpp);
//    the destructor removes the cgroup.
//  - `freeze()`/`thaw()`: SIGSTOP/SIGCONT to the process group. `freeze_after(grace)` freezes
//    once `grace` has passed (a timer); a `thaw()` before then only cancels it, so an environment
//    invoked again within the grace is never stopped and continued (two signals, the kernel
//    stopping every thread, and the wake-ups: the larger part of a warm invoke's cost). Lambda
//    also freezes a moment after the invoke, not at the instant the response arrives.
//  - `terminate(grace)`: SIGTERM (+ SIGCONT if frozen) to the group, SIGKILL after `grace`.
//    `kill()`: SIGKILL now.
//  - When the runtime process exits (pidfd readable): the rest of its group is SIGKILLed, the
//    process is reaped, its remaining output delivered, then `on_exit` fires exactly once.
//  - The destructor SIGKILLs the group, reaps the process (blocking, briefly), and removes the
//    TMPDIR; no callback fires from it. So stopping the io_context and destroying the object
//    (lambkin's SIGTERM/SIGINT path) leaves neither zombie nor orphan in the group; a SIGKILLed
//    lambkin is covered by PR_SET_PDEATHSIG.
//  - Not covered: a grandchild that leaves the group (setsid) and is orphaned escapes the kills.
//
// Callbacks run on the executor's thread. `on_exit` may destroy the object; the others must not.
//
// Thread safety: single-threaded; every member is called on the executor's (io_context's) thread,
// which must also be the thread that lives as long as the processes (PR_SET_PDEATHSIG).
#include "emulator/io/lambda/process_launcher.hpp"
#include "emulator/io/lambda/process_tree.hpp"
#include "lambkin/ids.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace lambkin::io::lambda {

namespace net = boost::asio;

enum class output_stream : std::uint8_t { out, err };

/// How the runtime process ended: `signaled` → `value` is the signal, else the exit code.
struct exit_status {
  bool signaled = false;
  int value = 0;
  bool operator==(const exit_status&) const = default;
};

/// Go's wording, which Lambda's `Runtime.ExitError` messages use: `exit status 42`,
/// `signal: killed`, `signal: segmentation fault`.
std::string to_string(exit_status s);

struct spawn_spec {
  /// For logs: the function name.
  std::string name;
  std::string executable;
  std::vector<std::string> args;
  /// The code directory: cwd of the process.
  std::filesystem::path working_dir;
  /// Complete environment (see `lambda_environment`); its TMPDIR should be `tmp_dir`.
  environment_list environment;
  /// Private TMPDIR, created 0700 at the first spawn (it must not exist yet), removed with the
  /// object. Empty: none.
  /// `private_tmp_dir(root, id)` names one per environment.
  std::filesystem::path tmp_dir;
  /// `tmp_dir` is the mount point every environment's private tmpfs goes on
  /// (`private_tmpfs_mount_point`): created (0700) if missing, never removed by this object,
  /// empty as lambkin sees it; each runtime sees only its own tmpfs there. Requires
  /// `tmp_limit_mb > 0` and `private_tmpfs_supported()`, else spawn fails (step tmp_dir, EINVAL):
  /// without a tmpfs of its own a shared directory would not be private.
  bool tmp_dir_shared = false;
  /// MemorySize; 0 disables the check (the peak is still measured).
  int memory_limit_mb = 128;
  unsigned max_open_files = 1024;
  /// EphemeralStorage in MiB (see the header comment); 0: no limit.
  int tmp_limit_mb = 0;
  /// A cgroup to run in (`cpu_cgroups::prepare`); empty: lambkin's own.
  std::filesystem::path cgroup_dir;
  std::chrono::milliseconds memory_interval{100};
  std::size_t max_line = 256 * 1024;
};

/// How long an idle environment runs on before it is frozen: `LAMBKIN_FREEZE_GRACE_US` in
/// lambkin's environment (microseconds, 0 = at once), else 2 ms.
std::chrono::microseconds default_freeze_grace();

/// `<root>/env-<id>`.
std::filesystem::path private_tmp_dir(const std::filesystem::path& root, environment_id id);
/// `<root>/tmpfs`: where each environment's private tmpfs is mounted, in its own mount namespace
/// (`spawn_spec::tmp_dir_shared`). One directory for all of them, as every Lambda function has
/// the same /tmp, and no directory to make (or remove) per cold start.
std::filesystem::path private_tmpfs_mount_point(const std::filesystem::path& root);

struct process_callbacks {
  std::function<void(output_stream, std::string_view line)> on_output;
  std::function<void()> on_out_of_memory;
  std::function<void(exit_status)> on_exit;
};

class process_environment {
 public:
  process_environment(net::any_io_executor executor, spawn_spec spec, process_callbacks callbacks = {});
  ~process_environment();
  process_environment(const process_environment&) = delete;
  process_environment& operator=(const process_environment&) = delete;

  /// Starts the runtime. Throws std::logic_error if a process is still running (not yet `on_exit`).
  std::optional<spawn_error> spawn();

  /// A process was spawned and `on_exit` has not fired yet.
  bool running() const noexcept { return state_ != state::idle; }
  /// The last spawned process (also its process group), or -1.
  pid_t pid() const noexcept { return pid_; }
  bool frozen() const noexcept { return frozen_; }
  /// `freeze_after` was called and neither the freeze nor a `thaw()` has happened yet.
  bool freeze_pending() const noexcept { return freeze_pending_; }

  /// Samples memory (which may end the process for OOM) unless it was sampled in the last
  /// millisecond, then SIGSTOPs the group.
  void freeze();
  /// `freeze()` after `grace` (now if `grace` is zero), unless `thaw()` (or the process's end)
  /// comes first.
  void freeze_after(std::chrono::microseconds grace);
  /// SIGCONTs a frozen group; cancels a pending `freeze_after`.
  void thaw();
  void terminate(std::chrono::milliseconds grace = std::chrono::seconds(2));
  void kill();

  /// Samples the process tree's resident memory now (also done every `memory_interval`).
  void sample_memory();
  /// Peak resident memory of the current (or last) process tree.
  std::uint64_t peak_rss_bytes() const noexcept { return peak_rss_; }
  /// The same in MB (MiB), rounded up: what REPORT shows as Max Memory Used.
  std::uint64_t peak_rss_mb() const noexcept { return (peak_rss_ + (1U << 20) - 1) >> 20; }

  const spawn_spec& spec() const noexcept { return spec_; }
  /// The last spawn mounted a private tmpfs of `tmp_limit_mb` on the TMPDIR.
  bool private_tmpfs() const noexcept { return tmpfs_; }
  /// Bytes the TMPDIR uses on disk (allocated blocks of its files), as seen from lambkin.
  std::uint64_t tmp_usage_bytes() const;

 private:
  // idle: nothing running; running: process alive; reaped: exited and reaped, output draining.
  enum class state { idle, running, reaped };

  net::awaitable<void> watch_exit(std::uint64_t generation);
  net::awaitable<void> read_output(output_stream which, std::uint64_t generation);
  void on_process_exited();
  void finish_if_drained();
  void drain(output_stream which);
  void deliver(output_stream which, std::string_view line);
  void signal_group(int sig);
  void arm_memory_timer();
  void check_tmp_usage();
  void cancel_pending_freeze();
  void check_tmp_once();
  void stop_group();

  net::any_io_executor executor_;
  spawn_spec spec_;
  process_callbacks callbacks_;
  bool tmp_created_ = false;
  bool tmpfs_ = false;
  bool tmp_warned_ = false;

  state state_ = state::idle;
  std::uint64_t generation_ = 0;
  pid_t pid_ = -1;
  bool frozen_ = false;
  bool freeze_pending_ = false;
  bool oom_ = false;
  exit_status status_;
  std::uint64_t peak_rss_ = 0;
  std::chrono::steady_clock::time_point last_sample_{};

  struct stream;
  std::unique_ptr<stream> out_, err_;
  net::posix::stream_descriptor pidfd_;
  net::steady_timer memory_timer_;
  net::steady_timer kill_timer_;
  net::steady_timer freeze_timer_;
  // The running process's memory, read at every REPORT and freeze (process_tree.hpp).
  std::unique_ptr<tree_sampler> sampler_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::lambda
