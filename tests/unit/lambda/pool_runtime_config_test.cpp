// Configuration changed while the pool runs: per-version timeouts (a version keeps the timeout it
// was configured with) and the async retry policy (PutFunctionEventInvokeConfig).
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("each version's invocations get that version's timeout") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  CHECK(f.pool.timeout_of(v1) == seconds(3));
  CHECK_FALSE(f.pool.set_version_timeout(v2, seconds(10)));
  CHECK(f.pool.set_version_timeout(v2, seconds(901)) == errc::invalid_parameter_value);
  CHECK(f.pool.set_version_timeout(v2, milliseconds(0)) == errc::invalid_parameter_value);
  CHECK(f.pool.timeout_of(v2) == seconds(10));

  const auto started = one<start_environment>(d.invoke(sync_invoke(1, v2)));
  const auto dispatched = one<dispatch>(d.ready(started.env));
  CHECK(dispatched.deadline == d.now() + seconds(10));
  CHECK(d.timer(started.env) == d.now() + seconds(10));
  // Past v1's 3 s but within v2's 10 s: still running.
  CHECK(count<reply>(d.advance(seconds(5))) == 0);
  CHECK(one<reply>(d.advance(seconds(5))).outcome.kind == outcome_kind::timeout);

  const auto v1_env = one<start_environment>(d.invoke(sync_invoke(2, v1))).env;
  CHECK(one<dispatch>(d.ready(v1_env)).deadline == d.now() + seconds(3));
}

TEST_CASE("a provisioned version's init limit uses its own timeout") {
  auto s = settings();
  s.provisioned = provisioned_config{v2, 1};
  s.provisioned_init_limit = seconds(130);
  pool_fixture f{s};
  CHECK_FALSE(f.pool.set_version_timeout(v2, seconds(300)));
  auto c = f.drive.start();
  const auto env = one<start_environment>(c).env;
  CHECK(f.drive.timer(env) == f.drive.now() + seconds(300));
}

TEST_CASE("the retry policy can change at runtime: 0 retries ends an event after its first failure") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  CHECK(f.pool.set_retry_policy(3, hours(1)) == errc::invalid_parameter_value);
  CHECK(f.pool.set_retry_policy(0, seconds(59)) == errc::invalid_parameter_value);
  CHECK(f.pool.set_retry_policy(0, hours(7)) == errc::invalid_parameter_value);
  CHECK(f.pool.settings().async.max_retry_attempts == 2);
  CHECK_FALSE(f.pool.set_retry_policy(0, minutes(5)));
  CHECK(f.pool.settings().async.max_retry_attempts == 0);
  CHECK(f.pool.settings().async.max_event_age == minutes(5));

  const auto env = one<start_environment>(d.invoke(async_invoke(1))).env;
  d.ready(env);
  auto c = d.done(env, 1, invocation_result::function_error);
  CHECK(count<retry_scheduled>(c) == 0);
  auto record = one<event_finished>(c).record;
  CHECK(record.condition == record_condition::retries_exhausted);
  CHECK(record.approximate_invoke_count == 1);
}
