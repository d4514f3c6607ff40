// sim_bench: how fast `lambkin simulate` runs, against the floor of merely drawing the arrivals.
//
// The floor is the cheapest loop any simulation must contain: generating N Poisson arrival
// times. The full simulation (arrivals → pool core → trace → summary) is reported as a ratio to
// it; the target is ≥ 1,000,000 simulated invocations per second.
//
//   sim_bench [N]        N arrivals (default 5,000,000)
#include "emulator/sim/arrivals.hpp"
#include "emulator/sim/random.hpp"
#include "emulator/sim/simulation.hpp"
#include "emulator/sim/summary.hpp"
#include "emulator/sim/trace.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace lambkin;
using wall = std::chrono::steady_clock;  // a benchmark measures real time; it is no core

struct row {
  std::string name;
  std::uint64_t items = 0;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(items) / seconds : 0; }
};

template <class F>
row measure(std::string name, F&& body) {
  const auto t0 = wall::now();
  const std::uint64_t items = body();
  const double s = std::chrono::duration<double>(wall::now() - t0).count();
  return {std::move(name), items, s};
}

// Keeps the optimiser from deleting work whose result is otherwise unused.
volatile std::int64_t sink = 0;

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5'000'000;
  const double rate = 1000.0;  // per second; the window is sized to give n arrivals on average
  sim::arrivals_spec spec;
  spec.components.push_back(sim::rate_arrivals{
      sim::arrival_process::poisson, rate,
      duration(static_cast<duration::rep>(static_cast<double>(n) / rate * 1e9)), duration{}});

  std::vector<row> rows;
  // Floor 1: the bare draw loop (exponential gaps summed), no storage.
  rows.push_back(measure("floor: draw poisson gaps", [&] {
    sim::rng g(sim::derive_seed(7, sim::stream::arrivals));
    double t = 0;
    for (std::uint64_t i = 0; i < n; ++i) t += g.exponential(1e9 / rate);
    sink = static_cast<std::int64_t>(t);
    return n;
  }));
  // Floor 2: generate_arrivals, as the driver will call it (draw + store, sorted).
  rows.push_back(measure("floor: generate_arrivals", [&] {
    const auto arrivals = sim::generate_arrivals(spec, 7);
    sink = arrivals.empty() ? 0 : arrivals.back().count();
    return static_cast<std::uint64_t>(arrivals.size());
  }));

  // The simulator's own overhead, without the pool: each arrival becomes a request and one warm
  // 100ms invocation on one of 64 environments (round robin), then the summary is computed.
  const auto arrivals = sim::generate_arrivals(spec, 7);
  rows.push_back(measure("overhead: trace appends + summarize", [&] {
    sim::trace tr;
    tr.reserve(arrivals.size(), 64);
    constexpr std::uint32_t lanes = 64;
    for (std::uint32_t e = 0; e < lanes; ++e) {
      tr.begin_environment(time_point{}, environment_id(e + 1), sim::init_type::provisioned);
      tr.end_init(e, time_point{});
    }
    std::uint32_t next = 0;
    for (const duration a : arrivals) {
      const auto r = tr.add_request(time_point{} + a);
      tr.begin_invoke(next, r, time_point{} + a, false);
      tr.end_invoke(next, time_point{} + a + milliseconds(100));
      next = (next + 1) % lanes;
    }
    tr.finish(tr.end_time());
    const auto s = sim::summarize(tr);
    sink = static_cast<std::int64_t>(s.max_concurrency);
    return s.invocations;
  }));

  // The full simulation: arrivals → pool core → trace → summary, on virtual time. A steady load
  // of `rate` req/s with 100 ms handlers keeps ~100 environments busy; each arrival goes through
  // the pool's admission, a dispatch, a completion and its idle timer.
  rows.push_back(measure("simulate: poisson -> pool -> trace -> summary", [&] {
    sim::scenario sc;
    sc.arrivals = spec;
    sc.init = sim::distribution::fixed(milliseconds(250));
    sc.handler = sim::distribution::uniform(milliseconds(50), milliseconds(150));
    sc.seed = 7;
    auto tr = sim::run_simulation(sc);
    if (!tr) return std::uint64_t{0};
    const auto s = sim::summarize(*tr);
    sink = static_cast<std::int64_t>(s.cold_starts);
    return s.invocations;
  }));

  const double base = rows.front().per_second();
  std::printf("%-44s %12s %10s %14s %8s\n", "benchmark", "items", "seconds", "items/s", "ratio");
  for (const row& r : rows)
    std::printf("%-44s %12llu %10.3f %14.0f %8.2f\n", r.name.c_str(), static_cast<unsigned long long>(r.items),
                r.seconds, r.per_second(), base > 0 ? r.per_second() / base : 0.0);
  const double full = rows.back().per_second();
  std::printf("full simulation: %.2f M simulated invocations/s (target >= 1.00 M/s): %s\n", full / 1e6,
              full >= 1e6 ? "met" : "NOT met");
  std::printf("ratio = items/s relative to the first row; target for the full run: >= 1,000,000 invocations/s\n");
  return 0;
}
