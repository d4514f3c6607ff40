// The driver: the pool core on virtual time, recorded in a trace.
#include "emulator/sim/simulation.hpp"

#include "emulator/sim/summary.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::sim;

namespace {

scenario base(std::vector<duration> arrivals) {
  scenario s;
  s.arrivals.components.push_back(explicit_arrivals{std::move(arrivals)});
  s.init = distribution::fixed(milliseconds(250));
  s.handler = distribution::fixed(milliseconds(100));
  return s;
}

summary run(const scenario& s) {
  auto t = run_simulation(s);
  REQUIRE_MESSAGE(t.has_value(), (t.has_value() ? "" : t.error().to_string()));
  return summarize(*t);
}

}  // namespace

TEST_CASE("a cold request waits for init then runs, its latency is init + handler") {
  auto t = run_simulation(base({milliseconds(0)}));
  REQUIRE(t.has_value());
  REQUIRE(t->environments().size() == 1);
  REQUIRE(t->inits().size() == 1);
  CHECK(t->inits()[0].end - t->inits()[0].start == milliseconds(250));
  REQUIRE(t->invokes().size() == 1);
  CHECK(t->invokes()[0].cold);
  CHECK(t->invokes()[0].start - t->origin() == milliseconds(250));
  CHECK(t->requests()[0].end - t->requests()[0].arrival == milliseconds(350));
  // Nothing else happens, so the idle environment is reaped after the aws-timing retention (10 min).
  CHECK(t->environments()[0].reason == stop_reason::reaped);
  CHECK(t->environments()[0].stopped - t->origin() == milliseconds(350) + minutes(10));
}

TEST_CASE("a request arriving exactly when another finishes reuses its environment") {
  auto s = run(base({milliseconds(0), milliseconds(350)}));
  CHECK(s.cold_starts == 1);
  CHECK(s.warm_starts == 1);
  CHECK(s.environments == 1);
}

TEST_CASE("an idle environment older than the retention is reaped, so the next request is cold") {
  auto sc = base({milliseconds(0), seconds(30)});
  sc.pool.idle_retention = distribution::fixed(seconds(10));
  auto s = run(sc);
  CHECK(s.cold_starts == 2);
  CHECK(s.environments == 2);
}

TEST_CASE("a handler slower than the timeout times out, kills its environment, and the next request is cold") {
  auto sc = base({milliseconds(0), seconds(5)});
  sc.handler = distribution::fixed(seconds(4));
  sc.pool.timeout = seconds(3);
  auto t = run_simulation(sc);
  REQUIRE(t.has_value());
  REQUIRE(t->environments().size() == 2);
  CHECK(t->environments()[0].reason == stop_reason::timeout);
  CHECK(t->invokes()[0].outcome == invoke_outcome::timeout);
  CHECK(t->invokes()[1].cold);
  CHECK(summarize(*t).errors == 2);
}

TEST_CASE("async events with errors are retried after the configured delays, then dropped") {
  auto sc = base({milliseconds(0)});
  sc.invocation = invocation_mode::async;
  sc.error_rate = 1.0;
  sc.pool.retry_delays = {seconds(60), seconds(120)};
  auto t = run_simulation(sc);
  REQUIRE(t.has_value());
  REQUIRE(t->invokes().size() == 3);
  CHECK(t->invokes()[1].start - t->invokes()[0].end == seconds(60));
  CHECK(t->invokes()[2].start - t->invokes()[1].end == seconds(120));
  CHECK(t->requests()[0].outcome == request_outcome::dropped);
  auto s = summarize(*t);
  CHECK(s.async_retries == 2);
  CHECK(s.dlq == 1);
}

TEST_CASE("the same seed gives the same run, another seed a different one") {
  scenario sc;
  sc.arrivals.components.push_back(rate_arrivals{arrival_process::poisson, 50, seconds(20), {}});
  sc.init = distribution::uniform(milliseconds(100), milliseconds(400));
  sc.handler = distribution::uniform(milliseconds(50), milliseconds(150));
  sc.seed = 7;
  const auto a = to_json(run(sc)), b = to_json(run(sc));
  CHECK(a == b);
  sc.seed = 8;
  CHECK(to_json(run(sc)) != a);
}

TEST_CASE("provisioned environments are ready before traffic, spillover beyond them is cold") {
  auto sc = base({milliseconds(0), milliseconds(0), milliseconds(0), milliseconds(0)});
  sc.pool.reserved_concurrency = 10;
  sc.pool.provisioned_concurrency = 3;
  auto t = run_simulation(sc);
  REQUIRE(t.has_value());
  auto s = summarize(*t);
  CHECK(s.invocations == 4);
  CHECK(s.cold_starts == 1);  // the fourth spills over to an on-demand environment
  CHECK(s.environments == 4);
  std::size_t provisioned = 0;
  for (const auto& lane : t->environments()) provisioned += lane.type == init_type::provisioned;
  CHECK(provisioned == 3);
  CHECK(t->requests()[0].end - t->requests()[0].arrival == milliseconds(100));
}

TEST_CASE("a horizon stops the simulation there") {
  auto sc = base({milliseconds(0), seconds(1), seconds(20)});
  sc.horizon = seconds(10);
  auto t = run_simulation(sc);
  REQUIRE(t.has_value());
  CHECK(t->end_time() - t->origin() == seconds(10));
  CHECK(summarize(*t).invocations == 2);
}

TEST_CASE("a reservation the account cannot carve out is an error naming the field") {
  auto sc = base({milliseconds(0)});
  sc.pool.account_concurrency = 100;
  sc.pool.reserved_concurrency = 95;
  auto t = run_simulation(sc);
  REQUIRE_FALSE(t.has_value());
  CHECK(t.error().field == "reserved");
  CHECK(t.error().to_string() ==
        "reserved: 95 reserved and 0 provisioned leave less than the account's unreserved minimum of 10 "
        "(account concurrency 100)");
}
