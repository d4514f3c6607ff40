// coldstart_bench: what lambkin adds to a cold start, against a bare spawn of the same bootstrap.
//
// Floor: this process listens on a raw loopback socket, starts the cpp-echo bootstrap with only
// AWS_LAMBDA_RUNTIME_API pointing there, and times spawn → the bytes of its first
// `GET /2018-06-01/runtime/invocation/next`. Two ways to spawn: posix_spawn (the cheapest, the
// floor of the ratios) and fork + execve (what lambkin's launcher used before it started its
// child the way posix_spawn does). A third row runs lambkin's own launch_process from this small
// process, to tell the launcher's sandbox steps apart from the rest of lambkin's cold path.
//
// Subject: `lambkin run` (the built binary, a child process) with K+1 copies of the function, so
// that the first invoke of each is a cold start. Measured two ways:
//   - Init Duration from the REPORT lines (lambkin's own measure: spawn → first GET /next);
//   - as the client sees it: the cold invoke's latency minus the warm invoke of the same
//     function right after, i.e. everything the cold path costs beyond a warm invoke (Runtime API
//     listener, environment variables, TMPDIR, fork/exec, the runtime's init, first /next).
// Target: lambkin adds at most 1 ms over the bare spawn (medians). Floor and subject samples
// alternate, so that load from other processes falls on both alike.
//
//   coldstart_bench [K]   K cold starts per subject (default 50)
//
// COLDSTART_BASELINE=BIN adds a second lambkin binary (an older build) as a subject of the same
// run; LAMBKIN_TRACE=1 (inherited by lambkin) adds the time between the steps of lambkin's cold
// path (emulator/io/lambda/cold_trace.hpp), for the first subject.
#include "bench/bare_runtime.hpp"
#include "bench/bench_stats.hpp"
#include "bench/http_client.hpp"
#include "bench/lambkin_process.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace lambkin::bench;

std::string target_of(int function) { return "/2015-03-31/functions/Echo" + std::to_string(function) + "/invocations"; }

double timed_invoke(http_client& c, int function) {
  const auto t0 = wall::now();
  if (c.post(target_of(function), "{}") != 200) throw std::runtime_error("invoke failed: " + c.last_body());
  return micros_between(t0, wall::now());
}

double timed_bare_start(bare_runtime_listener& listener, const std::string& bootstrap, spawn_method how) {
  const auto t0 = wall::now();
  auto child = spawn_bootstrap(bootstrap, listener.port(), how);
  listener.wait_for_next();
  const double us = micros_between(t0, wall::now());
  kill_and_reap(child);
  listener.drop_connection();
  return us;
}

/// Every "Init Duration: X ms" of the REPORT lines, in log order, in microseconds. INIT_REPORT
/// lines (init failures) are left out: they are no cold start that served an invoke.
std::vector<double> init_durations_us(const std::string& log) {
  std::vector<double> out;
  const std::string key = "Init Duration: ";
  for (auto p = log.find(key); p != std::string::npos; p = log.find(key, p + 1)) {
    const auto newline = log.rfind('\n', p);
    const auto line_start = newline == std::string::npos ? 0 : newline + 1;
    const auto line = log.substr(line_start, p - line_start);
    if (line.find("INIT_REPORT") != std::string::npos) continue;
    out.push_back(std::strtod(log.c_str() + p + key.size(), nullptr) * 1000.0);
  }
  return out;
}

double median(std::vector<double> v) { return summarize(std::move(v)).p50; }

/// With LAMBKIN_TRACE=1 (cold_trace.hpp) lambkin writes `lambkin-trace <us> <step> <env>` at each
/// step of its cold path. Prints the median time from each step to the next over the cold starts
/// (an invoke followed by `start_environment`, up to its `answer`), the first one left out.
void print_trace_breakdown(const std::string& log) {
  struct point {
    double us;
    std::string step;
  };
  std::vector<std::vector<point>> colds;
  std::vector<point> current;
  bool in_cold = false;
  const std::string key = "lambkin-trace ";
  for (auto p = log.find(key); p != std::string::npos; p = log.find(key, p + 1)) {
    char step[64] = {};
    double us = 0;
    if (std::sscanf(log.c_str() + p + key.size(), "%lf %63s", &us, step) != 2) continue;
    const std::string name = step;
    if (name == "invoke") {
      current = {{us, name}};
      in_cold = false;
      continue;
    }
    if (current.empty()) continue;
    if (name == "start_environment") in_cold = true;
    current.push_back({us, name});
    if (name == "answer") {
      if (in_cold) colds.push_back(std::move(current));
      current.clear();
    }
  }
  if (colds.size() < 2) return;
  colds.erase(colds.begin());
  std::vector<std::string> steps;
  std::vector<std::vector<double>> deltas;
  for (const auto& c : colds) {
    for (std::size_t i = 1; i < c.size(); ++i) {
      const auto label = c[i - 1].step + " -> " + c[i].step;
      auto it = std::find(steps.begin(), steps.end(), label);
      if (it == steps.end()) {
        steps.push_back(label);
        deltas.emplace_back();
        it = steps.end() - 1;
      }
      deltas[static_cast<std::size_t>(it - steps.begin())].push_back(c[i].us - c[i - 1].us);
    }
  }
  std::printf("\nLAMBKIN_TRACE: lambkin's cold path, median us from step to step over %zu cold starts\n", colds.size());
  for (std::size_t i = 0; i < steps.size(); ++i)
    std::printf("  %-44s %8.1f  (n=%zu)\n", steps[i].c_str(), median(deltas[i]), deltas[i].size());
  std::vector<double> totals;
  for (const auto& c : colds) totals.push_back(c.back().us - c.front().us);
  std::printf("  %-44s %8.1f\n", "whole: invoke -> answer", median(totals));
}

/// One lambkin binary under test: its process, a client, and its samples.
struct subject {
  subject(std::string name, const std::string& exe, int k)
      : label(std::move(name)), lk(exe, echo_template(k + 1, CPP_ECHO_DIR), "info"), client(lk.aws_port()) {}
  std::string label;
  // info: the REPORT lines (with Init Duration) are logged at info level.
  lambkin_process lk;
  http_client client;
  std::vector<double> cold_us, warm_us, extra_us, init_us;

  void sample(int function) {
    cold_us.push_back(timed_invoke(client, function));
    warm_us.push_back(timed_invoke(client, function));
    extra_us.push_back(cold_us.back() - warm_us.back());
  }
  /// Stops lambkin and reads the Init Durations of the k sampled cold starts.
  void finish(int k) {
    if (lk.stop() != 0) std::fprintf(stderr, "warning: %s did not exit with 0\n", label.c_str());
    init_us = init_durations_us(lk.stderr_text());
    if (init_us.size() != static_cast<std::size_t>(k) + 1)
      throw std::runtime_error(label + ": expected " + std::to_string(k + 1) +
                               " REPORT lines with Init Duration, found " + std::to_string(init_us.size()));
    init_us.erase(init_us.begin());  // Echo0's, the warm-up
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int k = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
  const std::string bootstrap = std::string(CPP_ECHO_DIR) + "/bootstrap";
  try {
    std::printf("coldstart_bench: load average at start %s\n", load_average().c_str());
    std::vector<std::unique_ptr<subject>> subjects;
    subjects.push_back(std::make_unique<subject>("lambkin", LAMBKIN_EXE, k));
    // COLDSTART_BASELINE=/path/to/another/lambkin: a second binary (an older build, say) measured
    // in the same run, its samples alternating with the others.
    if (const char* other = std::getenv("COLDSTART_BASELINE"); other && *other)
      subjects.push_back(std::make_unique<subject>("baseline", other, k));
    bare_runtime_listener listener;

    // Echo0 and one bare start of each kind warm the page cache and lambkin's code paths; they
    // are not samples.
    for (auto& s : subjects) {
      timed_invoke(s->client, 0);
      timed_invoke(s->client, 0);
    }
    timed_bare_start(listener, bootstrap, spawn_method::posix_spawn);
    timed_bare_start(listener, bootstrap, spawn_method::fork_exec);
    timed_bare_start(listener, bootstrap, spawn_method::lambkin_launcher);

    std::vector<double> spawn_us, fork_us, launcher_us;
    for (int i = 1; i <= k; ++i) {
      spawn_us.push_back(timed_bare_start(listener, bootstrap, spawn_method::posix_spawn));
      fork_us.push_back(timed_bare_start(listener, bootstrap, spawn_method::fork_exec));
      launcher_us.push_back(timed_bare_start(listener, bootstrap, spawn_method::lambkin_launcher));
      for (auto& s : subjects) s->sample(i);
    }
    for (auto& s : subjects) s->finish(k);
    print_trace_breakdown(subjects.front()->lk.stderr_text());

    const auto floor = summarize(spawn_us);
    std::printf("\ncold start, %d samples per row, floor and lambkin alternating (us)\n", k);
    print_latency_header("us");
    print_latency_row("floor: posix_spawn -> first GET /next (bare)", floor, floor);
    print_latency_row("floor: fork+execve -> first GET /next (bare)", summarize(fork_us), floor);
    print_latency_row("lambkin's launch_process alone (in this process)", summarize(launcher_us), floor);
    const latency_summary none{};
    for (auto& s : subjects) {
      print_latency_row(s->label + ": Init Duration (REPORT)", summarize(s->init_us), floor);
      print_latency_row(s->label + ": cold invoke - warm invoke (client view)", summarize(s->extra_us), floor);
      print_latency_row("  for reference: cold invoke, client view", summarize(s->cold_us), none);
      print_latency_row("  for reference: warm invoke right after", summarize(s->warm_us), none);
    }

    const double base = median(spawn_us), fork_base = median(fork_us);
    for (auto& s : subjects) {
      const double by_report = median(s->init_us) - base, by_client = median(s->extra_us) - base;
      std::printf("\n%s's cold-start overhead over the bare posix_spawn floor (difference of medians):\n",
                  s->label.c_str());
      std::printf("  by Init Duration:      %+.3f ms (over the fork+execve floor: %+.3f ms)\n", by_report / 1000,
                  (median(s->init_us) - fork_base) / 1000);
      std::printf("  by the client's view:  %+.3f ms (over the fork+execve floor: %+.3f ms)\n", by_client / 1000,
                  (median(s->extra_us) - fork_base) / 1000);
      std::printf("target: at most +1.000 ms: %s by Init Duration, %s by the client's view\n",
                  by_report <= 1000 ? "met" : "NOT met", by_client <= 1000 ? "met" : "NOT met");
    }
    std::printf("ratio = subject / posix_spawn floor\nload average at end %s\n", load_average().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coldstart_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
