// http_api_bench: a warm request through the HTTP API listener (API Gateway emulation) against a
// warm Invoke API call of the same function on the same lambkin, side by side in the same run.
//
//   build/bench/http_api_bench [N=5000] [SECONDS=3] [CLIENTS=8]
//
// Subject: `POST /echo` on the HTTP API (route table, the payload 2.0 event, the sync invoke, the
// response inference) to the cpp-echo function, which echoes the event (so the answer is the
// ~700-byte event, inferred as a 200 application/json body). Floor: `POST
// /2015-03-31/functions/Echo0/invocations` with `{}` on the AWS endpoint: the same pool, thaw,
// Runtime API and freeze, without API Gateway's work. Samples rotate in blocks of 10. Then the
// throughput of CLIENTS keep-alive clients on each for SECONDS. Target: HTTP API p50 ≤ 1.5× the
// Invoke API's (API Gateway's own work should be small next to a Lambda round trip).
#include "bench/bench_stats.hpp"
#include "bench/concurrent_load.hpp"
#include "bench/http_client.hpp"
#include "bench/lambkin_process.hpp"
#include "bench/side_by_side.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

namespace {

using namespace lambkin::bench;

bool invoke(http_client& c) { return c.post("/2015-03-31/functions/Echo0/invocations", "{}") == 200; }
bool gateway(http_client& c) { return c.post("/echo", "{}") == 200; }

std::string gateway_template() {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n  Echo0:\n    Type: AWS::Serverless::Function\n"
         "    Properties:\n      Runtime: provided.al2023\n      Handler: echo\n      CodeUri: " +
         std::string(CPP_ECHO_DIR) +
         "\n      Events:\n        Echo:\n          Type: HttpApi\n          Properties:\n"
         "            Path: /echo\n            Method: POST\n";
}

}  // namespace

int main(int argc, char** argv) try {
  const int samples = argc > 1 ? std::atoi(argv[1]) : 5000;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 3;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 8;

  lambkin_process lk(LAMBKIN_EXE, gateway_template(), "warn");
  if (lk.http_port() == 0) throw std::runtime_error("lambkin opened no HTTP API listener");
  http_client aws(lk.aws_port());
  http_client http(lk.http_port());
  if (!invoke(aws)) throw std::runtime_error("the cold invoke failed: " + aws.last_body());
  if (!gateway(http)) throw std::runtime_error("the HTTP API request failed: " + http.last_body());
  const auto event_bytes = http.last_body().size();
  for (int i = 0; i < 200; ++i) {
    invoke(aws);
    gateway(http);
  }
  const auto latency = measure_side_by_side({{&aws, invoke}, {&http, gateway}}, samples, 10);

  std::printf("http_api_bench: %d sequential samples each, cpp-echo, --log-level warn, load %s\n", samples,
              load_average().c_str());
  std::printf("HTTP API answer: %zu bytes (the echoed event)\n\n", event_bytes);
  print_latency_header("us");
  print_latency_row("Invoke API (floor)", latency[0], {});
  print_latency_row("HTTP API", latency[1], latency[0]);
  const double ratio = latency[1].p50 / latency[0].p50;
  std::printf("\ntarget: HTTP API p50 <= 1.5x the Invoke API's: %.2fx, %s\n", ratio, ratio <= 1.5 ? "met" : "NOT met");

  const auto aws_tp = run_concurrent(lk.aws_port(), clients, 1.0, seconds, invoke);
  const auto http_tp = run_concurrent(lk.http_port(), clients, 1.0, seconds, gateway);
  std::printf("\nthroughput, %d clients, %.1f s: Invoke API %.0f/s (%llu failures), HTTP API %.0f/s (%llu failures), "
              "ratio %.2f\n",
              clients, seconds, aws_tp.per_second(), static_cast<unsigned long long>(aws_tp.failures),
              http_tp.per_second(), static_cast<unsigned long long>(http_tp.failures),
              aws_tp.per_second() > 0 ? http_tp.per_second() / aws_tp.per_second() : 0.0);
  lk.stop();
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "http_api_bench: %s\n", e.what());
  return 1;
}
