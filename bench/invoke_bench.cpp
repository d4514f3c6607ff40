// invoke_bench: a warm sync invoke through lambkin's Invoke API, against a floor measured in the
// same run.
//
// Subject: `lambkin run` (the built binary, a child process) with one `provided.al2023` function,
// the cpp-echo bootstrap; POST /2015-03-31/functions/Echo0/invocations with `{}` on one
// keep-alive connection. Every warm invoke includes everything lambkin does on that path: the
// Invoke API, the pool, thawing the environment (SIGCONT), handing the event over the Runtime
// API, taking the response, START/END/REPORT, sampling the process tree's memory and freezing
// it again (SIGSTOP).
//
// Floor: two sequential loopback HTTP round trips with Beast (a trivial Beast server in this
// process answering a body of the same size), since a sync invoke is at least the client's round
// trip to the emulator plus the event's round trip to the runtime. Target: lambkin ≤ 3× the floor
// at p50 and p99. Samples are interleaved in blocks so that load from other processes on the
// machine falls on both sides alike.
//
// Diagnostic rows (not the target's floor) take the gap apart: a relay floor in this process
// hands each event to a real cpp-echo runtime over the Runtime API and back (the data path of a
// warm invoke, nothing else), once without and once with lambkin's freeze/thaw steps.
//
// Also: throughput with C concurrent clients (each its own connection), and the caller-side
// cost of the freeze/thaw steps measured on a bare bootstrap.
//
//   invoke_bench [N] [SECONDS] [CLIENTS]   N sequential samples per subject (default 10000),
//                                          throughput window (default 3 s), clients (default 8)
#include "bench/bare_runtime.hpp"
#include "bench/bench_stats.hpp"
#include "bench/concurrent_load.hpp"
#include "bench/http_client.hpp"
#include "bench/http_floor_server.hpp"
#include "bench/lambkin_process.hpp"
#include "bench/relay_floor.hpp"
#include "bench/side_by_side.hpp"
#include "emulator/io/lambda/process_tree.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace lambkin::bench;

const std::string invoke_target = "/2015-03-31/functions/Echo0/invocations";
constexpr int block = 10;  // samples per subject before rotating: fine interleaving evens out load bursts

struct run_config {
  int samples = 10000;
  double seconds = 3;
  int clients = 8;
};

struct level_result {
  std::string level;
  latency_summary floor, lambkin;
  std::optional<latency_summary> relay, relay_frozen;  // diagnostic rows, first level only
  std::optional<latency_summary> baseline;            // INVOKE_BASELINE's lambkin, same level
  throughput_result floor_tp, lambkin_tp;
  std::size_t cold_starts = 0;  // counted from REPORT lines (info level only)
};

// LAMBKIN_BENCH_BINARY: another lambkin binary (an older build, for a before/after pair) instead
// of the one built with this benchmark.
std::string lambkin_exe() {
  const char* other = std::getenv("LAMBKIN_BENCH_BINARY");
  return other && *other ? other : LAMBKIN_EXE;
}

bool invoke(http_client& c) { return c.post(invoke_target, "{}") == 200; }
bool floor_pair(http_client& c) { return c.post("/floor", "{}") == 200 && c.post("/floor", "{}") == 200; }
bool relay_invoke(http_client& c) { return c.post("/relay", "{}") == 200; }

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// One lambkin process at one log level, side by side with the floor server (and, when asked,
// with the relay floors).
level_result measure_level(const std::string& level, const run_config& cfg, std::optional<http_floor_server>& floor,
                           bool with_relays) {
  level_result r;
  r.level = level;
  lambkin_process lk(lambkin_exe(), echo_template(1, CPP_ECHO_DIR), level);
  http_client subject(lk.aws_port());
  if (!invoke(subject)) throw std::runtime_error("the cold invoke failed: " + subject.last_body());
  // The floor answers with exactly the bytes a warm invoke returns, so both move the same payload.
  if (!invoke(subject)) throw std::runtime_error("a warm invoke failed: " + subject.last_body());
  if (!floor) floor.emplace(subject.last_body());
  http_client base(floor->port());
  for (int i = 0; i < 200; ++i) {  // warm caches and the allocator on both sides
    invoke(subject);
    floor_pair(base);
  }

  std::vector<timed_subject> subjects{{&base, floor_pair}, {&subject, invoke}};
  // INVOKE_BASELINE: a second lambkin binary (an older build) as a subject of the same run, its
  // samples in the same rotation, so that a before/after pair sees the same load.
  std::optional<lambkin_process> old_lk;
  std::optional<http_client> old_client;
  if (const char* baseline = std::getenv("INVOKE_BASELINE"); baseline && *baseline) {
    old_lk.emplace(baseline, echo_template(1, CPP_ECHO_DIR), level);
    old_client.emplace(old_lk->aws_port());
    for (int i = 0; i < 200; ++i)
      if (!invoke(*old_client)) throw std::runtime_error("the baseline's invoke failed: " + old_client->last_body());
    subjects.push_back({&*old_client, invoke});
  }
  std::optional<relay_floor> relay, relay_frozen;
  std::optional<http_client> relay_client, relay_frozen_client;
  if (with_relays) {
    const std::string bootstrap = std::string(CPP_ECHO_DIR) + "/bootstrap";
    relay.emplace(bootstrap, false);
    relay_frozen.emplace(bootstrap, true);
    relay_client.emplace(relay->port());
    relay_frozen_client.emplace(relay_frozen->port());
    for (int i = 0; i < 200; ++i) {  // the first event also waits for the runtime's init
      if (!relay_invoke(*relay_client) || !relay_invoke(*relay_frozen_client))
        throw std::runtime_error("the relay floor failed");
    }
    subjects.push_back({&*relay_client, relay_invoke});
    subjects.push_back({&*relay_frozen_client, relay_invoke});
  }
  const auto latency = measure_side_by_side(subjects, cfg.samples, block);
  r.floor = latency[0];
  r.lambkin = latency[1];
  std::size_t next = 2;
  if (old_lk) r.baseline = latency[next++];
  if (with_relays) {
    r.relay = latency[next++];
    r.relay_frozen = latency[next++];
  }

  // The warm-up second lets lambkin start the environments C concurrent clients need: those cold
  // starts are not what this row measures (they are counted below when the log shows them).
  r.floor_tp = run_concurrent(floor->port(), cfg.clients, 0.5, cfg.seconds, floor_pair);
  r.lambkin_tp = run_concurrent(lk.aws_port(), cfg.clients, 1.0, cfg.seconds, invoke);
  if (lk.stop() != 0) std::fprintf(stderr, "warning: lambkin (--log-level %s) did not exit with 0\n", level.c_str());
  r.cold_starts = count_of(lk.stderr_text(), "Init Duration: ");
  return r;
}

// What a freeze and a thaw cost the caller, on a bare bootstrap parked in GET /next: lambkin
// samples the tree's resident memory and sends SIGSTOP after each invoke, SIGCONT before the next.
void measure_freeze_steps(int samples) {
  bare_runtime_listener listener;
  auto child = spawn_bootstrap(std::string(CPP_ECHO_DIR) + "/bootstrap", listener.port(), spawn_method::posix_spawn);
  const pid_t pid = child.pid;
  listener.wait_for_next();
  std::vector<double> rss_us, stop_us, cont_us;
  for (int i = 0; i < samples; ++i) {
    const auto t0 = wall::now();
    [[maybe_unused]] const auto bytes = lambkin::io::lambda::tree_resident_bytes(pid, pid);
    const auto t1 = wall::now();
    ::kill(pid, SIGSTOP);
    const auto t2 = wall::now();
    ::kill(pid, SIGCONT);
    const auto t3 = wall::now();
    rss_us.push_back(micros_between(t0, t1));
    stop_us.push_back(micros_between(t1, t2));
    cont_us.push_back(micros_between(t2, t3));
  }
  kill_and_reap(child);
  const latency_summary none{};
  std::printf("\nfreeze/thaw steps as lambkin's thread pays them (bare bootstrap parked in GET /next), us\n");
  print_latency_header("us");
  print_latency_row("tree_resident_bytes (memory sample at each freeze)", summarize(rss_us), none);
  print_latency_row("kill(SIGSTOP)", summarize(stop_us), none);
  print_latency_row("kill(SIGCONT)", summarize(cont_us), none);
  std::printf("(no ratio: these are parts of the lambkin rows above, not subjects of their own)\n");
}

void print_results(const std::vector<level_result>& results, const run_config& cfg) {
  std::printf("\nwarm sync invoke, %d sequential samples on one keep-alive connection, interleaved in blocks of %d\n",
              cfg.samples, block);
  print_latency_header("us");
  for (const auto& r : results) {
    print_latency_row("floor: 2 sequential Beast loopback round trips", r.floor, r.floor);
    print_latency_row("lambkin --log-level " + r.level + ": invoke no-op provided fn", r.lambkin, r.floor);
    if (r.baseline) print_latency_row("INVOKE_BASELINE --log-level " + r.level + ": the same", *r.baseline, r.floor);
    if (r.relay) print_latency_row("  diagnostic: relay floor (real runtime, no freeze)", *r.relay, r.floor);
    if (r.relay_frozen) print_latency_row("  diagnostic: relay floor + freeze/thaw", *r.relay_frozen, r.floor);
  }
  std::printf("\nthroughput, %d concurrent clients, %.1f s each after a warm-up\n", cfg.clients, cfg.seconds);
  std::printf("%-52s %10s %8s %8s %10s %8s\n", "benchmark", "ops", "failed", "seconds", "ops/s", "ratio");
  for (const auto& r : results) {
    const auto row = [&](const std::string& name, const throughput_result& t) {
      std::printf("%-52s %10llu %8llu %8.2f %10.0f %8.2f\n", name.c_str(),
                  static_cast<unsigned long long>(t.operations), static_cast<unsigned long long>(t.failures),
                  t.seconds, t.per_second(), r.floor_tp.per_second() > 0 ? t.per_second() / r.floor_tp.per_second() : 0);
    };
    row("floor: 2 sequential Beast round trips per op", r.floor_tp);
    row("lambkin --log-level " + r.level + ": invokes", r.lambkin_tp);
    if (r.level == "info")
      std::printf("  (cold starts in the whole --log-level info run, from REPORT lines: %zu)\n", r.cold_starts);
  }
  std::printf("\nratio = subject / floor of the same block (latency: lower is better; throughput: higher is better)\n");
  for (const auto& r : results) {
    const double p50 = r.lambkin.p50 / r.floor.p50, p99 = r.lambkin.p99 / r.floor.p99;
    std::printf("target (--log-level %s): warm invoke <= 3.00x floor: p50 %.2fx, p99 %.2fx: %s\n", r.level.c_str(),
                p50, p99, p50 <= 3.0 && p99 <= 3.0 ? "met" : "NOT met");
    if (r.baseline)
      std::printf("  this build / INVOKE_BASELINE (--log-level %s): p50 %.3f, p99 %.3f\n", r.level.c_str(),
                  r.lambkin.p50 / r.baseline->p50, r.lambkin.p99 / r.baseline->p99);
  }
}

}  // namespace

int main(int argc, char** argv) {
  run_config cfg;
  if (argc > 1) cfg.samples = std::max(block, std::atoi(argv[1]) / block * block);
  if (argc > 2) cfg.seconds = std::atof(argv[2]);
  if (argc > 3) cfg.clients = std::max(1, std::atoi(argv[3]));
  try {
    std::printf("invoke_bench: %s, load average at start %s\n", lambkin_exe().c_str(), load_average().c_str());
    std::optional<http_floor_server> floor;
    std::vector<level_result> results;
    // warn is the brief's setting; info is lambkin's default, which writes START/END/REPORT per invoke.
    results.push_back(measure_level("warn", cfg, floor, true));
    results.push_back(measure_level("info", cfg, floor, false));
    print_results(results, cfg);
    measure_freeze_steps(2000);
    std::printf("load average at end %s\n", load_average().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "invoke_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
