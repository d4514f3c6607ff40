#include "emulator/sim/ascii_timeline.hpp"

#include "sim/sample_traces.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::sim;
using namespace lambkin::sim::samples;

TEST_CASE("six simultaneous requests: six lanes of init then invoke") {
  CHECK(render_ascii_timeline(six_simultaneous(), {.width = 70}) ==
        "arrivals   6\n"
        "env 1      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII11111111111111111111\n"
        "env 2      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII22222222222222222222\n"
        "env 3      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII33333333333333333333\n"
        "env 4      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII44444444444444444444\n"
        "env 5      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII55555555555555555555\n"
        "env 6      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII66666666666666666666\n"
        "           +-------------------+-------------------+-------------------+---------\n"
        "           0                   100ms               200ms               300ms\n"
        "I init  1-9 request  . idle  x stopped  | arrivals, throttled: count per column (+ = 10 or more)\n");
}

TEST_CASE("reuse, a throttle, a provisioned lane and a stop") {
  CHECK(render_ascii_timeline(reserved_one(), {.width = 60, .until = std::chrono::milliseconds(600), .legend = false}) ==
        "arrivals    1         1                             1\n"
        "env 1       IIIIIIIIIIIIIIIIIIII1111111111..........3333333333..........\n"
        "env 2 (pc)  IIIIIIIIIIIIIII..............................x\n"
        "throttled             1\n"
        "            +-------------------+-------------------+------------------+\n"
        "            0                   200ms               400ms              600ms\n");
}

TEST_CASE("the default window ends at the last activity, not at the last reap") {
  trace t;
  t.add_request(at(0ms));
  const auto e = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  t.end_init(e, at(100ms));
  t.begin_invoke(e, 0, at(100ms), true);
  t.end_invoke(e, at(200ms));
  t.end_environment(e, at(5min), stop_reason::reaped);
  t.finish(at(5min));
  const std::string out = render_ascii_timeline(t, {.width = 20, .legend = false});
  CHECK(out ==
        "arrivals   1\n"
        "env 1      IIIIIIIIII1111111111\n"
        "           +---------+--------+\n"
        "           0         100ms    200ms\n");
}

TEST_CASE("many requests draw '=', many lanes are cut, failed inits show F") {
  trace t;
  for (int i = 0; i < 12; ++i) t.add_request(at(i * 10ms));
  for (request_index r = 0; r < 12; ++r) {
    const auto e = t.begin_environment(at(r * 10ms), environment_id(r + 1), init_type::on_demand);
    t.end_init(e, at(r * 10ms + 50ms), r == 0 ? init_outcome::failed : init_outcome::ok);
    if (r == 0) continue;
    t.begin_invoke(e, r, at(r * 10ms + 50ms), true);
    t.end_invoke(e, at(r * 10ms + 60ms));
  }
  t.finish(at(200ms));
  const std::string out = render_ascii_timeline(t, {.width = 18, .max_lanes = 2});
  CHECK(out ==
        "arrivals   111111111111\n"
        "env 1      FFFFFF............\n"
        "env 2       IIIII==..........\n"
        "… 10 more environments not shown\n"
        "           +---------+-------\n"
        "           0         100ms\n"
        "I init  F failed init  = invoke  . idle  x stopped  | arrivals, throttled: count per column (+ = 10 or more)\n");
}

TEST_CASE("an empty trace still renders an axis") {
  const trace t;
  CHECK(render_ascii_timeline(t, {.width = 10, .legend = false}) ==
        "arrivals\n"
        "           +----+---+\n"
        "           0    500us\n");
}
