// soak_bench: issue 11's soak — 10,000 MQTT connections held open and 5,000 readings/s through the
// temperature pipeline for 10 minutes; lambkin's RSS must stay flat (within 10%) and nothing may
// go wrong (no failed or unacknowledged publish, no lost reading, no store error, no dropped
// connection). Not a CI test: it takes as long as it is told to.
//
//   build/bench/soak_bench [--seconds 600] [--rate 5000] [--idle 10000] [--devices 50]
//                          [--sample 10] [--warm 60] [--data-dir DIR]
//
// Subject: lambkin embedded (include/lambkin/emulator.hpp) in this process on
// examples/temperature/template.yaml with its data directory on disk (durable async queue,
// tables and retained messages in SQLite files), StoreTemperature replaced by the in-process C++
// one of examples/temperature/inprocess (PutItem through `call_aws`; the Node store does not reach
// 5,000/s on 2 cores, see bench/README.md), everything else the template's: the two rules, the
// async invokes, the C++ alert function as a real process, the IoT Data republish of alerts.
//
// Load, in child processes so that this process's RSS is lambkin's alone:
// - the idle fleet: a fork of this program holding `--idle` MQTT 3.1.1 connections (our Asio
//   generator, bench/mqtt_load.hpp) open for the whole run;
// - the devices: `lambkin-devices --devices D --rate R --duration S --qos 1 --json` (libmosquitto).
//
// Measured side by side in the same run: lambkin's RSS every `--sample` seconds against its own
// RSS at the end of the warm-up (`--warm` seconds into the load: pools, caches and SQLite's page
// cache filled): the ratio max(RSS after warm-up) ÷ RSS at warm-up, target ≤ 1.10; and the
// stored readings against the acknowledged ones (Scan COUNT of the table), target equal. The idle
// connections are counted on lambkin's side (ESTABLISHED sockets on its MQTT port, from
// /proc/self/net/tcp{,6}) before and after.
#include <lambkin/emulator.hpp>

#include "bench/bench_stats.hpp"
#include "bench/mqtt_load.hpp"
#include "bench/table_count.hpp"
#include "examples/temperature/inprocess/store_temperature.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using lambkin::bench::wall;
using namespace std::chrono_literals;

struct settings {
  double seconds = 600;
  double rate = 5000;
  int idle = 10000;
  int devices = 50;
  double sample = 10;
  double warm = 60;
  std::filesystem::path data_dir;
};

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "soak_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seconds") s.seconds = std::stod(value());
    else if (a == "--rate") s.rate = std::stod(value());
    else if (a == "--idle") s.idle = std::stoi(value());
    else if (a == "--devices") s.devices = std::stoi(value());
    else if (a == "--sample") s.sample = std::stod(value());
    else if (a == "--warm") s.warm = std::stod(value());
    else if (a == "--data-dir") s.data_dir = value();
    else {
      std::fprintf(stderr,
                   "usage: soak_bench [--seconds S] [--rate R] [--idle N] [--devices D] [--sample S] [--warm S] "
                   "[--data-dir DIR]\n");
      std::exit(2);
    }
  }
  return s;
}

void raise_file_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

bool write_all(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const auto w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t n) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const auto r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

/// The idle fleet, in a child forked before lambkin starts: reads the MQTT port from `in`, opens
/// `count` connections, writes one byte to `out` when all are up, holds them until `in` reaches
/// end of file (the parent closed it), then closes them. Exit status 0, or 1 with the error.
[[noreturn]] void idle_fleet(int count, int in, int out) {
  std::uint16_t port = 0;
  if (!read_all(in, &port, sizeof port)) std::_Exit(1);
  lambkin::bench::broker_endpoint ep{{boost::asio::ip::address_v4::loopback(), port}, false};
  const auto error = lambkin::bench::hold_idle_connections(ep, count, 200, "soak", [&] {
    const char up = 1;
    write_all(out, &up, 1);
    char c;
    while (::read(in, &c, 1) > 0) {
    }
  });
  if (!error.empty()) std::fprintf(stderr, "soak_bench: idle fleet: %s\n", error.c_str());
  std::_Exit(error.empty() ? 0 : 1);
}

/// ESTABLISHED TCP sockets whose local port is `port` (this process's network namespace).
int established_on(std::uint16_t port) {
  int n = 0;
  for (const char* file : {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string slot, local, remote, state;
      f >> slot >> local >> remote >> state;
      const auto colon = local.rfind(':');
      if (colon == std::string::npos || state != "01") continue;
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) ++n;
    }
  }
  return n;
}

struct child {
  pid_t pid = -1;
  int stdout_fd = -1;
};

child spawn_devices(const settings& s, std::uint16_t port) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const std::vector<std::string> args = {LAMBKIN_DEVICES_EXE, "--port", std::to_string(port), "--devices",
                                         std::to_string(s.devices), "--rate", std::to_string(s.rate), "--duration",
                                         std::to_string(s.seconds), "--qos", "1", "--json", "--drain-timeout", "60"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  child c;
  if (posix_spawn(&c.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error(std::string("cannot start ") + LAMBKIN_DEVICES_EXE);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  c.stdout_fd = fds[0];
  return c;
}

std::string read_to_end(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace

int main(int argc, char** argv) {
  const auto s = parse(argc, argv);
  raise_file_limit();
  std::signal(SIGPIPE, SIG_IGN);

  // The idle fleet is forked first, while this process has one thread.
  int to_fleet[2], from_fleet[2];
  if (::pipe(to_fleet) != 0 || ::pipe(from_fleet) != 0) return 1;
  const pid_t fleet = ::fork();
  if (fleet == 0) {
    ::close(to_fleet[1]);
    ::close(from_fleet[0]);
    idle_fleet(s.idle, to_fleet[0], from_fleet[1]);
  }
  ::close(to_fleet[0]);
  ::close(from_fleet[1]);

  const bool own_dir = s.data_dir.empty();
  const auto dir = own_dir ? std::filesystem::temp_directory_path() / ("soak-" + std::to_string(::getpid())) : s.data_dir;
  std::filesystem::create_directories(dir);

  std::atomic<std::size_t> stored{0}, store_errors{0};
  auto inner = lambkin::examples::store_temperature(lambkin::examples::transport::direct);
  lambkin::inprocess_function store;
  store.handler = [&, handler = inner.handler](const std::string& event, const lambkin::invocation_context& ctx) {
    try {
      auto response = handler(event, ctx);
      ++stored;
      return response;
    } catch (...) {
      ++store_errors;
      throw;
    }
  };
  lambkin::emulator lk({.template_file = LAMBKIN_SOURCE_DIR "/examples/temperature/template.yaml",
                        .data_dir = dir,
                        .timing = "",
                        .functions = {{"StoreTemperature", store}}});
  const auto port = lk.mqtt_port();
  std::printf("soak_bench: %.0f s at %.0f readings/s from %d devices (QoS 1), %d idle MQTT connections; data dir %s;"
              " %u cores; load average %s\n",
              s.seconds, s.rate, s.devices, s.idle, dir.c_str(), std::thread::hardware_concurrency(),
              lambkin::bench::load_average().c_str());
  const auto rss_before_idle = lambkin::bench::process_rss_bytes(::getpid());

  if (!write_all(to_fleet[1], &port, sizeof port)) return 1;
  char up = 0;
  if (!read_all(from_fleet[0], &up, 1)) {
    std::printf("the idle fleet failed to connect (see its error above)\n");
    return 1;
  }
  const int idle_at_start = established_on(port);
  const auto rss_idle = lambkin::bench::process_rss_bytes(::getpid());
  std::printf("idle fleet up: %d connections established on lambkin's side; RSS %.1f MiB before, %.1f MiB after"
              " (%.0f bytes per connection)\n",
              idle_at_start, mib(rss_before_idle), mib(rss_idle),
              static_cast<double>(rss_idle - rss_before_idle) / std::max(1, s.idle));

  auto devices = spawn_devices(s, port);
  const auto start = wall::now();
  std::printf("\n%8s %10s %12s %12s %10s\n", "t_s", "rss_MiB", "stored", "stored/s", "load");
  std::size_t rss_warm = 0, rss_max_after_warm = 0, last_stored = 0;
  auto last_t = start;
  int status = 0;
  for (;;) {
    const auto due = last_t + std::chrono::duration_cast<wall::duration>(std::chrono::duration<double>(s.sample));
    bool exited = false;
    while (wall::now() < due) {
      if (::waitpid(devices.pid, &status, WNOHANG) == devices.pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(100ms);
    }
    const auto now = wall::now();
    const auto rss = lambkin::bench::process_rss_bytes(::getpid());
    const double t = std::chrono::duration<double>(now - start).count();
    const std::size_t st = stored;
    std::printf("%8.0f %10.1f %12zu %12.0f %10s\n", t, mib(rss), st,
                static_cast<double>(st - last_stored) / std::chrono::duration<double>(now - last_t).count(),
                lambkin::bench::load_average().c_str());
    std::fflush(stdout);
    if (t >= s.warm) {
      if (rss_warm == 0) rss_warm = rss;
      else rss_max_after_warm = std::max(rss_max_after_warm, rss);
    }
    last_stored = st;
    last_t = now;
    if (exited) break;
  }
  const auto summary_text = read_to_end(devices.stdout_fd);
  std::size_t sent = 0, acked = 0, failed = 0, disconnected = 0;
  try {
    const auto doc = boost::json::parse(summary_text).as_object();
    sent = static_cast<std::size_t>(doc.at("sent").to_number<std::int64_t>());
    acked = static_cast<std::size_t>(doc.at("acknowledged").to_number<std::int64_t>());
    failed = static_cast<std::size_t>(doc.at("failed").to_number<std::int64_t>());
    disconnected = static_cast<std::size_t>(doc.at("disconnected").to_number<std::int64_t>());
  } catch (const std::exception& e) {
    std::printf("lambkin-devices gave no summary (%s; exit status %d): %s\n", e.what(), status, summary_text.c_str());
    return 1;
  }
  // The async queue drains after the last PUBACK: until every acknowledged reading is stored, or
  // nothing moves for 30 s.
  auto last_progress = wall::now();
  std::size_t seen = stored;
  while (stored < acked && wall::now() - last_progress < 30s) {
    std::this_thread::sleep_for(10ms);
    if (stored != seen) {
      seen = stored;
      last_progress = wall::now();
    }
  }
  const int idle_at_end = established_on(port);
  ::close(to_fleet[1]);  // the idle fleet disconnects and exits
  int fleet_status = 0;
  ::waitpid(fleet, &fleet_status, 0);
  const auto counted = lambkin::bench::count_items(lk.aws_port(), "TemperatureReadings");

  const double ratio = rss_warm ? static_cast<double>(rss_max_after_warm) / static_cast<double>(rss_warm) : 0;
  const auto lost = static_cast<long long>(acked) - static_cast<long long>(counted);
  std::printf("\nreadings: sent %zu, acknowledged %zu, failed %zu, device disconnects %zu, stored %zu (in the table:"
              " %zu), lost %lld, store errors %zu\n",
              sent, acked, failed, disconnected, stored.load(), counted, lost, store_errors.load());
  std::printf("idle connections on lambkin's side: %d at start, %d at the end (of %d); idle fleet exit %d\n",
              idle_at_start, idle_at_end, s.idle, WIFEXITED(fleet_status) ? WEXITSTATUS(fleet_status) : -1);
  std::printf("RSS: %.1f MiB at warm-up (t=%.0f s), max after %.1f MiB: ratio %.3f (target <= 1.10: %s)\n",
              mib(rss_warm), s.warm, mib(rss_max_after_warm), ratio, ratio > 0 && ratio <= 1.10 ? "met" : "NOT met");
  const bool clean = failed == 0 && disconnected == 0 && acked == sent && lost == 0 && store_errors == 0 &&
                     idle_at_end >= s.idle && idle_at_start >= s.idle;
  std::printf("errors: %s\nload average at the end: %s\n", clean ? "none (met)" : "SOME (NOT met)",
              lambkin::bench::load_average().c_str());
  lk.stop();
  if (own_dir) std::filesystem::remove_all(dir);
  return 0;
}
