#pragma once
// Hand-built traces shared by the summary and timeline tests, written the way the driver will
// write them (see the protocol in emulator/sim/trace.hpp).
#include "emulator/sim/trace.hpp"

namespace lambkin::sim::samples {

using namespace std::chrono_literals;

inline time_point at(duration d) { return time_point{} + d; }

/// Six simultaneous requests, no warm environment: six environments, each 250ms of init then a
/// 100ms invoke; the run ends at 350ms.
inline trace six_simultaneous() {
  trace t;
  for (int i = 0; i < 6; ++i) t.add_request(at(0ms));
  for (request_index r = 0; r < 6; ++r) {
    const env_index e = t.begin_environment(at(0ms), environment_id(r + 1), init_type::on_demand);
    t.end_init(e, at(250ms));
    t.begin_invoke(e, r, at(250ms), true);
    t.end_invoke(e, at(350ms));
  }
  t.finish(at(350ms));
  return t;
}

/// Reserved concurrency 1: request 1 cold-starts environment 1 (init 0–200ms, invoke 200–300ms);
/// request 2 arrives at 100ms and is throttled; request 3 arrives at 400ms and runs warm
/// (400–500ms) but fails; a provisioned environment 2 (init 0–150ms) is retired at 450ms; the
/// run ends at 600ms with environment 1 still alive.
inline trace reserved_one() {
  trace t;
  const auto r1 = t.add_request(at(0ms));
  const auto r2 = t.add_request(at(100ms));
  const auto r3 = t.add_request(at(400ms));
  const env_index e1 = t.begin_environment(at(0ms), environment_id(10), init_type::on_demand, 3);
  const env_index e2 = t.begin_environment(at(0ms), environment_id(11), init_type::provisioned, 3);
  t.end_init(e2, at(150ms));
  t.throttle(r2, at(100ms), errc::throttled_reserved_concurrency);
  t.end_init(e1, at(200ms));
  t.begin_invoke(e1, r1, at(200ms), true);
  t.end_invoke(e1, at(300ms));
  t.begin_invoke(e1, r3, at(400ms), false);
  t.end_environment(e2, at(450ms), stop_reason::retired);
  t.end_invoke(e1, at(500ms), invoke_outcome::function_error);
  t.finish(at(600ms));
  return t;
}

}  // namespace lambkin::sim::samples
