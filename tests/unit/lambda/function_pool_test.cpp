// Where invocations run: cold starts, warm reuse (most recently used first), scaling out, and
// the reserved / account concurrency limits with their throttle reasons.
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("a first invocation cold-starts an environment, the next one reuses it warm") {
  pool_fixture f{settings()};
  auto& d = f.drive;

  auto c = d.invoke(sync_invoke(1));
  auto started = one<start_environment>(c);
  CHECK(started.bound == invocation_id{1});
  CHECK(started.init_type == initialization_type::on_demand);
  CHECK(started.version == v1);
  CHECK(one<arm_timer>(c).deadline == d.now() + seconds(10));  // the init limit
  CHECK(f.pool.in_flight() == 1);                                  // initializing for a request counts

  f.clock.advance(milliseconds(480));
  c = d.ready(started.env);
  auto report = one<init_report>(c);
  CHECK(report.status == init_status::success);
  CHECK(report.elapsed == milliseconds(480));
  auto first = one<dispatch>(c);
  CHECK(first.cold);
  CHECK(first.init_duration == milliseconds(480));
  CHECK(first.deadline == d.now() + seconds(3));

  f.clock.advance(milliseconds(200));
  c = d.done(started.env, 1);
  CHECK(one<reply>(c).outcome.kind == outcome_kind::success);
  CHECK(one<reply>(c).env == started.env);
  CHECK(count<freeze>(c) == 1);
  CHECK(one<arm_timer>(c).deadline == d.now() + minutes(10));  // idle retention
  CHECK(f.pool.in_flight() == 0);
  CHECK(f.pool.idle() == 1);

  c = d.invoke(sync_invoke(2));
  CHECK(count<start_environment>(c) == 0);
  auto warm = one<dispatch>(c);
  CHECK(warm.env == started.env);
  CHECK_FALSE(warm.cold);
  CHECK(warm.init_duration == duration::zero());
  CHECK(f.pool.find(started.env)->invocations == 2);
  CHECK(f.pool.counters().cold_starts == 1);
  CHECK(f.pool.counters().warm_starts == 1);
}

TEST_CASE("the most recently used idle environment is reused, the others age towards reaping") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto a = one<start_environment>(d.invoke(sync_invoke(1))).env;
  const auto b = one<start_environment>(d.invoke(sync_invoke(2))).env;
  const auto c = one<start_environment>(d.invoke(sync_invoke(3))).env;
  d.ready(a), d.ready(b), d.ready(c);

  d.done(b, 2);
  d.advance(seconds(1));
  d.done(a, 1);  // a is now the most recently used
  d.advance(seconds(1));
  d.done(c, 3);  // …and now c
  CHECK(one<dispatch>(d.invoke(sync_invoke(4))).env == c);
  d.done(c, 4);
  CHECK(one<dispatch>(d.invoke(sync_invoke(5))).env == c);  // c again: LIFO, not round robin
  d.done(c, 5);

  // b went idle first and is reaped first; c, used last, stays.
  auto reaped = all<stop_environment>(d.advance(minutes(10) - seconds(1)));
  REQUIRE(reaped.size() == 2);
  CHECK(reaped[0].env == b);
  CHECK(reaped[0].reason == stop_reason::reaped);
  CHECK(reaped[1].env == a);
  CHECK(f.pool.environments().size() == 1);
  CHECK(f.pool.environments()[0].id == c);
}

TEST_CASE("six simultaneous invocations start six environments") {
  pool_fixture f{settings()};
  command_list all_out;
  for (std::uint64_t i = 1; i <= 6; ++i)
    for (auto& c : f.drive.invoke(sync_invoke(i))) all_out.push_back(c);
  CHECK(count<start_environment>(all_out) == 6);
  CHECK(count<reply>(all_out) == 0);
  CHECK(f.pool.in_flight() == 6);
  CHECK(f.pool.environments().size() == 6);
  CHECK(f.acct.unreserved_in_use() == 6);
}

TEST_CASE("environments of different versions are never shared") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto e1 = d.cold_start(1, v1);
  d.done(e1, 1);
  auto c = d.invoke(sync_invoke(2, v2));
  CHECK(one<start_environment>(c).version == v2);
  CHECK(f.pool.find(e1)->state == environment_state::idle);
}

TEST_CASE("reserved concurrency caps the function and throttles with its reason") {
  auto s = settings();
  s.reserved_concurrency = 2;
  pool_fixture f{s};
  auto& d = f.drive;
  d.invoke(sync_invoke(1));
  d.invoke(sync_invoke(2));

  auto c = d.invoke(sync_invoke(3));
  CHECK(count<start_environment>(c) == 0);
  auto throttled = one<reply>(c);
  CHECK(throttled.invocation == invocation_id{3});
  CHECK(throttled.env == environment_id{});
  CHECK(throttled.outcome.kind == outcome_kind::throttled);
  CHECK(throttled.outcome.throttle == errc::throttled_reserved_concurrency);
  CHECK(throttle_reason(throttled.outcome.throttle) == "ReservedFunctionConcurrentInvocationLimitExceeded");
  CHECK(http_status(throttled.outcome.throttle) == 429);
  CHECK(f.pool.counters().throttles == 1);

  // The reservation is carved out of the account, used or not; the pool never takes shared slots.
  CHECK(f.acct.carved_out() == 2);
  CHECK(f.acct.unreserved_in_use() == 0);
}

TEST_CASE("a slot freed by a finished invocation can be used again, warm") {
  auto s = settings();
  s.reserved_concurrency = 1;
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  CHECK(one<reply>(d.invoke(sync_invoke(2))).outcome.kind == outcome_kind::throttled);
  d.done(env, 1);
  CHECK(one<dispatch>(d.invoke(sync_invoke(3))).env == env);
}

TEST_CASE("reserved concurrency 0 throttles every invocation") {
  auto s = settings();
  s.reserved_concurrency = 0;
  pool_fixture f{s};
  auto c = f.drive.invoke(sync_invoke(1));
  CHECK(one<reply>(c).outcome.throttle == errc::throttled_reserved_concurrency);
  CHECK(count<start_environment>(c) == 0);
}

TEST_CASE("unreserved functions share the account pool: reservations keep the unreserved minimum") {
  fake_clock clock;
  account acct{{.concurrency_limit = 10, .unreserved_minimum = 2}};

  auto reserved = settings();
  reserved.function = function_name{"reserved"};
  reserved.reserved_concurrency = 9;  // would leave 1 < 2 unreserved
  CHECK(function_pool::validate(reserved, acct) == errc::invalid_parameter_value);
  reserved.reserved_concurrency = 6;
  CHECK_FALSE(function_pool::validate(reserved, acct));
  function_pool c_pool{reserved, acct};
  CHECK(acct.unreserved_capacity() == 4);

  auto a_settings = settings();
  a_settings.function = function_name{"a"};
  auto b_settings = settings();
  b_settings.function = function_name{"b"};
  function_pool a_pool{a_settings, acct}, b_pool{b_settings, acct};
  driver a{a_pool, clock}, b{b_pool, clock};

  a.invoke(sync_invoke(1)), a.invoke(sync_invoke(2)), a.invoke(sync_invoke(3));
  const auto b_env = one<start_environment>(b.invoke(sync_invoke(1))).env;
  CHECK(acct.unreserved_in_use() == 4);

  // Both unreserved functions are now throttled by the account, not by a reservation.
  auto c = b.invoke(sync_invoke(2));
  CHECK(one<reply>(c).outcome.throttle == errc::throttled_account_concurrency);
  CHECK(throttle_reason(one<reply>(c).outcome.throttle) == "ConcurrentInvocationLimitExceeded");
  CHECK(one<reply>(a.invoke(sync_invoke(4))).outcome.throttle == errc::throttled_account_concurrency);

  // The reserved function still has its own six.
  driver r{c_pool, clock};
  for (std::uint64_t i = 1; i <= 6; ++i) CHECK(count<start_environment>(r.invoke(sync_invoke(i))) == 1);
  CHECK(one<reply>(r.invoke(sync_invoke(7))).outcome.throttle == errc::throttled_reserved_concurrency);

  // B finishing frees one shared slot, and A may take it.
  b.ready(b_env);
  b.done(b_env, 1);
  CHECK(acct.unreserved_in_use() == 3);
  CHECK(count<start_environment>(a.invoke(sync_invoke(5))) == 1);
  CHECK(acct.unreserved_in_use() == 4);
}

TEST_CASE("an idle environment doesn't count against concurrency") {
  auto s = settings();
  s.reserved_concurrency = 1;
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = d.cold_start(1, v1);
  d.done(env, 1);
  // An idle v1 environment exists, but a v2 invocation may still cold-start within the reservation.
  auto c = d.invoke(sync_invoke(2, v2));
  CHECK(count<start_environment>(c) == 1);
  CHECK(f.pool.in_flight() == 1);
}

TEST_CASE("a pool gives its carve-out and slots back to the account when destroyed") {
  account acct{{.concurrency_limit = 200, .unreserved_minimum = 100}};
  fake_clock clock;
  {
    auto s = settings();
    s.reserved_concurrency = 50;
    function_pool reserved{s, acct};
    function_pool shared{settings(), acct};
    driver d{shared, clock};
    d.invoke(sync_invoke(1));
    CHECK(acct.carved_out() == 50);
    CHECK(acct.unreserved_in_use() == 1);
  }
  CHECK(acct.carved_out() == 0);
  CHECK(acct.unreserved_in_use() == 0);
}

TEST_CASE("invalid settings are refused with InvalidParameterValue") {
  account acct;
  auto s = settings();
  s.timeout = seconds(901);
  CHECK(function_pool::validate(s, acct) == errc::invalid_parameter_value);
  CHECK_THROWS_AS(function_pool(s, acct), std::system_error);
}
