// `lambkin run`'s console (issue 10): on a terminal (a pseudo-terminal here) coloured
// Lambda-style lines per function and a live status line under them; plain lines elsewhere.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using lambkin::test::count_of;
using lambkin::test::fn;
using lambkin::test::lambkin_instance;
using lambkin::test::template_for;

namespace {

const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";

/// A child whose stdin, stdout and stderr are a pseudo-terminal, 200 columns wide.
class pty_child {
 public:
  explicit pty_child(std::vector<std::string> argv) {
    winsize ws{};
    ws.ws_row = 40;
    ws.ws_col = 200;
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_ = ::forkpty(&master_, nullptr, nullptr, &ws);
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::unsetenv("NO_COLOR");
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~pty_child() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }
  pty_child(const pty_child&) = delete;
  pty_child& operator=(const pty_child&) = delete;

  /// Reads the terminal until `done(output)` holds, the child closes it, or `timeout` passes.
  bool read_until(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout) {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    while (!done(output_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{master_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      char buf[4096];
      const auto n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return done(output_);  // EIO: the child is gone and the terminal closed
      output_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  bool read_until(const std::string& text, std::chrono::milliseconds timeout) {
    return read_until([&](const std::string& out) { return out.find(text) != std::string::npos; }, timeout);
  }
  int stop() {
    ::kill(pid_, SIGTERM);
    read_until([](const std::string&) { return false; }, std::chrono::seconds(15));  // to the end
    int st = 0;
    ::waitpid(pid_, &st, 0);
    status_ = st;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  std::optional<int> status_;
  std::string output_;
};

}  // namespace

TEST_CASE("on a terminal: each function's name in colour, a cold start's Init Duration in bold, a live status line") {
  lambkin::test::temp_dir dir;
  const auto tmpl = dir.path() / "template.yaml";
  std::ofstream(tmpl) << template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""},
                                       {"Other", "nodejs20.x", "index.handler", data + "node-basic", ""}});
  const auto ready = dir.path() / "ready.json";
  pty_child lk({lambkin::test::lambkin_exe(), "run", tmpl.string(), "--aws-port", "0", "--mqtt-port", "0", "--ws-port",
                "0", "--http-port", "0", "--data-dir", ":memory:", "--ready-file", ready.string(), "--no-watch"});
  // The first status line is drawn once everything listens.
  REQUIRE_MESSAGE(lk.read_until("\r\x1b[K\x1b[7mlambkin · 0 clients", std::chrono::seconds(30)), lk.output());
  REQUIRE(std::filesystem::exists(ready));
  std::ifstream in(ready);
  const auto ports = boost::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  const auto aws = static_cast<unsigned short>(ports.at("aws").as_int64());

  lambkin::test::http_client client(aws);
  for (const auto* name : {"Echo", "Other"}) {
    const auto res = client.request(lambkin::test::bhttp::verb::post,
                                    std::string("/2015-03-31/functions/") + name + "/invocations", "{}");
    REQUIRE(res.result_int() == 200);
  }
  // Both REPORT lines, and a status line that has counted the two cold starts.
  REQUIRE_MESSAGE(lk.read_until(
                      [](const std::string& out) {
                        return count_of(out, " REPORT RequestId") == 2 && out.find("2 cold starts") != std::string::npos;
                      },
                      std::chrono::seconds(30)),
                  lk.output());
  const auto& out = lk.output();
  // Functions get different colours, in order of appearance in the template.
  CHECK(out.find("\x1b[36mEcho\x1b[0m REPORT RequestId") != std::string::npos);
  CHECK(out.find("\x1b[35mOther\x1b[0m REPORT RequestId") != std::string::npos);
  CHECK(out.find("\x1b[1mInit Duration: ") != std::string::npos);
  // Every log line is written over the status line, which is drawn again under it.
  CHECK(out.find("\r\x1b[K") != std::string::npos);
  const auto report = out.find("\x1b[36mEcho\x1b[0m REPORT");
  const auto line_end = out.find('\n', report);
  REQUIRE(line_end != std::string::npos);
  const std::string status_start = "\x1b[7mlambkin · 0 clients";
  CHECK(out.compare(line_end + 1, status_start.size(), status_start) == 0);
  // A line that is not a function's keeps its first word plain.
  CHECK(out.find("\x1b[32minfo \x1b[0m AWS endpoint listening") != std::string::npos);

  CHECK(lk.stop() == 0);
  // At the end the status line is wiped: nothing of it follows the last clear.
  const auto& all = lk.output();
  const auto last_clear = all.rfind("\r\x1b[K");
  REQUIRE(last_clear != std::string::npos);
  CHECK(all.find("cold starts", last_clear) == std::string::npos);
}

TEST_CASE("not a terminal: plain lines, no escape sequences, no status line, and --color always paints but draws no status") {
  const auto tmpl = template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""}});
  {
    lambkin_instance lk(tmpl);
    REQUIRE(lk.invoke("Echo", "{}").result_int() == 200);
    REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "REPORT RequestId", std::chrono::seconds(30)));
    CHECK(lk.stop() == 0);
    CHECK(lk.log().find('\x1b') == std::string::npos);
    CHECK(lk.log().find("Echo REPORT RequestId") != std::string::npos);
  }
  {
    lambkin_instance lk(tmpl, {"--color", "always"});
    REQUIRE(lk.invoke("Echo", "{}").result_int() == 200);
    REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "REPORT RequestId", std::chrono::seconds(30)));
    CHECK(lk.stop() == 0);
    CHECK(lk.log().find("\x1b[36mEcho\x1b[0m REPORT RequestId") != std::string::npos);
    CHECK(lk.log().find("\r\x1b[K") == std::string::npos);
    CHECK(lk.log().find("cold starts") == std::string::npos);
  }
}
