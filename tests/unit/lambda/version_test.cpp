// Configuration changes: a retired version's idle environments go at once and busy ones when they
// finish; reserved concurrency changes at runtime; shutdown.
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("a new version retires idle environments now and busy ones when they finish") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto idle_env = d.cold_start(1, v1);
  const auto busy_env = d.cold_start(2, v1);
  d.done(idle_env, 1);

  auto c = d.retire(v1);  // e.g. UpdateFunctionCode: $LATEST is now v2
  auto stopped = one<stop_environment>(c);
  CHECK(stopped.env == idle_env);
  CHECK(stopped.reason == stop_reason::retired);
  CHECK(one<cancel_timer>(c).timer == timer_of(idle_env));
  CHECK(f.pool.find(busy_env)->retiring);

  c = d.done(busy_env, 2);
  CHECK(one<reply>(c).outcome.kind == outcome_kind::success);
  CHECK(one<stop_environment>(c).reason == stop_reason::retired);
  CHECK(count<freeze>(c) == 0);
  CHECK(f.pool.environments().empty());
  CHECK(f.pool.counters().retired == 2);

  CHECK(one<start_environment>(d.invoke(sync_invoke(3, v2))).version == v2);
}

TEST_CASE("an environment initializing for a retired version still serves its request, then stops") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1, v1))).env;
  CHECK(d.retire(v1).empty());
  CHECK(count<dispatch>(d.ready(env)) == 1);
  CHECK(one<stop_environment>(d.done(env, 1)).reason == stop_reason::retired);
}

TEST_CASE("retiring the provisioned version removes its provisioned concurrency") {
  auto s = settings();
  s.provisioned = provisioned_config{v1, 2};
  pool_fixture f{s, {.concurrency_limit = 1000, .unreserved_minimum = 100}};
  auto& d = f.drive;
  for (const auto& st : all<start_environment>(d.start())) d.ready(st.env);
  CHECK(f.acct.carved_out() == 2);
  auto c = d.retire(v1);
  CHECK(all<stop_environment>(c).size() == 2);
  CHECK(count<start_environment>(c) == 0);  // not replaced
  CHECK_FALSE(f.pool.settings().provisioned.has_value());
  CHECK(f.acct.carved_out() == 0);
}

TEST_CASE("reserved concurrency can be set, raised and removed at runtime") {
  account_settings a{.concurrency_limit = 10, .unreserved_minimum = 2};
  pool_fixture f{settings(), a};
  auto& d = f.drive;
  d.invoke(sync_invoke(1));
  d.invoke(sync_invoke(2));
  CHECK(f.acct.unreserved_in_use() == 2);

  command_list c;
  CHECK(f.pool.set_reserved_concurrency(9, d.now(), c) == errc::invalid_parameter_value);
  CHECK_FALSE(f.pool.set_reserved_concurrency(2, d.now(), c));
  CHECK(f.acct.carved_out() == 2);
  CHECK(f.acct.unreserved_in_use() == 0);  // its in-flight moved into the reservation
  CHECK(one<reply>(d.invoke(sync_invoke(3))).outcome.throttle == errc::throttled_reserved_concurrency);

  CHECK_FALSE(f.pool.set_reserved_concurrency(std::nullopt, d.now(), c));
  CHECK(f.acct.carved_out() == 0);
  CHECK(f.acct.unreserved_in_use() == 2);
  CHECK(count<start_environment>(d.invoke(sync_invoke(4))) == 1);
}

TEST_CASE("shutdown stops every environment and aborts the waiting callers") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto busy = d.cold_start(1);
  const auto idle = d.cold_start(2);
  const auto starting = one<start_environment>(d.invoke(sync_invoke(3))).env;
  d.done(idle, 2);

  auto c = d.shutdown();
  auto replies = all<reply>(c);
  REQUIRE(replies.size() == 2);
  for (const auto& r : replies) CHECK(r.outcome.kind == outcome_kind::aborted);
  auto stops = all<stop_environment>(c);
  REQUIRE(stops.size() == 3);
  for (const auto& s : stops) CHECK(s.reason == stop_reason::shutdown);
  CHECK(all<cancel_timer>(c).size() == 3);
  CHECK(f.pool.environments().empty());
  CHECK(f.pool.in_flight() == 0);
  CHECK(f.acct.unreserved_in_use() == 0);
  (void)busy, (void)starting;

  CHECK(one<reply>(d.invoke(sync_invoke(4))).outcome.kind == outcome_kind::aborted);
  CHECK(d.invoke(async_invoke(5)).empty());
}
