#include "bench/bare_runtime.hpp"

#include "emulator/io/lambda/process_launcher.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lambkin::bench {
namespace {

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::system_category(), what); }

constexpr std::string_view next_request_line = "GET /2018-06-01/runtime/invocation/next";

}  // namespace

bare_runtime_listener::bare_runtime_listener() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) fail("socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fail("bind");
  if (::listen(listen_fd_, 16) != 0) fail("listen");
  socklen_t len = sizeof a;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) fail("getsockname");
  port_ = ntohs(a.sin_port);
}

bare_runtime_listener::~bare_runtime_listener() {
  drop_connection();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void bare_runtime_listener::wait_for_next() {
  drop_connection();
  conn_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn_fd_ < 0) fail("accept");
  std::string seen;
  char buf[512];
  while (seen.find(next_request_line) == std::string::npos) {
    const auto n = ::read(conn_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("the runtime closed before GET /next");
    seen.append(buf, static_cast<std::size_t>(n));
  }
}

void bare_runtime_listener::drop_connection() {
  if (conn_fd_ >= 0) ::close(conn_fd_);
  conn_fd_ = -1;
}

bare_process spawn_bootstrap(const std::string& bootstrap, unsigned short port, spawn_method how) {
  const std::string address = "127.0.0.1:" + std::to_string(port);
  const std::string dir = std::filesystem::path(bootstrap).parent_path().string();
  bare_process started;
  if (how == spawn_method::lambkin_launcher) {
    namespace lam = lambkin::io::lambda;
    lam::launch_request r;
    r.executable = bootstrap;
    r.working_dir = dir;
    r.environment = {{"AWS_LAMBDA_RUNTIME_API", address}, {"PATH", "/usr/local/bin:/usr/bin:/bin"}};
    auto launched = lam::launch_process(r);
    if (launched.error)
      throw std::system_error(launched.error->code, "launch_process: " + lam::to_string(*launched.error));
    started.pid = launched.process.pid;
    started.fds[0] = launched.process.pidfd;
    started.fds[1] = launched.process.out;
    started.fds[2] = launched.process.err;
    return started;
  }

  // Everything the child needs is built before the fork, as in lambkin's launcher.
  std::string api = "AWS_LAMBDA_RUNTIME_API=" + address;
  std::string path = "PATH=/usr/local/bin:/usr/bin:/bin";
  std::vector<char*> envp{api.data(), path.data(), nullptr};
  std::string exe = bootstrap;
  std::vector<char*> argv{exe.data(), nullptr};

  pid_t& pid = started.pid;
  if (how == spawn_method::posix_spawn) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addchdir_np(&fa, dir.c_str());
    const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      errno = rc;
      fail("posix_spawn");
    }
    return started;
  }

  const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) fail("open /dev/null");
  pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::execve(exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(devnull);
  if (pid < 0) fail("fork");
  return started;
}

void kill_and_reap(bare_process& p) {
  if (p.pid > 0) {
    ::kill(p.pid, SIGKILL);
    while (::waitpid(p.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  for (int& fd : p.fds) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  p.pid = -1;
}

}  // namespace lambkin::bench
