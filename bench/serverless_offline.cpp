#include "bench/serverless_offline.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lambkin::bench {
namespace {

sockaddr_in loopback(unsigned short port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

// serverless-offline takes ports, not 0: ask the kernel for a free one and hand it over (the
// short race with other programs is acceptable in a benchmark).
unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto a = loopback(0);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("no free port");
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const auto a = loopback(port);
  const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

serverless_offline::serverless_offline(const std::filesystem::path& project_dir) {
  const auto cli = project_dir / "node_modules" / ".bin" / "serverless";
  if (!std::filesystem::exists(cli))
    throw std::runtime_error(cli.string() + " is missing: run `npm ci` in " + project_dir.string());
  lambda_port_ = free_port();
  const unsigned short http_port = free_port();
  log_ = std::filesystem::temp_directory_path() / ("lambkin-bench-sls-" + std::to_string(::getpid()) + ".log");
  process_ = std::make_unique<child_process>(
      std::vector<std::string>{cli.string(), "offline", "start", "--lambdaPort", std::to_string(lambda_port_),
                               "--httpPort", std::to_string(http_port)},
      project_dir, log_,
      // Offline only: no telemetry, no update notices, dummy credentials.
      std::vector<std::string>{"SLS_TELEMETRY_DISABLED=1", "SLS_NOTIFICATIONS_MODE=off", "AWS_ACCESS_KEY_ID=bench",
                               "AWS_SECRET_ACCESS_KEY=bench"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!accepts(lambda_port_)) {
    if (process_->exited() || std::chrono::steady_clock::now() > deadline) {
      const std::string log = read_text(log_);
      process_.reset();
      std::filesystem::remove(log_);
      throw std::runtime_error("serverless-offline did not come up:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

serverless_offline::~serverless_offline() {
  process_.reset();
  std::error_code ec;
  std::filesystem::remove(log_, ec);
}

}  // namespace lambkin::bench
