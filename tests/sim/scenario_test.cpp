#include "emulator/sim/scenario.hpp"

#include "emulator/sim/summary.hpp"
#include "sim/sample_traces.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace lambkin;
using namespace lambkin::sim;
using namespace std::chrono_literals;

namespace {

std::string error_of(std::string_view yaml, std::string_view file = "s.yaml") {
  const auto r = parse_scenario(yaml, file);
  if (r) return "(no error)";
  return r.error().to_string();
}

}  // namespace

TEST_CASE("a full scenario file is read field by field") {
  const auto r = parse_scenario(R"(
name: Six simultaneous requests
description: No environment is warm, so each request needs its own.
arrivals: [0, 0, 0, 0, 0, 0]
init: 250ms
duration: uniform(80ms, 120ms)
invocation: async
reserved: 10
provisioned: 2
account: 500
idle_retention: {dist: uniform, min: 5m, max: 15m}
timeout: 30s
error_rate: 0.25
max_retry_attempts: 1
retry_delays: [1s]
max_event_age: 2h
seed: 7
horizon: 10s
expect:
  cold_starts: 6
  cold_start_rate: 1
)");
  REQUIRE_MESSAGE(r, r.error().to_string());
  const scenario& s = *r;
  CHECK(s.name == "Six simultaneous requests");
  CHECK(s.file == "scenario.yaml");
  REQUIRE(s.arrivals.components.size() == 1);
  CHECK(std::get<explicit_arrivals>(s.arrivals.components[0]).times == std::vector<duration>(6, 0ms));
  CHECK(s.init == distribution::fixed(250ms));
  CHECK(s.handler == distribution::uniform(80ms, 120ms));
  CHECK(s.invocation == invocation_mode::async);
  CHECK(s.pool.reserved_concurrency == 10u);
  CHECK(s.pool.provisioned_concurrency == 2);
  CHECK(s.pool.account_concurrency == 500);
  CHECK(s.pool.idle_retention == distribution::uniform(5min, 15min));
  CHECK(s.pool.timeout == 30s);
  CHECK(s.error_rate == 0.25);
  CHECK(s.pool.max_retry_attempts == 1);
  CHECK(s.pool.retry_delays == std::vector<duration>{1s});
  CHECK(s.pool.max_event_age == 2h);
  CHECK(s.seed == 7);
  CHECK(s.horizon == 10s);
  REQUIRE(s.expect.size() == 2);
  CHECK(s.expect[0] == expectation{"cold_starts", 6, 20, 16});
  CHECK(s.expect[1].key == "cold_start_rate");
}

TEST_CASE("defaults are AWS's") {
  const auto r = parse_scenario("arrivals: [0]\n");
  REQUIRE(r);
  CHECK_FALSE(r->pool.reserved_concurrency);
  CHECK(r->pool.provisioned_concurrency == 0);
  CHECK(r->pool.account_concurrency == 1000);
  CHECK(r->pool.timeout == 3s);
  CHECK(r->pool.idle_retention == distribution::fixed(10min));
  CHECK(r->pool.max_retry_attempts == 2);
  CHECK(r->pool.retry_delays == std::vector<duration>{1min, 2min});
  CHECK(r->pool.max_event_age == 6h);
  CHECK(r->invocation == invocation_mode::sync);
  CHECK_FALSE(r->horizon);
}

TEST_CASE("arrivals take every documented shape") {
  const auto one = [](std::string_view yaml) {
    auto r = parse_scenario(yaml);
    REQUIRE_MESSAGE(r, r.error().to_string());
    return r->arrivals;
  };
  CHECK(one("arrivals: {rate: 50, duration: 10s}\n").components[0] ==
        arrival_component(rate_arrivals{arrival_process::poisson, 50, 10s, 0s}));
  CHECK(one("arrivals: {rate: 300/m, duration: 1m, process: uniform, start: 5s}\n").components[0] ==
        arrival_component(rate_arrivals{arrival_process::uniform, 5, 1min, 5s}));
  CHECK(one("arrivals: {burst: 6, every: 1s, count: 3}\n").components[0] ==
        arrival_component(burst_arrivals{6, {}, 1s, 3, 0s}));
  CHECK(one("arrivals: {burst: 6, at: [0, 2s]}\n").components[0] == arrival_component(burst_arrivals{6, {0s, 2s}, {}, 0, {}}));
  CHECK(one("arrivals: {at: [5ms, 1ms]}\n").components[0] == arrival_component(explicit_arrivals{{5ms, 1ms}}));
  CHECK(one("arrivals: \"poisson(5, 1m) + burst(20, 30s)\"\n").components.size() == 2);
  const auto list = one("arrivals:\n  - 0\n  - {rate: 5, duration: 1m}\n  - 10ms\n");
  REQUIRE(list.components.size() == 2);
  CHECK(list.components[0] == arrival_component(explicit_arrivals{{0ms, 10ms}}));
}

TEST_CASE("errors name file, 1-based line and column, field and problem") {
  CHECK(error_of("name: simultaneous\n"
                 "seed: 7\n"
                 "arrivals:\n"
                 "  rate:     -5\n"
                 "  duration: 1s\n",
                 "simultaneous.yaml") == "simultaneous.yaml:4:13: arrivals.rate: must be a positive number");
  CHECK(error_of("arrivals: [0]\ninit: soon\n") ==
        "s.yaml:2:7: init: expected a duration (250ms) or uniform(min, max), normal(mean, stddev), "
        "lognormal(median, sigma), exponential(mean); got 'soon'");
  CHECK(error_of("arrivals: [0]\nreserved: -1\n") == "s.yaml:2:11: reserved: expected a non-negative whole number, got '-1'");
  CHECK(error_of("arrivals: [0]\nreserverd: 5\n") ==
        "s.yaml:2:1: reserverd: unknown field (expected one of: name, description, arrivals, init, duration, "
        "invocation, reserved, provisioned, account, idle_retention, timeout, error_rate, max_retry_attempts, "
        "retry_delays, max_event_age, seed, horizon, expect)");
  CHECK(error_of("arrivals:\n  - 0\n  - {rate: 5}\n") == "s.yaml:3:5: arrivals[1].duration: missing (how long the rate lasts)");
  CHECK(error_of("arrivals: [0, 1s, later]\n") ==
        "s.yaml:1:19: arrivals[2]: expected a duration such as 250ms, 1.5s, 2m or 100us, got 'later'");
  CHECK(error_of("arrivals: {burst: 4, every: 1s}\n") == "s.yaml:1:29: arrivals.count: is needed with `every` (how many bursts)");
  CHECK(error_of("arrivals: [0]\ninvocation: later\n") == "s.yaml:2:13: invocation: expected sync or async, got 'later'");
  CHECK(error_of("arrivals: [0]\nidle_retention: {dist: uniform, min: 5m}\n") ==
        "s.yaml:2:17: idle_retention.max: missing");
  CHECK(error_of("arrivals: [0]\nduration: {dist: gamma}\n") ==
        "s.yaml:2:18: duration.dist: unknown distribution 'gamma' (expected fixed, uniform, normal, lognormal or "
        "exponential)");
  CHECK(error_of("arrivals: [0]\nexpect:\n  cold_start: 6\n").starts_with(
        "s.yaml:3:3: expect.cold_start: not a summary key (expected one of: requests, invocations, cold_starts"));
  CHECK(error_of("arrivals: [0]\nexpect: {cold_starts: many}\n") ==
        "s.yaml:2:23: expect.cold_starts: expected a number or a bound like \"< 0.01\", got 'many'");
}

TEST_CASE("cross-field errors point at the field they name") {
  CHECK(error_of("arrivals: [0]\n"
                 "account: 100\n"
                 "reserved: 200\n") == "s.yaml:3:11: reserved: is above the account concurrency (100)");
  CHECK(error_of("arrivals: [0]\nreserved: 5\nprovisioned: 6\n") ==
        "s.yaml:3:14: provisioned: is above the reserved concurrency (5)");
  CHECK(error_of("arrivals: [0]\ntimeout: 901s\n") == "s.yaml:2:10: timeout: must be between 1s and 900s (AWS's limits)");
  CHECK(error_of("arrivals: [0]\nidle_retention: normal(10m, 1m)\n") ==
        "s.yaml:2:17: idle_retention: must be fixed or uniform(min, max)");
  CHECK(error_of("arrivals: [0]\nidle_retention: 0\n") == "s.yaml:2:17: idle_retention: must be above 0");
  CHECK(error_of("arrivals: [0]\nretry_delays: [1s, 2s, 3s]\n") ==
        "s.yaml:2:15: retry_delays: needs one or two delays (before the 1st and the 2nd retry)");
  CHECK(error_of("arrivals: [0]\nerror_rate: 1.5\n") == "s.yaml:2:13: error_rate: must be between 0 and 1");
  CHECK(error_of("arrivals: [0]\nmax_retry_attempts: 3\n") ==
        "s.yaml:2:21: max_retry_attempts: must be 0, 1 or 2 (AWS's limit)");
  CHECK(error_of("name: nothing\n") == "s.yaml: arrivals: no requests: give `arrivals:` in the file or --arrivals");
}

TEST_CASE("YAML syntax errors and unreadable files are values too") {
  CHECK(error_of("arrivals: [0, 1\n").starts_with("s.yaml:"));
  CHECK(error_of("- just\n- a list\n") ==
        "s.yaml:1:1: expected a mapping of scenario fields (name:, arrivals:, …)");
  const auto missing = load_scenario("/nonexistent/dir/s.yaml");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().to_string() == "/nonexistent/dir/s.yaml: cannot read the file");
  CHECK(missing.error().code() == errc::config_invalid);
}

TEST_CASE("load_scenario reads a file and names it in errors") {
  const std::string path = "sim_scenario_test.yaml";
  {
    std::ofstream out(path);
    out << "arrivals: [0, 0]\nseed: x\n";
  }
  const auto r = load_scenario(path);
  std::remove(path.c_str());
  REQUIRE_FALSE(r);
  CHECK(r.error().to_string() == "sim_scenario_test.yaml:2:7: seed: expected a non-negative whole number, got 'x'");
}

TEST_CASE("flags override the file and are validated") {
  auto base = parse_scenario("arrivals: [0]\nreserved: 5\ninit: 1s\n");
  REQUIRE(base);
  scenario_overrides o;
  o.arrivals = *parse_arrivals("0,0,0,0,0,0");
  o.init = distribution::fixed(250ms);
  o.handler = distribution::fixed(100ms);
  o.reserved_concurrency = 1;
  o.invocation = invocation_mode::async;
  o.seed = 7;
  const auto r = apply_overrides(*base, o);
  REQUIRE(r);
  CHECK(r->arrivals.expected_count() == 6);
  CHECK(r->init == distribution::fixed(250ms));
  CHECK(r->handler == distribution::fixed(100ms));
  CHECK(r->pool.reserved_concurrency == 1u);
  CHECK(r->invocation == invocation_mode::async);
  CHECK(r->seed == 7);
  CHECK(r->pool.timeout == 3s);  // untouched

  scenario_overrides bad;
  bad.provisioned_concurrency = 9;
  const auto e = apply_overrides(*base, bad);
  REQUIRE_FALSE(e);
  CHECK(e.error().to_string() == "provisioned: is above the reserved concurrency (5)");
  CHECK_FALSE(apply_overrides(scenario{}, {}));  // no arrivals anywhere
}

TEST_CASE("invocation modes accept AWS's names") {
  CHECK(parse_invocation_mode("Event") == invocation_mode::async);
  CHECK(parse_invocation_mode("RequestResponse") == invocation_mode::sync);
  CHECK_FALSE(parse_invocation_mode("DryRun"));
  CHECK(to_string(invocation_mode::async) == "async");
}

TEST_CASE("a teaching scenario carries its expected outcome, and a matching run meets it") {
  const auto r = load_scenario(LAMBKIN_SOURCE_DIR "/tests/sim/scenarios/six_simultaneous.yaml");
  REQUIRE_MESSAGE(r, r.error().to_string());
  CHECK(r->name == "Six simultaneous requests");
  CHECK(r->arrivals.expected_count() == 6);
  REQUIRE(r->expect.size() == 6);
  CHECK(r->expect[1] == expectation{"cold_starts", 6, 14, 16});
  // The trace the driver should produce for this scenario (built by hand until the driver exists).
  CHECK(check_expectations(r->expect, summarize(samples::six_simultaneous()), r->file).empty());
  const auto wrong = check_expectations(r->expect, summarize(samples::reserved_one()), r->file);
  REQUIRE_FALSE(wrong.empty());
  CHECK(wrong.front().ends_with("six_simultaneous.yaml:13:16: invocations: expected 6, got 2"));
}
