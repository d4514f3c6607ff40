#pragma once
// Starting one runtime process with Lambda's sandbox settings, failures as values: a
// clone(CLONE_VM | CLONE_VFORK) child that execs, as posix_spawn starts its own (fork + exec in
// sanitizer builds; process_launcher.cpp says why).
// `process_environment` owns what comes out; this file only knows how to start it.
//
// Thread safety: `launch_process` may be called from any thread; it briefly blocks every signal
// of the calling thread around the clone (or fork), and is suspended until the child has exec'd.
#include "emulator/io/lambda/environment_variables.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/types.h>

namespace lambkin::io::lambda {

/// The step of starting a process that failed.
enum class spawn_step : std::uint8_t {
  tmp_dir,      // creating the private TMPDIR
  pipes,        // pipes, /dev/null, or wiring them to fds 0-2
  fork,         // clone/fork itself (out of processes or memory)
  working_dir,  // chdir to the code directory (RIE: Runtime.InvalidWorkingDir)
  limits,       // setrlimit
  exec,         // execve: missing, not executable, bad interpreter (Runtime.InvalidEntrypoint)
  watch,        // pidfd_open
  cgroup,       // joining the CPU cgroup (cgroup.procs)
  tmpfs,        // the private mount namespace and its /tmp tmpfs
};

struct spawn_error {
  spawn_step step;
  std::error_code code;
};

std::string_view to_string(spawn_step s) noexcept;
/// `exec: No such file or directory` and the like.
std::string to_string(const spawn_error& e);

struct launch_request {
  /// Executed as is: an absolute path, or relative to `working_dir` (exec happens after chdir).
  std::string executable;
  /// argv[1…]; argv[0] is `executable`.
  std::vector<std::string> args;
  std::string working_dir;
  /// The complete environment; nothing is inherited from lambkin's.
  environment_list environment;
  /// RLIMIT_NOFILE, soft and hard.
  unsigned max_open_files = 1024;
  /// When set: the child joins this cgroup (writes itself to its `cgroup.procs`) before exec, so
  /// the runtime and everything it starts share the cgroup's CPU limit (cpu_cgroups.hpp).
  std::string cgroup_dir;
  /// When non-zero: the child enters a new mount namespace (and, unless lambkin runs as root, a
  /// new user namespace mapping only its own uid and gid) and mounts a tmpfs of this many MiB,
  /// mode 0700, on `tmpfs_dir`: a size-limited /tmp only it and its children see, gone with the
  /// namespace. Only ask for it where `private_tmpfs_supported()`.
  unsigned tmpfs_size_mb = 0;
  std::string tmpfs_dir;
};

/// A started process. The caller owns the file descriptors (all close-on-exec, the pipes
/// non-blocking) and must reap `pid`.
struct launched_process {
  pid_t pid = -1;   // also its process group id
  int pidfd = -1;   // readable once the process has exited
  int out = -1;     // read end of its stdout
  int err = -1;     // read end of its stderr
};

struct launch_result {
  launched_process process;
  /// Set when nothing is running: every step's failure, including execve's, lands here.
  std::optional<spawn_error> error;
};

/// Starts `r.executable` as the leader of a new process group, with
///  - stdin from /dev/null, stdout and stderr to fresh pipes;
///  - cwd `r.working_dir`, RLIMIT_NOFILE `r.max_open_files`, exactly `r.environment`;
///  - default signal dispositions and an empty signal mask (nothing of lambkin's leaks in);
///  - no other inherited descriptor (close_range with CLOEXEC, else a loop);
///  - PR_SET_PDEATHSIG = SIGKILL: it dies if the thread that launched it dies (lambkin killed).
/// Returns once execve has succeeded or failed (a close-on-exec pipe carries the child's errno).
launch_result launch_process(const launch_request& r);

/// Whether this machine lets lambkin give a child a private, size-limited tmpfs (see
/// `launch_request::tmpfs_size_mb`): probed once per process by a short-lived child that tries
/// exactly that on a scratch directory; the answer is cached. `why_not` gets the failing step.
/// `LAMBKIN_PRIVATE_TMPFS=0` in lambkin's environment answers false without probing.
bool private_tmpfs_supported(std::string* why_not = nullptr);

}  // namespace lambkin::io::lambda
