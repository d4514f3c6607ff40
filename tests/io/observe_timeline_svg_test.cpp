// One renderer, two sources: a live run's timeline JSON drawn by the simulator's SVG renderer.
#include "emulator/io/observe/timeline_trace.hpp"
#include "emulator/sim/summary.hpp"
#include "emulator/sim/svg_timeline.hpp"

#include <doctest/doctest.h>

using lambkin::io::observe::trace_from_timeline;

TEST_CASE("a live timeline becomes a trace: lanes, cold and warm invokes, throttles and stops") {
  // Times in microseconds: a cold start at 1.0 s, a warm invoke at 2.0 s, a throttle, a reap.
  const std::string json = R"({"events":[
    {"seq":1,"t_us":1000000,"function":"F","event":"received","request_id":"r1","detail":"sync"},
    {"seq":2,"t_us":1000100,"function":"F","event":"created","env":7,"detail":"on-demand","version":"$LATEST"},
    {"seq":3,"t_us":1000200,"function":"F","event":"init_start","env":7},
    {"seq":4,"t_us":1150000,"function":"F","event":"init_end","env":7,"detail":"success","duration_ms":149.8},
    {"seq":5,"t_us":1150100,"function":"F","event":"invoke_start","env":7,"request_id":"r1","cold":true},
    {"seq":6,"t_us":1160000,"function":"F","event":"invoke_end","env":7,"request_id":"r1","detail":"success","duration_ms":9.9,"cold":true},
    {"seq":7,"t_us":1160100,"function":"F","event":"frozen","env":7},
    {"seq":8,"t_us":2000000,"function":"F","event":"received","request_id":"r2","detail":"sync"},
    {"seq":9,"t_us":2000100,"function":"F","event":"thawed","env":7},
    {"seq":10,"t_us":2000200,"function":"F","event":"invoke_start","env":7,"request_id":"r2","cold":false},
    {"seq":11,"t_us":2010000,"function":"F","event":"invoke_end","env":7,"request_id":"r2","detail":"function_error","duration_ms":9.8,"cold":false},
    {"seq":12,"t_us":2100000,"function":"F","event":"received","request_id":"r3","detail":"sync"},
    {"seq":13,"t_us":2100001,"function":"F","event":"throttled","request_id":"r3","detail":"ReservedFunctionConcurrentInvocationLimitExceeded"},
    {"seq":14,"t_us":5000000,"function":"F","event":"reaped","env":7,"detail":"reaped"}
  ],"first_seq":1,"last_seq":14,"now_us":6000000})";
  std::string error;
  auto t = trace_from_timeline(json, error);
  REQUIRE_MESSAGE(t, error);
  CHECK(t->events == 14);
  CHECK(t->functions == std::vector<std::string>{"F"});
  const auto& trace = t->trace;
  REQUIRE(trace.environments().size() == 1);
  CHECK(trace.environments()[0].reason == lambkin::sim::stop_reason::reaped);
  REQUIRE(trace.inits().size() == 1);
  CHECK(trace.inits()[0].outcome == lambkin::sim::init_outcome::ok);
  CHECK(trace.inits()[0].end - trace.inits()[0].start == std::chrono::microseconds(149900));  // from creation
  REQUIRE(trace.invokes().size() == 2);
  CHECK(trace.invokes()[0].cold);
  CHECK_FALSE(trace.invokes()[1].cold);
  CHECK(trace.invokes()[1].outcome == lambkin::sim::invoke_outcome::function_error);
  CHECK(trace.requests().size() == 3);
  CHECK(trace.throttles().size() == 1);

  const auto s = lambkin::sim::summarize(trace);
  CHECK(s.invocations == 2);
  CHECK(s.cold_starts == 1);
  CHECK(s.throttled == 1);

  lambkin::sim::svg_options options;
  options.until = trace.end_time() - trace.origin();  // through the reap, not just the last invoke
  const auto svg = lambkin::sim::render_svg_timeline(trace, options);
  CHECK(svg.find("<g class=\"lane\" data-env=\"1\">") != std::string::npos);
  CHECK(svg.find("<g class=\"throttles\">") != std::string::npos);
  CHECK(svg.find("request 1 (cold)") != std::string::npos);
  CHECK(svg.find("request 2 (warm)") != std::string::npos);
  CHECK(svg.find("reaped (idle)") != std::string::npos);
}

TEST_CASE("an environment created before the window gets its lane at the first event naming it") {
  const std::string json = R"({"events":[
    {"seq":40,"t_us":1000,"function":"F","event":"invoke_start","env":3,"request_id":"x","cold":false},
    {"seq":41,"t_us":3000,"function":"F","event":"invoke_end","env":3,"request_id":"x","detail":"timeout"},
    {"seq":42,"t_us":3001,"function":"F","event":"killed","env":3,"detail":"timeout"}
  ],"now_us":4000})";
  std::string error;
  auto t = trace_from_timeline(json, error);
  REQUIRE(t);
  REQUIRE(t->trace.environments().size() == 1);
  CHECK(t->trace.environments()[0].reason == lambkin::sim::stop_reason::timeout);
  CHECK(t->trace.invokes()[0].outcome == lambkin::sim::invoke_outcome::timeout);
  CHECK_FALSE(trace_from_timeline("[1,2]", error));
  CHECK(error.find("not a timeline") != std::string::npos);
}
