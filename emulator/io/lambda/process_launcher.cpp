#include "emulator/io/lambda/process_launcher.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

// Sanitizer builds launch with fork: TSan's interceptors keep per-process state (its table of
// signal handlers among it) that a child sharing lambkin's memory would overwrite, and ASan's
// no-return hook in the child, on a stack it does not know, reports a false stack-buffer-overflow.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define LAMBKIN_LAUNCH_WITH_FORK 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define LAMBKIN_LAUNCH_WITH_FORK 1
#endif
#endif

// Why not posix_spawn: the child must call setrlimit, prctl(PR_SET_PDEATHSIG), enter its private
// tmpfs and mark every inherited descriptor close-on-exec (Asio does not create its sockets with
// CLOEXEC), none of which posix_spawn can do. Why not fork either: fork copies lambkin's page
// tables, the exec in the child tears that copy down again, and every page lambkin writes
// afterwards takes a copy-on-write fault — together several hundred microseconds of a cold
// start (bench/README.md, "Cold start"). So the child is started the way posix_spawn starts
// its own: clone(CLONE_VM | CLONE_VFORK) on a small stack of its own, sharing lambkin's memory
// while the calling thread is suspended until the child's execve succeeds or it exits. In
// between the child only makes raw system calls (async-signal-safe, no locks, no allocation)
// on data prepared before the clone and writes nothing to the memory it shares but errno. A failed step is
// reported through a close-on-exec pipe (end of file: execve succeeded), which also works for the
// fork that ThreadSanitizer builds use instead (its interceptors keep per-process state, such as
// its table of signal handlers, that a child sharing lambkin's memory would overwrite).

namespace lambkin::io::lambda {
namespace {

std::error_code last_error(int e = errno) { return {e, std::system_category()}; }

// A descriptor moved above 0-2, so that wiring the child's stdio with dup2 cannot clobber it
// (lambkin may have been started with a closed stdin).
int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct child_report {
  int step;
  int error;
};

#ifndef LAMBKIN_LAUNCH_WITH_FORK
// The child's stack: mapped once per launching thread, with a guard page below it, and kept
// (launches are frequent; the thread is suspended while its child uses it).
class child_stack {
 public:
  static constexpr std::size_t size = 128 * 1024;
  child_stack() {
    void* p = ::mmap(nullptr, size + guard_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) return;
    ::mprotect(p, guard_, PROT_NONE);
    base_ = static_cast<char*>(p);
  }
  ~child_stack() {
    if (base_) ::munmap(base_, size + guard_);
  }
  child_stack(const child_stack&) = delete;
  child_stack& operator=(const child_stack&) = delete;
  /// The highest address (stacks grow down on every architecture lambkin runs on), or null.
  void* top() const { return base_ ? base_ + guard_ + size : nullptr; }

 private:
  static constexpr std::size_t guard_ = 4096;
  char* base_ = nullptr;
};

void* thread_child_stack() {
  thread_local child_stack stack;
  return stack.top();
}
#endif

// Writes `text` to an existing file (cgroup and /proc files); async-signal-safe.
bool write_file(const char* path, const char* text) {
  const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const auto len = std::strlen(text);
  const bool ok = ::write(fd, text, len) == static_cast<ssize_t>(len);
  const int e = errno;
  ::close(fd);
  errno = e;
  return ok;
}

// What entering a private tmpfs needs, formatted before the fork.
struct tmpfs_setup {
  const char* dir = nullptr;  // null: no tmpfs
  const char* options = nullptr;
  bool user_namespace = false;
  const char* uid_map = nullptr;
  const char* gid_map = nullptr;
};

struct tmpfs_strings {
  std::string options, uid_map, gid_map;
  tmpfs_setup setup(const std::string& dir) const {
    return {dir.c_str(), options.c_str(), ::geteuid() != 0, uid_map.c_str(), gid_map.c_str()};
  }
};

tmpfs_strings make_tmpfs_strings(unsigned size_mb) {
  const auto uid = std::to_string(::geteuid());
  const auto gid = std::to_string(::getegid());
  return {"size=" + std::to_string(size_mb) + "m,mode=0700", uid + " " + uid + " 1", gid + " " + gid + " 1"};
}

// A new mount namespace (in a new user namespace unless root) with a tmpfs on `t.dir`, mounts
// kept from propagating back to lambkin's namespace. Async-signal-safe; false with errno set.
bool enter_private_tmpfs(const tmpfs_setup& t) {
  if (t.user_namespace) {
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return false;
    // Only the own ids can be mapped by an unprivileged process, and only with setgroups denied.
    if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", t.uid_map) ||
        !write_file("/proc/self/gid_map", t.gid_map))
      return false;
  } else if (::unshare(CLONE_NEWNS) != 0) {
    return false;
  }
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
  return ::mount("tmpfs", t.dir, "tmpfs", MS_NOSUID | MS_NODEV, t.options) == 0;
}

struct child_setup {
  const char* executable;
  char* const* argv;
  char* const* envp;
  const char* working_dir;
  rlimit open_files;
  const char* cgroup_procs;  // null: stay in lambkin's cgroup
  tmpfs_setup tmpfs;
  int max_fd;  // for the close-on-exec loop when close_range is missing
  pid_t parent;
  int in, out, err, report;
};

[[noreturn]] void fail(const child_setup& s, spawn_step step) {
  const child_report r{static_cast<int>(step), errno};
  [[maybe_unused]] const auto n = ::write(s.report, &r, sizeof r);
  ::_exit(127);
}

[[noreturn]] void run_child(const child_setup& s) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != s.parent) ::_exit(127);  // lambkin died before the prctl took effect

  if (::dup2(s.in, 0) < 0 || ::dup2(s.out, 1) < 0 || ::dup2(s.err, 2) < 0) fail(s, spawn_step::pipes);
  // The cgroup first: inside a new user namespace its files would belong to an unmapped owner.
  if (s.cgroup_procs && !write_file(s.cgroup_procs, "0")) fail(s, spawn_step::cgroup);
  if (s.tmpfs.dir && !enter_private_tmpfs(s.tmpfs)) fail(s, spawn_step::tmpfs);
  if (::chdir(s.working_dir) != 0) fail(s, spawn_step::working_dir);
  if (::setrlimit(RLIMIT_NOFILE, &s.open_files) != 0) fail(s, spawn_step::limits);
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
    for (int fd = 3; fd < s.max_fd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  ::execve(s.executable, s.argv, s.envp);
  fail(s, spawn_step::exec);
}

int child_main(void* setup) { run_child(*static_cast<const child_setup*>(setup)); }

// Runs `fn(arg)` in a child sharing this thread's memory, returns once it has exec'd or exited
// (see the comment at the top). Signals stay blocked across the clone so that none of lambkin's
// handlers runs in the child (on its stack, with lambkin's memory) before it has reset them.
// Returns the pid (and the pidfd in `pidfd` when not null), or -1 with errno set.
pid_t clone_vfork(int (*fn)(void*), void* arg, int* pidfd) {
  sigset_t all, old;
  sigfillset(&all);
#ifdef LAMBKIN_LAUNCH_WITH_FORK
  if (pidfd) *pidfd = -1;
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  const pid_t forked = ::fork();
  if (forked == 0) ::_exit(fn(arg));
  const int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = fork_errno;
  return forked;
#else
  void* stack = thread_child_stack();
  if (!stack) return -1;  // errno from mmap
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  if (pidfd) flags |= CLONE_PIDFD;
  pid_t pid = ::clone(fn, stack, flags, arg, pidfd);
  if (pid < 0 && pidfd && errno == EINVAL) {  // a kernel before 5.2: no CLONE_PIDFD
    *pidfd = -1;
    pid = ::clone(fn, stack, flags & ~CLONE_PIDFD, arg);
  }
  const int clone_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = clone_errno;
  return pid;
#endif
}

}  // namespace

std::string_view to_string(spawn_step s) noexcept {
  switch (s) {
    case spawn_step::tmp_dir: return "tmp dir";
    case spawn_step::pipes: return "pipes";
    case spawn_step::fork: return "fork";
    case spawn_step::working_dir: return "working dir";
    case spawn_step::limits: return "limits";
    case spawn_step::exec: return "exec";
    case spawn_step::watch: return "watch";
    case spawn_step::cgroup: return "cgroup";
    case spawn_step::tmpfs: return "private tmpfs";
  }
  return "unknown";
}

std::string to_string(const spawn_error& e) { return std::string(to_string(e.step)) + ": " + e.code.message(); }

launch_result launch_process(const launch_request& r) {
  // Everything the child touches is built before the fork.
  std::vector<std::string> env_strings;
  env_strings.reserve(r.environment.size());
  for (const auto& [key, value] : r.environment) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string exe = r.executable;
  std::vector<std::string> args_storage = r.args;
  std::vector<char*> argv{exe.data()};
  for (auto& a : args_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  launch_result result;
  int out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1};
  int devnull = -1;
  auto close_all = [&] {
    for (int* fd : {&out[0], &out[1], &err[0], &err[1], &report[0], &report[1], &devnull}) close_fd(*fd);
  };
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(report, O_CLOEXEC) != 0 ||
      (devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
    result.error = spawn_error{spawn_step::pipes, last_error()};
    close_all();
    return result;
  }
  for (int* fd : {&out[0], &out[1], &err[0], &err[1], &report[0], &report[1], &devnull}) *fd = above_stdio(*fd);
  ::fcntl(out[0], F_SETFL, O_NONBLOCK);
  ::fcntl(err[0], F_SETFL, O_NONBLOCK);

  rlimit current{};
  ::getrlimit(RLIMIT_NOFILE, &current);
  const std::string cgroup_procs = r.cgroup_dir.empty() ? std::string() : r.cgroup_dir + "/cgroup.procs";
  const auto tmpfs = make_tmpfs_strings(r.tmpfs_size_mb);
  const child_setup setup{
      exe.c_str(), argv.data(), envp.data(), r.working_dir.c_str(),
      rlimit{r.max_open_files, r.max_open_files},
      cgroup_procs.empty() ? nullptr : cgroup_procs.c_str(),
      r.tmpfs_size_mb > 0 && !r.tmpfs_dir.empty() ? tmpfs.setup(r.tmpfs_dir) : tmpfs_setup{},
      static_cast<int>(std::min<rlim_t>(current.rlim_cur, 65536)), ::getpid(),
      devnull, out[1], err[1], report[1]};

  int pidfd = -1;
  const pid_t pid = clone_vfork(child_main, const_cast<child_setup*>(&setup), &pidfd);
  const int clone_errno = errno;
  for (int* fd : {&out[1], &err[1], &report[1], &devnull}) close_fd(*fd);
  if (pid < 0) {
    result.error = spawn_error{spawn_step::fork, last_error(clone_errno)};
    close_all();
    return result;
  }
  // End of file: execve succeeded and closed the pipe (with CLONE_VFORK it already has by now).
  // A report: the child failed and exits with 127.
  child_report rep{};
  ssize_t n;
  do n = ::read(report[0], &rep, sizeof rep);
  while (n < 0 && errno == EINTR);
  close_fd(report[0]);
  if (n == static_cast<ssize_t>(sizeof rep)) {
    if (pidfd >= 0) ::close(pidfd);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
    result.error = spawn_error{static_cast<spawn_step>(rep.step), last_error(rep.error)};
    close_all();
    return result;
  }

  if (pidfd < 0) pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    result.error = spawn_error{spawn_step::watch, last_error()};
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
    close_all();
    return result;
  }
  result.process = {pid, above_stdio(pidfd), out[0], err[0]};
  return result;
}

bool private_tmpfs_supported(std::string* why_not) {
  static std::once_flag once;
  static bool supported = false;
  static std::string reason;
  std::call_once(once, [] {
    // Lets tests (and users on machines where the probe is wrong) take the measuring path.
    if (const char* v = std::getenv("LAMBKIN_PRIVATE_TMPFS"); v && std::string_view(v) == "0") {
      reason = "LAMBKIN_PRIVATE_TMPFS=0";
      return;
    }
    char scratch[] = "/tmp/lambkin-tmpfs-probe-XXXXXX";
    if (!::mkdtemp(scratch)) {
      reason = std::string("mkdtemp: ") + std::strerror(errno);
      return;
    }
    const auto strings = make_tmpfs_strings(1);
    const std::string dir = scratch;
    const tmpfs_setup setup = strings.setup(dir);
    // The same kind of child as launch_process's, so that the answer holds for it.
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) {
      reason = std::string("pipe: ") + std::strerror(errno);
      ::rmdir(scratch);
      return;
    }
    struct probe {
      const tmpfs_setup* setup;
      int report;
    } p{&setup, report[1]};
    const pid_t pid = clone_vfork(
        [](void* arg) -> int {
          const auto* q = static_cast<const probe*>(arg);
          const int e = enter_private_tmpfs(*q->setup) ? 0 : errno;
          [[maybe_unused]] const auto n = ::write(q->report, &e, sizeof e);
          ::_exit(e == 0 ? 0 : 1);
        },
        &p, nullptr);
    ::close(report[1]);
    int e = 0;
    if (pid < 0) {
      e = errno;
    } else {
      ssize_t n;
      do n = ::read(report[0], &e, sizeof e);
      while (n < 0 && errno == EINTR);
      if (n != static_cast<ssize_t>(sizeof e)) e = ECHILD;
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
    }
    ::close(report[0]);
    ::rmdir(scratch);
    supported = e == 0;
    if (!supported)
      reason = std::string(::geteuid() == 0 ? "unshare(CLONE_NEWNS) + mount tmpfs: "
                                            : "unshare(CLONE_NEWUSER|CLONE_NEWNS) + mount tmpfs: ") + std::strerror(e);
  });
  if (why_not) *why_not = reason;
  return supported;
}

}  // namespace lambkin::io::lambda
