// rules_bench: the AWS IoT SQL evaluator on the temperature rule of DESIGN.md, against a floor
// measured in the same run (parsing the same payload with the same JSON parser, which every
// evaluation must do first). Single thread; blocks of iterations rotate between the rows so
// machine load falls on all of them alike. Target: ≥ 1,000,000 evaluations/s on one core.
#include "emulator/core/rules/json.hpp"
#include "emulator/core/rules/sql.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace {

using wall = std::chrono::steady_clock;  // benchmarks measure real time

struct row {
  const char* name;
  std::function<std::size_t()> op;  // returns something data-dependent so nothing is optimised away
  std::vector<double> ns_per_op;    // one entry per block
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  using namespace lambkin::rules;
  message_context m;
  m.topic = "things/dev-1/temperature";
  m.payload = R"({"temperature":21.5,"humidity":40})";
  m.client_id = "dev-1";
  m.timestamp_ms = 1700000000000;

  auto temperature = compile("SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature'",
                             sql_version::v2016_03_23);
  auto alarm = compile("SELECT topic(2) AS device_id, temperature, timestamp() AS ts FROM 'device/+/data' "
                       "WHERE temperature > 30",
                       sql_version::v2016_03_23);
  auto star = compile("SELECT * FROM 'things/+/temperature'", sql_version::v2016_03_23);
  if (!temperature || !alarm || !star) return 1;

  std::size_t sink = 0;
  std::vector<row> rows = {
      {"floor: parse the JSON payload", [&] { return parse_json(m.payload, true)->as_object().size(); }, {}},
      {"temperature rule (3 items)", [&] { return evaluate(*temperature, m).payload.size(); }, {}},
      {"alarm rule, WHERE false", [&] { return static_cast<std::size_t>(evaluate(*alarm, m).kind); }, {}},
      {"SELECT *", [&] { return evaluate(*star, m).payload.size(); }, {}},
  };
  std::printf("expected output: %s\n", evaluate(*temperature, m).payload.c_str());

  constexpr int blocks = 30, per_block = 20000;
  for (int b = 0; b < blocks; ++b) {
    for (auto& r : rows) {
      const auto start = wall::now();
      for (int i = 0; i < per_block; ++i) sink += r.op();
      const auto ns = std::chrono::duration<double, std::nano>(wall::now() - start).count();
      r.ns_per_op.push_back(ns / per_block);
    }
  }
  const double floor_ns = median(rows[0].ns_per_op);
  std::printf("%-32s %12s %14s %10s\n", "row", "ns/op (p50)", "ops/s", "x floor");
  for (const auto& r : rows) {
    const double ns = median(r.ns_per_op);
    std::printf("%-32s %12.0f %14.0f %10.2f\n", r.name, ns, 1e9 / ns, ns / floor_ns);
  }
  std::printf("(%d blocks of %d per row, one thread; sink %zu)\n", blocks, per_block, sink);
  return 0;
}
