// node_bench: the same Node.js handler, warm, through lambkin's nodejs runtime and through a peer
// emulator, serverless-offline, measured in the same run.
//
// Subject: `lambkin run` with one `nodejs20.x` function (bench/node/function/handler.js), one
// runtime process per environment, frozen between invokes. Peer: `serverless offline start`
// (serverless@3 + serverless-offline@13, bench/node, `npm ci` there first) serving the same file
// from worker threads inside its own process, with no process isolation. Both are driven through
// AWS's Invoke API (POST /2015-03-31/functions/NAME/invocations, body `{}`) by the same Beast
// client. Targets (issue 4): lambkin's p50 no worse than the peer's, and its throughput with 8
// concurrent clients at least 1.5× the peer's.
//
//   node_bench [N] [SECONDS] [CLIENTS]   N sequential samples per subject (default 5000),
//                                        throughput window (default 3 s), clients (default 8)
#include "bench/bench_stats.hpp"
#include "bench/concurrent_load.hpp"
#include "bench/http_client.hpp"
#include "bench/lambkin_process.hpp"
#include "bench/serverless_offline.hpp"
#include "bench/side_by_side.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace lambkin::bench;

const std::string lambkin_target = "/2015-03-31/functions/Echo0/invocations";
// serverless-offline names functions service-stage-function.
const std::string peer_target = "/2015-03-31/functions/lambkin-bench-dev-echo/invocations";
constexpr int block = 10;
constexpr double warmup_seconds = 3;

bool invoke_lambkin(http_client& c) { return c.post(lambkin_target, "{}") == 200; }
bool invoke_peer(http_client& c) { return c.post(peer_target, "{}") == 200; }

struct run_config {
  int samples = 5000;
  double seconds = 3;
  int clients = 8;
};

struct level_result {
  std::string level;
  latency_summary peer, lambkin;
  throughput_result peer_tp, lambkin_tp;
};

// A fresh peer for each lambkin run: serverless-offline keeps the worker threads that the
// concurrent clients made it start, and was measured to be slower after that (p50 ~350 → ~750 us).
level_result measure_level(const std::string& level, const run_config& cfg) {
  level_result r;
  r.level = level;
  serverless_offline sls(NODE_BENCH_DIR);
  lambkin_process lk(LAMBKIN_EXE, node_template(std::string(NODE_BENCH_DIR) + "/function"), level);
  http_client subject(lk.aws_port()), peer(sls.lambda_port());
  // The first invoke on each side is cold (a process, a worker thread); then both warm up.
  for (int i = 0; i < 300; ++i) {
    if (!invoke_lambkin(subject)) throw std::runtime_error("lambkin: invoke failed: " + subject.last_body());
    if (!invoke_peer(peer)) throw std::runtime_error("serverless-offline: invoke failed: " + peer.last_body());
  }
  const auto latency = measure_side_by_side({{&peer, invoke_peer}, {&subject, invoke_lambkin}}, cfg.samples, block);
  r.peer = latency[0];
  r.lambkin = latency[1];
  // A warm-up per side: lambkin starts the environments 8 clients need, serverless-offline its
  // worker threads; neither start is what the rows measure. Seven Node cold starts at once take
  // over a second of both cores, hence three.
  r.peer_tp = run_concurrent(sls.lambda_port(), cfg.clients, warmup_seconds, cfg.seconds, invoke_peer);
  r.lambkin_tp = run_concurrent(lk.aws_port(), cfg.clients, warmup_seconds, cfg.seconds, invoke_lambkin);
  if (lk.stop() != 0) std::fprintf(stderr, "warning: lambkin (--log-level %s) did not exit with 0\n", level.c_str());
  sls.stop();
  return r;
}

void print_results(const std::vector<level_result>& results, const run_config& cfg) {
  std::printf("\nwarm sync invoke of the same Node handler, %d sequential samples on one keep-alive connection, "
              "interleaved in blocks of %d\n",
              cfg.samples, block);
  print_latency_header("us");
  for (const auto& r : results) {
    print_latency_row("peer: serverless-offline (worker threads)", r.peer, r.peer);
    print_latency_row("lambkin --log-level " + r.level + ": nodejs20.x process", r.lambkin, r.peer);
  }
  std::printf("\nthroughput, %d concurrent clients, %.1f s each after a warm-up\n", cfg.clients, cfg.seconds);
  std::printf("%-52s %10s %8s %8s %10s %8s\n", "benchmark", "ops", "failed", "seconds", "ops/s", "ratio");
  for (const auto& r : results) {
    const auto row = [&](const std::string& name, const throughput_result& t) {
      std::printf("%-52s %10llu %8llu %8.2f %10.0f %8.2f\n", name.c_str(),
                  static_cast<unsigned long long>(t.operations), static_cast<unsigned long long>(t.failures),
                  t.seconds, t.per_second(), r.peer_tp.per_second() > 0 ? t.per_second() / r.peer_tp.per_second() : 0);
    };
    row("peer: serverless-offline (worker threads)", r.peer_tp);
    row("lambkin --log-level " + r.level + ": nodejs20.x processes", r.lambkin_tp);
  }
  std::printf("\nratio = lambkin / serverless-offline of the same run\n");
  for (const auto& r : results) {
    const double p50 = r.lambkin.p50 / r.peer.p50;
    const double tp = r.peer_tp.per_second() > 0 ? r.lambkin_tp.per_second() / r.peer_tp.per_second() : 0;
    std::printf("target (--log-level %s): p50 <= 1.00x peer: %.2fx %s; throughput >= 1.50x peer: %.2fx %s\n",
                r.level.c_str(), p50, p50 <= 1.0 ? "met" : "NOT met", tp, tp >= 1.5 ? "met" : "NOT met");
  }
}

}  // namespace

int main(int argc, char** argv) {
  run_config cfg;
  if (argc > 1) cfg.samples = std::max(block, std::atoi(argv[1]) / block * block);
  if (argc > 2) cfg.seconds = std::atof(argv[2]);
  if (argc > 3) cfg.clients = std::max(1, std::atoi(argv[3]));
  try {
    std::printf("node_bench: load average at start %s\n", load_average().c_str());
    std::vector<level_result> results;
    for (const char* level : {"warn", "info"}) results.push_back(measure_level(level, cfg));
    print_results(results, cfg);
    std::printf("load average at end %s\n", load_average().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "node_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
