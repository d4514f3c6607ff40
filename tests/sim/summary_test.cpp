#include "emulator/sim/summary.hpp"

#include "emulator/sim/expectation.hpp"
#include "sim/sample_traces.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace lambkin;
using namespace lambkin::sim;
using namespace lambkin::sim::samples;

TEST_CASE("six simultaneous requests: six cold starts on six environments") {
  const summary s = summarize(six_simultaneous());
  CHECK(s.requests == 6);
  CHECK(s.invocations == 6);
  CHECK(s.cold_starts == 6);
  CHECK(s.warm_starts == 0);
  CHECK(s.throttled == 0);
  CHECK(s.environments == 6);
  CHECK(s.max_concurrency == 6);
  CHECK(s.cold_start_rate == 1.0);
  CHECK(s.latency_p50_ms == 350.0);
  CHECK(s.latency_p99_ms == 350.0);
  CHECK(s.latency_max_ms == 350.0);
  CHECK(s.init_ms_total == 1500.0);
  CHECK(s.handler_ms_total == 600.0);
  CHECK(s.simulated_ms == 350.0);
}

TEST_CASE("reserved concurrency 1: a throttle, a warm start, an error") {
  const summary s = summarize(reserved_one());
  CHECK(s.requests == 3);
  CHECK(s.invocations == 2);
  CHECK(s.cold_starts == 1);
  CHECK(s.warm_starts == 1);
  CHECK(s.throttled == 1);
  CHECK(s.environments == 2);
  CHECK(s.max_concurrency == 1);  // the provisioned init serves no request
  CHECK(s.cold_start_rate == 0.5);
  CHECK(s.errors == 1);
  CHECK(s.latency_p50_ms == 100.0);  // request 3: 400 → 500
  CHECK(s.latency_max_ms == 300.0);  // request 1: 0 → 300
  CHECK(s.init_ms_total == 350.0);
  CHECK(s.handler_ms_total == 200.0);
}

TEST_CASE("percentiles are nearest-rank") {
  std::vector<std::int64_t> v{5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
  CHECK(percentile(v, 50) == 5);
  CHECK(percentile(v, 90) == 9);
  CHECK(percentile(v, 99) == 10);
  CHECK(percentile(v, 100) == 10);
  CHECK(percentile(v, 0) == 1);
  std::vector<std::int64_t> empty;
  CHECK(percentile(empty, 50) == 0);
  std::vector<std::int64_t> many(1000);
  for (int i = 0; i < 1000; ++i) many[static_cast<std::size_t>(i)] = 999 - i;
  CHECK(percentile(many, 99) == 989);
  CHECK(percentile(many, 50) == 499);
}

TEST_CASE("max concurrency sweeps overlaps, and back-to-back segments count once") {
  trace t;
  for (int i = 0; i < 4; ++i) t.add_request(at(0ms));
  const auto a = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  t.end_init(a, at(100ms));
  t.begin_invoke(a, 0, at(100ms), true);
  t.end_invoke(a, at(200ms));
  t.begin_invoke(a, 1, at(200ms), false);  // back to back on the same environment
  t.end_invoke(a, at(300ms));
  const auto b = t.begin_environment(at(150ms), environment_id(2), init_type::on_demand);
  t.end_init(b, at(250ms));
  t.begin_invoke(b, 2, at(250ms), true);
  t.end_invoke(b, at(260ms));
  const auto c = t.begin_environment(at(255ms), environment_id(3), init_type::on_demand);
  t.end_init(c, at(400ms));
  t.begin_invoke(c, 3, at(400ms), true);
  t.end_invoke(c, at(500ms));
  t.finish(at(500ms));
  const summary s = summarize(t);
  CHECK(s.max_concurrency == 3);  // a, b and c all busy during [255, 260)
  CHECK(s.async_retries == 0);
}

TEST_CASE("async retries and the DLQ are counted") {
  trace t;
  const auto r = t.add_request(at(0ms));
  const auto e = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  t.end_init(e, at(100ms));
  for (int attempt = 0; attempt < 3; ++attempt) {
    t.begin_invoke(e, r, at(100ms + attempt * 60s), attempt == 0);
    t.end_invoke(e, at(200ms + attempt * 60s), invoke_outcome::function_error);
  }
  t.complete(r, at(120200ms), request_outcome::dropped);
  t.finish(at(121s));
  const summary s = summarize(t);
  CHECK(s.invocations == 3);
  CHECK(s.async_retries == 2);
  CHECK(s.errors == 3);
  CHECK(s.dlq == 1);
  CHECK(s.latency_max_ms == 0.0);  // dropped requests have no latency
}

TEST_CASE("JSON: one line, every key, exact format") {
  const summary s = summarize(six_simultaneous());
  CHECK(to_json(s) ==
        "{\"requests\":6,\"invocations\":6,\"cold_starts\":6,\"warm_starts\":0,\"throttled\":0,"
        "\"environments\":6,\"max_concurrency\":6,\"cold_start_rate\":1,\"latency_p50_ms\":350,"
        "\"latency_p99_ms\":350,\"latency_max_ms\":350,\"init_ms_total\":1500,\"handler_ms_total\":600,"
        "\"errors\":0,\"async_retries\":0,\"dlq\":0,\"simulated_ms\":350}");
  summary frac;
  frac.cold_start_rate = 1.0 / 3.0;
  frac.latency_p99_ms = 12.3456;
  const std::string json = to_json(frac);
  CHECK(json.find("\"cold_start_rate\":0.333,") != std::string::npos);
  CHECK(json.find("\"latency_p99_ms\":12.346,") != std::string::npos);
  for (const auto key : summary_keys()) CHECK(json.find("\"" + std::string(key) + "\":") != std::string::npos);
  for (const char* required : {"invocations", "cold_starts", "warm_starts", "throttled", "environments",
                               "max_concurrency", "latency_p50_ms", "latency_p99_ms"})
    CHECK(summary_value(s, required).has_value());
  CHECK_FALSE(summary_value(s, "cold_start"));
}

TEST_CASE("text summary") {
  CHECK(to_text(summarize(reserved_one())) ==
        "requests       3\n"
        "invocations    2  (cold 1, warm 1, cold-start rate 50%)\n"
        "throttled      1\n"
        "environments   2  (max concurrency 1)\n"
        "latency        p50 100 ms, p99 300 ms, max 300 ms\n"
        "time in        init 350 ms, handler 200 ms\n"
        "errors         1  (async retries 0, dlq 0)\n"
        "simulated      600ms\n");
}

TEST_CASE("expectations are checked against the summary") {
  const summary s = summarize(six_simultaneous());
  const std::vector<expectation> good{{"cold_starts", 6, 3, 16}, {"cold_start_rate", 1, 0, 0}};
  CHECK(check_expectations(good, s).empty());
  const std::vector<expectation> bad{{"cold_starts", 5, 3, 16}, {"warm_starts", 0, 4, 16}};
  CHECK(check_expectations(bad, s, "six.yaml") == std::vector<std::string>{"six.yaml:3:16: cold_starts: expected 5, got 6"});
  CHECK(check_expectations(bad, s) == std::vector<std::string>{"cold_starts: expected 5, got 6"});
}
