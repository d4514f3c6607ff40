#include "support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lambkin::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path make_temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "lambkin-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  return tmpl;
}

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

child_process::child_process(std::vector<std::string> argv, std::vector<std::string> extra_env)
    : dir_(make_temp_dir()) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const auto out = (dir_ / "stdout").string();
  const auto err = (dir_ / "stderr").string();
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
  for (auto& e : extra_env) env_storage.push_back(std::move(e));
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn " + argv[0]);
}

child_process::~child_process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool child_process::running() {
  if (status_) return false;
  int st = 0;
  const pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = decode(st);
    return false;
  }
  return true;
}

void child_process::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
  if (!running()) return status_;
  // A pidfd becomes readable when the process exits: poll() on it is a real wait, not a sleep.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd < 0) throw std::system_error(errno, std::generic_category(), "pidfd_open");
  pollfd p{pidfd, POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(timeout.count()));
  ::close(pidfd);
  running();
  return status_;
}

std::string child_process::out() const { return slurp(dir_ / "stdout"); }
std::string child_process::err() const { return slurp(dir_ / "stderr"); }

run_result run(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  child_process child(std::move(argv));
  const auto code = child.wait(timeout);
  if (!code) {
    child.signal(SIGKILL);
    child.wait(std::chrono::seconds(5));
    return {-1, child.out(), child.err() + "\n[test: timed out]"};
  }
  return {*code, child.out(), child.err()};
}

bool wait_for_file(const std::filesystem::path& path, child_process& child, std::chrono::milliseconds timeout) {
  // Wakes on any change in the file's directory (inotify) or on the child's exit (pidfd).
  const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  ::inotify_add_watch(fd, path.parent_path().c_str(), IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.pid(), 0));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool found = std::filesystem::exists(path);
  while (!found && child.running()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p[2] = {{fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
    ::poll(p, pidfd >= 0 ? 2 : 1, static_cast<int>(left.count()));
    char buf[4096];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    found = std::filesystem::exists(path);
  }
  if (pidfd >= 0) ::close(pidfd);
  ::close(fd);
  return found;
}

namespace {
// Shared by wait_for_stderr and wait_for_stdout: `name` is the output file in the child's dir.
bool wait_for_output(child_process& child, const char* name, const std::string& text,
                     std::chrono::milliseconds timeout, std::size_t count) {
  const auto occurrences = [&] {
    const auto output = std::string(name) == "stdout" ? child.out() : child.err();
    std::size_t n = 0;
    for (auto p = output.find(text); p != std::string::npos; p = output.find(text, p + 1)) ++n;
    return n;
  };
  const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  ::inotify_add_watch(fd, (child.dir() / name).c_str(), IN_MODIFY);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.pid(), 0));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool found = occurrences() >= count;
  while (!found && child.running()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p[2] = {{fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
    ::poll(p, pidfd >= 0 ? 2 : 1, static_cast<int>(left.count()));
    char buf[4096];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
    found = occurrences() >= count;
  }
  if (pidfd >= 0) ::close(pidfd);
  ::close(fd);
  return found || occurrences() >= count;
}
}  // namespace

bool wait_for_stderr(child_process& child, const std::string& text, std::chrono::milliseconds timeout,
                     std::size_t count) {
  return wait_for_output(child, "stderr", text, timeout, count);
}

bool wait_for_stdout(child_process& child, const std::string& text, std::chrono::milliseconds timeout,
                     std::size_t count) {
  return wait_for_output(child, "stdout", text, timeout, count);
}

temp_dir::temp_dir() : path_(make_temp_dir()) {}
temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string lambkin_exe() { return LAMBKIN_EXE; }

}  // namespace lambkin::test
