#include "emulator/io/lambda/process_environment.hpp"
#include "emulator/io/lambda/process_tree.hpp"

#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace net = boost::asio;
using namespace lambkin::io::lambda;
using namespace std::chrono_literals;

namespace {

// Gone, or a zombie whose parent (init, after we killed its own parent) has not reaped it yet.
bool dead(pid_t pid) {
  const auto st = process_state(pid);
  return !st || *st == 'Z';
}

// Waits for `pid` to exit (any process, not only our children): its pidfd becomes readable then.
bool exits_within(pid_t pid, std::chrono::milliseconds timeout = 5s) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // already gone
  pollfd p{fd, POLLIN, 0};
  const int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  ::close(fd);
  return n == 1 && dead(pid);
}

// A grandchild's stop or continue has no event we can wait on (waitid needs a child, a pidfd only
// reports exit), so this re-reads /proc, yielding between reads, until `pred` holds or time is up.
template <class Pred>
bool state_becomes(Pred pred, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

struct fixture {
  lambkin::test::temp_dir dir;
  net::io_context ioc;
  std::vector<std::pair<output_stream, std::string>> lines;
  std::optional<exit_status> exited;
  int oom_calls = 0;
  std::unique_ptr<process_environment> env;

  fixture() { std::filesystem::create_directory(code_dir()); }

  std::filesystem::path code_dir() const { return dir.path() / "code"; }
  std::filesystem::path tmp_dir() const { return dir.path() / "tmp" / "env-1"; }

  std::filesystem::path script(const std::string& body, std::filesystem::perms mode = std::filesystem::perms(0755)) {
    const auto path = code_dir() / "bootstrap";
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(path, mode);
    return path;
  }

  spawn_spec spec(const std::filesystem::path& executable) const {
    spawn_spec s;
    s.name = "fn";
    s.executable = executable.string();
    s.working_dir = code_dir();
    s.tmp_dir = tmp_dir();
    s.environment = {{"PATH", std::getenv("PATH")}, {"TMPDIR", tmp_dir().string()}};
    s.memory_limit_mb = 0;
    return s;
  }

  process_callbacks callbacks() {
    process_callbacks cb;
    cb.on_output = [this](output_stream s, std::string_view line) { lines.emplace_back(s, std::string(line)); };
    cb.on_exit = [this](exit_status st) { exited = st; };
    cb.on_out_of_memory = [this] { ++oom_calls; };
    return cb;
  }

  std::optional<spawn_error> try_start(spawn_spec s) {
    env = std::make_unique<process_environment>(ioc.get_executor(), std::move(s), callbacks());
    return env->spawn();
  }
  void start(spawn_spec s) {
    const auto err = try_start(std::move(s));
    REQUIRE_MESSAGE(!err, to_string(*err));
  }

  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (ioc.stopped()) ioc.restart();
      ioc.run_one_for(50ms);
    }
    return true;
  }
  bool run_until_exit() { return run_until([&] { return exited.has_value(); }); }
  bool run_until_lines(std::size_t n) { return run_until([&] { return lines.size() >= n; }); }

  std::vector<std::string> of(output_stream which) const {
    std::vector<std::string> v;
    for (const auto& [s, l] : lines)
      if (s == which) v.push_back(l);
    return v;
  }
};

}  // namespace

TEST_CASE_FIXTURE(fixture, "the process sees exactly the given environment, in order") {
  auto s = spec("/usr/bin/env");
  environment_inputs in;
  in.function_name = "fn";
  in.handler = "h";
  in.runtime = "provided.al2023";
  in.runtime_api = "127.0.0.1:9001";
  in.aws_endpoint_url = "http://127.0.0.1:4566";
  in.log_stream = "2024/01/01/[$LATEST]00000000000000000000000000000000";
  in.task_root = code_dir().string();
  in.tmp_dir = tmp_dir().string();
  in.host_path = std::getenv("PATH");
  in.user = {{"TABLE", "t1"}};
  s.environment = lambda_environment(in);
  start(s);
  REQUIRE(run_until_exit());
  std::vector<std::string> expected;
  for (const auto& [k, v] : s.environment) expected.push_back(k + "=" + v);
  CHECK(of(output_stream::out) == expected);
  CHECK(*exited == exit_status{false, 0});
}

TEST_CASE_FIXTURE(fixture, "cwd is the code directory, TMPDIR is private (0700) and removed, 1024 open files") {
  // A descriptor of lambkin's without close-on-exec must not reach the runtime.
  const int leaky = ::open("/dev/null", O_RDONLY);
  REQUIRE(leaky >= 0);
  start(spec(script("pwd -P; stat -c %a \"$TMPDIR\"; ulimit -n; ulimit -H -n\n"
                    "if [ -e /proc/$$/fd/" + std::to_string(leaky) + " ]; then echo leaked; else echo closed; fi\n"
                    "mkdir -p \"$TMPDIR/ro/sub\"; touch \"$TMPDIR/ro/sub/f\"; chmod 500 \"$TMPDIR/ro/sub\"; chmod 0 \"$TMPDIR/ro\"")));
  ::close(leaky);
  REQUIRE(run_until_exit());
  const auto out = of(output_stream::out);
  REQUIRE(out.size() == 5);
  CHECK(out[0] == std::filesystem::canonical(code_dir()).string());
  CHECK(out[1] == "700");
  CHECK(out[2] == "1024");
  CHECK(out[3] == "1024");
  CHECK(out[4] == "closed");
  CHECK(std::filesystem::is_directory(tmp_dir()));
  env.reset();  // also removes what the function made unwritable
  CHECK_FALSE(std::filesystem::exists(tmp_dir()));
}

TEST_CASE_FIXTURE(fixture, "stdout and stderr arrive as lines, in order, before on_exit") {
  start(spec(script("printf 'one\\n'; printf 'two\\r\\n'; echo err1 >&2\n"
                    "head -c 300000 /dev/zero | tr '\\0' x; printf '\\n'\n"
                    "echo err2 >&2; printf 'partial'")));
  REQUIRE(run_until_exit());
  const auto out = of(output_stream::out);
  REQUIRE(out.size() == 5);
  CHECK(out[0] == "one");
  CHECK(out[1] == "two");
  CHECK(out[2] == std::string(256 * 1024, 'x'));
  CHECK(out[3] == std::string(300000 - 256 * 1024, 'x'));
  CHECK(out[4] == "partial");
  CHECK(of(output_stream::err) == std::vector<std::string>{"err1", "err2"});
}

TEST_CASE_FIXTURE(fixture, "exit codes and signals are reported once, and the process is reaped") {
  SUBCASE("exit code") {
    start(spec(script("exit 42")));
    REQUIRE(run_until_exit());
    CHECK(*exited == exit_status{false, 42});
    CHECK(to_string(*exited) == "exit status 42");
  }
  SUBCASE("signal") {
    start(spec(script("kill -SEGV $$")));
    REQUIRE(run_until_exit());
    CHECK(*exited == exit_status{true, SIGSEGV});
    CHECK(to_string(*exited) == "signal: segmentation fault");
  }
  CHECK_FALSE(env->running());
  CHECK_FALSE(process_state(env->pid()).has_value());
}

TEST_CASE_FIXTURE(fixture, "when the runtime exits, what it left running in its group is killed") {
  start(spec(script("sleep 1000 & echo $!; exit 0")));
  REQUIRE(run_until_exit());
  REQUIRE(of(output_stream::out).size() == 1);
  const pid_t grandchild = std::stoi(of(output_stream::out)[0]);
  CHECK(exits_within(grandchild));
}

TEST_CASE_FIXTURE(fixture, "freeze stops the whole group, thaw continues it") {
  start(spec(script("sleep 1000 & echo $!; wait")));
  REQUIRE(run_until_lines(1));
  const pid_t leader = env->pid();
  const pid_t grandchild = std::stoi(lines[0].second);
  env->freeze();
  CHECK(env->frozen());
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(leader), &info, WSTOPPED | WNOWAIT) == 0);
  CHECK(process_state(leader) == 'T');
  CHECK(state_becomes([&] { return process_state(grandchild) == 'T'; }));

  env->thaw();
  CHECK_FALSE(env->frozen());
  REQUIRE(::waitid(P_PID, static_cast<id_t>(leader), &info, WCONTINUED | WNOWAIT) == 0);
  CHECK(process_state(leader) != 'T');
  CHECK(state_becomes([&] { return process_state(grandchild) != 'T'; }));

  env->kill();
  REQUIRE(run_until_exit());
  CHECK(*exited == exit_status{true, SIGKILL});
  CHECK(exits_within(grandchild));
}

TEST_CASE_FIXTURE(fixture, "freeze_after: a thaw within the grace cancels the freeze, else the group stops") {
  start(spec(script("sleep 1000 & echo $!; wait")));
  REQUIRE(run_until_lines(1));
  const pid_t leader = env->pid();
  const pid_t grandchild = std::stoi(lines[0].second);

  // Invoked again within the grace: no signal is sent, the pending freeze is gone.
  env->freeze_after(1h);
  CHECK(env->freeze_pending());
  CHECK_FALSE(env->frozen());
  env->thaw();
  CHECK_FALSE(env->freeze_pending());
  CHECK_FALSE(env->frozen());
  CHECK(process_state(leader) != 'T');

  // Left idle: frozen when the grace has passed, the whole group.
  env->freeze_after(1ms);
  CHECK(env->freeze_pending());
  REQUIRE(run_until([&] { return env->frozen(); }));
  CHECK_FALSE(env->freeze_pending());
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(leader), &info, WSTOPPED | WNOWAIT) == 0);
  CHECK(state_becomes([&] { return process_state(grandchild) == 'T'; }));

  // A zero grace freezes at once; a process ending with a freeze pending never fires it.
  env->thaw();
  REQUIRE(::waitid(P_PID, static_cast<id_t>(leader), &info, WCONTINUED | WNOWAIT) == 0);
  env->freeze_after(0us);
  CHECK(env->frozen());
  env->thaw();
  env->freeze_after(1h);
  env->kill();
  REQUIRE(run_until_exit());
  CHECK_FALSE(env->freeze_pending());
  CHECK_FALSE(env->frozen());
  CHECK(exits_within(grandchild));
}

TEST_CASE_FIXTURE(fixture, "terminate: a handled SIGTERM ends the process, also when frozen") {
  start(spec(script("trap 'echo bye; exit 3' TERM; echo ready; sleep 1000 & wait")));
  REQUIRE(run_until_lines(1));
  SUBCASE("running") {}
  SUBCASE("frozen") { env->freeze(); }
  env->terminate(10s);
  REQUIRE(run_until_exit());
  CHECK(*exited == exit_status{false, 3});
  CHECK(of(output_stream::out).back() == "bye");
}

TEST_CASE_FIXTURE(fixture, "terminate: an ignored SIGTERM is followed by SIGKILL after the grace") {
  start(spec(script("trap '' TERM; echo ready; exec sleep 1000")));
  REQUIRE(run_until_lines(1));
  const auto t0 = std::chrono::steady_clock::now();
  env->terminate(200ms);
  REQUIRE(run_until_exit());
  CHECK(std::chrono::steady_clock::now() - t0 >= 200ms);
  CHECK(*exited == exit_status{true, SIGKILL});
}

TEST_CASE_FIXTURE(fixture, "lambkin's blocked signals do not leak into the runtime") {
  sigset_t term, old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &term, &old);
  const auto err = try_start(spec(script("echo ready; exec sleep 1000")));
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  REQUIRE(!err);
  REQUIRE(run_until_lines(1));
  env->terminate(10s);
  REQUIRE(run_until_exit());
  CHECK(*exited == exit_status{true, SIGTERM});
}

TEST_CASE_FIXTURE(fixture, "memory: the peak is measured; over the limit the group is killed as out of memory") {
  SUBCASE("under the limit") {
    auto s = spec(script("echo ready; exec sleep 1000"));
    s.memory_limit_mb = 128;
    start(s);
    REQUIRE(run_until_lines(1));
    env->sample_memory();
    CHECK(env->peak_rss_bytes() > 0);
    CHECK(env->peak_rss_mb() < 128);
    env->kill();
    REQUIRE(run_until_exit());
    CHECK(oom_calls == 0);
  }
  SUBCASE("over the limit") {
    // `tail` keeps a newline-free stream in memory: resident memory grows to 400 MB.
    auto s = spec(script("head -c 400M /dev/zero | tail; echo survived"));
    s.memory_limit_mb = 128;
    s.memory_interval = 20ms;
    start(s);
    REQUIRE(run_until_exit());
    CHECK(oom_calls == 1);
    CHECK(*exited == exit_status{true, SIGKILL});
    CHECK(env->peak_rss_mb() > 128);
    CHECK(of(output_stream::out).empty());
  }
}

TEST_CASE_FIXTURE(fixture, "spawn failures are values: missing, not executable, no working dir, TMPDIR taken") {
  SUBCASE("missing bootstrap") {
    const auto err = try_start(spec(code_dir() / "bootstrap"));
    REQUIRE(err);
    CHECK(err->step == spawn_step::exec);
    CHECK(err->code == std::errc::no_such_file_or_directory);
    CHECK(to_string(*err) == "exec: No such file or directory");
  }
  SUBCASE("not executable") {
    const auto err = try_start(spec(script("echo hi", std::filesystem::perms(0644))));
    REQUIRE(err);
    CHECK(err->step == spawn_step::exec);
    CHECK(err->code == std::errc::permission_denied);
  }
  SUBCASE("missing code directory") {
    auto s = spec(script("echo hi"));
    s.working_dir = dir.path() / "nowhere";
    const auto err = try_start(s);
    REQUIRE(err);
    CHECK(err->step == spawn_step::working_dir);
  }
  SUBCASE("TMPDIR exists already") {
    std::filesystem::create_directories(tmp_dir());
    const auto err = try_start(spec(script("echo hi")));
    REQUIRE(err);
    CHECK(err->step == spawn_step::tmp_dir);
    CHECK(err->code == std::errc::file_exists);
  }
  CHECK_FALSE(env->running());
  ioc.poll();
  CHECK_FALSE(exited);
}

TEST_CASE_FIXTURE(fixture, "after an exit the environment can spawn again and keeps its TMPDIR") {
  start(spec(script("if [ -f \"$TMPDIR/f\" ]; then echo again; else echo first; touch \"$TMPDIR/f\"; fi")));
  REQUIRE(run_until_exit());
  exited.reset();
  REQUIRE(!env->spawn());
  REQUIRE(run_until_exit());
  CHECK(of(output_stream::out) == std::vector<std::string>{"first", "again"});
}

TEST_CASE_FIXTURE(fixture, "destroying the object kills and reaps the group, frozen or not, and removes TMPDIR") {
  start(spec(script("sleep 1000 & echo $!; wait")));
  REQUIRE(run_until_lines(1));
  const pid_t leader = env->pid();
  const pid_t grandchild = std::stoi(lines[0].second);
  SUBCASE("running") {}
  SUBCASE("frozen") { env->freeze(); }
  env.reset();
  CHECK_FALSE(process_state(leader).has_value());  // reaped synchronously: no zombie
  CHECK(exits_within(grandchild));
  CHECK_FALSE(std::filesystem::exists(tmp_dir()));
  CHECK_FALSE(exited);
}

TEST_CASE_FIXTURE(fixture, "a runtime dies with the thread that launched it (PR_SET_PDEATHSIG)") {
  const auto s = spec(script("exec sleep 1000"));
  int report[2];
  REQUIRE(::pipe(report) == 0);
  const pid_t middle = ::fork();
  REQUIRE(middle >= 0);
  if (middle == 0) {
    // A stand-in for a lambkin that is SIGKILLed: it exits without any cleanup.
    net::io_context ctx;
    process_environment e(ctx.get_executor(), s);
    if (e.spawn()) ::_exit(1);
    const pid_t child = e.pid();
    [[maybe_unused]] const auto n = ::write(report[1], &child, sizeof child);
    ::_exit(0);
  }
  ::close(report[1]);
  pid_t child = -1;
  const auto n = ::read(report[0], &child, sizeof child);
  ::close(report[0]);
  int status = 0;
  ::waitpid(middle, &status, 0);
  REQUIRE(n == static_cast<ssize_t>(sizeof child));
  CHECK(exits_within(child));
  std::filesystem::remove_all(tmp_dir());
}

TEST_CASE_FIXTURE(fixture, "a shared tmpfs mount point: each environment sees only its own /tmp there, lambkin none") {
  const auto shared = private_tmpfs_mount_point(dir.path() / "tmp");
  auto shared_spec = [&](const std::filesystem::path& exe) {
    auto s = spec(exe);
    s.tmp_dir = shared;
    s.tmp_dir_shared = true;
    s.tmp_limit_mb = 8;
    s.environment = {{"PATH", std::getenv("PATH")}, {"TMPDIR", shared.string()}};
    return s;
  };
  // Each writes its own file, then (told through its FIFO that the other has written too) lists it.
  const auto exe = script(
      "touch \"$TMPDIR/$1\"; stat -c %a \"$TMPDIR\"; df -k \"$TMPDIR\" | awk 'NR==2{print $2}'; "
      "read go < \"$2\"; ls \"$TMPDIR\"");
  if (!private_tmpfs_supported()) {
    const auto err = try_start(shared_spec(exe));
    REQUIRE(err);
    CHECK(err->step == spawn_step::tmp_dir);
    CHECK(err->code == std::errc::invalid_argument);
    return;
  }
  const auto go_a = dir.path() / "go-a", go_b = dir.path() / "go-b";
  REQUIRE(::mkfifo(go_a.c_str(), 0600) == 0);
  REQUIRE(::mkfifo(go_b.c_str(), 0600) == 0);
  auto a_spec = shared_spec(exe);
  a_spec.args = {"a", go_a.string()};
  auto b_spec = shared_spec(exe);
  b_spec.args = {"b", go_b.string()};
  std::vector<std::string> a_lines, b_lines;
  std::optional<exit_status> a_exit, b_exit;
  process_callbacks a_cb, b_cb;
  a_cb.on_output = [&](output_stream, std::string_view l) { a_lines.emplace_back(l); };
  a_cb.on_exit = [&](exit_status st) { a_exit = st; };
  b_cb.on_output = [&](output_stream, std::string_view l) { b_lines.emplace_back(l); };
  b_cb.on_exit = [&](exit_status st) { b_exit = st; };
  process_environment a(ioc.get_executor(), a_spec, a_cb), b(ioc.get_executor(), b_spec, b_cb);
  REQUIRE(!a.spawn());
  REQUIRE(!b.spawn());
  CHECK(a.private_tmpfs());
  CHECK(b.private_tmpfs());
  REQUIRE(run_until([&] { return a_lines.size() >= 2 && b_lines.size() >= 2; }));
  std::ofstream(go_a) << "go\n";  // both have written their file by now
  std::ofstream(go_b) << "go\n";
  REQUIRE(run_until([&] { return a_exit && b_exit; }));
  CHECK(a_lines == std::vector<std::string>{"700", std::to_string(8 * 1024), "a"});
  CHECK(b_lines == std::vector<std::string>{"700", std::to_string(8 * 1024), "b"});
  // lambkin's own view of the mount point: an empty directory, kept for the next environment.
  CHECK(std::filesystem::is_directory(shared));
  CHECK(std::filesystem::is_empty(shared));
}
