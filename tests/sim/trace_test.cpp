#include "emulator/sim/trace.hpp"

#include "sim/sample_traces.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::sim;
using namespace lambkin::sim::samples;

TEST_CASE("the driver protocol fills lanes, segments and requests") {
  const trace t = reserved_one();
  REQUIRE(t.environments().size() == 2);
  const environment_lane& e1 = t.environments()[0];
  CHECK(e1.id == environment_id(10));
  CHECK(e1.version == 3);
  CHECK(e1.reason == stop_reason::end_of_simulation);
  CHECK(e1.stopped == at(600ms));
  CHECK(t.environments()[1].type == init_type::provisioned);
  CHECK(t.environments()[1].reason == stop_reason::retired);

  REQUIRE(t.inits().size() == 2);
  CHECK(t.inits()[0].environment == 0);
  CHECK(t.inits()[0].end == at(200ms));
  CHECK(t.inits()[0].outcome == init_outcome::ok);

  REQUIRE(t.invokes().size() == 2);
  CHECK(t.invokes()[0].cold);
  CHECK_FALSE(t.invokes()[1].cold);
  CHECK(t.invokes()[1].outcome == invoke_outcome::function_error);

  REQUIRE(t.requests().size() == 3);
  CHECK(t.requests()[0].outcome == request_outcome::success);
  CHECK(t.requests()[0].start == at(200ms));
  CHECK(t.requests()[0].end == at(300ms));
  CHECK(t.requests()[0].cold);
  CHECK(t.requests()[1].outcome == request_outcome::throttled);
  CHECK(t.requests()[1].throttles == 1);
  CHECK(t.requests()[1].start == never);
  CHECK(t.requests()[2].outcome == request_outcome::function_error);
  CHECK(t.requests()[2].environment == 0);

  REQUIRE(t.throttles().size() == 1);
  CHECK(t.throttles()[0].reason == errc::throttled_reserved_concurrency);
  CHECK(t.end_time() == at(600ms));
  CHECK(t.finished());
  CHECK(t.find_environment(environment_id(11)) == 1u);
  CHECK_FALSE(t.find_environment(environment_id(12)));
}

TEST_CASE("async retries, drops, and a throttle followed by success") {
  trace t;
  const auto r = t.add_request(at(0ms));
  t.throttle(r, at(0ms), errc::throttled_account_concurrency);
  const auto e = t.begin_environment(at(1s), environment_id(1), init_type::on_demand);
  t.end_init(e, at(1200ms));
  t.begin_invoke(e, r, at(1200ms), true);
  t.end_invoke(e, at(1300ms), invoke_outcome::function_error);
  CHECK(t.requests()[r].outcome == request_outcome::function_error);
  t.begin_invoke(e, r, at(61300ms), false);
  t.end_invoke(e, at(61400ms));
  CHECK(t.requests()[r].outcome == request_outcome::success);  // the latest news wins
  CHECK(t.requests()[r].attempts == 2);
  CHECK(t.requests()[r].cold);
  CHECK(t.requests()[r].start == at(1200ms));

  const auto dropped = t.add_request(at(2s));
  t.complete(dropped, at(3s), request_outcome::dropped);
  CHECK(t.requests()[dropped].outcome == request_outcome::dropped);
}

TEST_CASE("ending an environment closes what is open, and finish cuts off the rest") {
  trace t;
  const auto r1 = t.add_request(at(0ms));
  const auto r2 = t.add_request(at(0ms));
  const auto a = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  const auto b = t.begin_environment(at(0ms), environment_id(2), init_type::on_demand);
  const auto c = t.begin_environment(at(0ms), environment_id(3), init_type::on_demand);
  t.end_init(a, at(100ms));
  t.end_init(b, at(100ms));
  t.begin_invoke(a, r1, at(100ms), true);
  t.end_environment(a, at(3100ms), stop_reason::timeout);
  CHECK(t.invokes()[0].outcome == invoke_outcome::timeout);
  CHECK(t.requests()[r1].outcome == request_outcome::function_error);
  t.begin_invoke(b, r2, at(200ms), true);
  t.finish(at(5s));
  CHECK(t.invokes()[1].end == at(5s));
  CHECK(t.invokes()[1].outcome == invoke_outcome::running);
  CHECK(t.requests()[r2].outcome == request_outcome::pending);
  CHECK(t.inits()[2].end == at(5s));
  CHECK(t.inits()[2].outcome == init_outcome::running);
  CHECK(t.environments()[c].reason == stop_reason::end_of_simulation);
  CHECK(t.environments()[a].reason == stop_reason::timeout);  // finish leaves stopped lanes alone
}

TEST_CASE("a re-init opens a second init segment on the same lane") {
  trace t;
  const auto e = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  t.end_init(e, at(100ms), init_outcome::failed);
  t.begin_init(e, at(150ms));
  t.end_init(e, at(300ms));
  REQUIRE(t.inits().size() == 2);
  CHECK(t.inits()[0].outcome == init_outcome::failed);
  CHECK(t.inits()[1].start == at(150ms));
  CHECK(t.inits()[1].environment == e);
}

TEST_CASE("the pool's stop reasons map onto open segments") {
  trace t;
  const auto r = t.add_request(at(0ms));
  const auto a = t.begin_environment(at(0ms), environment_id(1), init_type::on_demand);
  const auto b = t.begin_environment(at(0ms), environment_id(2), init_type::on_demand);
  t.end_init(a, at(100ms));
  t.begin_invoke(a, r, at(100ms), true);
  t.end_environment(a, at(150ms), stop_reason::out_of_memory);
  t.end_environment(b, at(10s), stop_reason::timeout);  // init ran past its limit
  t.end_environment(b, at(11s), stop_reason::shutdown);  // ignored: already stopped
  CHECK(t.invokes()[0].outcome == invoke_outcome::crashed);
  CHECK(t.inits()[1].outcome == init_outcome::timeout);
  CHECK(t.environments()[b].reason == stop_reason::timeout);
  CHECK(t.environments()[b].stopped == at(10s));
}
