// Asynchronous invocation through a pool: waiting for capacity (not a throttle), retries after
// function errors, throttle backoff up to the maximum event age, and the records that end events.
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("an async event runs like a sync one and ends with a Success record, not a reply") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto t0 = d.now();
  auto started = one<start_environment>(d.invoke(async_invoke(1)));
  CHECK(started.bound == invocation_id{1});
  CHECK(one<dispatch>(d.ready(started.env)).attempt == 1);
  f.clock.advance(seconds(1));
  auto c = d.done(started.env, 1);
  CHECK(count<reply>(c) == 0);
  auto record = one<event_finished>(c).record;
  CHECK(record.invocation == invocation_id{1});
  CHECK(record.is_success());
  CHECK(to_string(record.condition) == "Success");
  CHECK(record.approximate_invoke_count == 1);
  CHECK(record.executed_version == v1);
  CHECK(record.environment == started.env);
  CHECK(record.status_code() == 200);
  CHECK_FALSE(record.has_function_error());
  CHECK(record.enqueued_at == t0);
  CHECK(record.timestamp == d.now());
}

TEST_CASE("function errors are retried after 1 and 2 minutes, then the event fails for good") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(async_invoke(7))).env;
  d.ready(env);

  auto c = d.done(env, 7, invocation_result::function_error);
  auto retry = one<retry_scheduled>(c);
  CHECK(retry.invoke_count == 1);
  CHECK(retry.due == d.now() + minutes(1));
  CHECK(d.timer(f.pool.queue_timer()) == retry.due);
  CHECK(count<event_finished>(c) == 0);
  CHECK(f.pool.queued() == 1);

  CHECK(d.advance(minutes(1) - milliseconds(1)).empty());
  c = d.advance(milliseconds(1));
  auto second = one<dispatch>(c);
  CHECK(second.env == env);  // still warm
  CHECK(second.attempt == 2);

  c = d.done(env, 7, invocation_result::function_error);
  CHECK(one<retry_scheduled>(c).due == d.now() + minutes(2));
  c = d.advance(minutes(2));
  CHECK(one<dispatch>(c).attempt == 3);

  c = d.done(env, 7, invocation_result::function_error);
  CHECK(count<retry_scheduled>(c) == 0);
  auto record = one<event_finished>(c).record;
  CHECK(record.condition == record_condition::retries_exhausted);
  CHECK(to_string(record.condition) == "RetriesExhausted");
  CHECK(record.approximate_invoke_count == 3);
  CHECK(record.outcome.kind == outcome_kind::function_error);
  CHECK(record.has_function_error());  // responseContext.functionError: Unhandled
  CHECK(record.status_code() == 200);
  CHECK(f.pool.queued() == 0);
}

TEST_CASE("with MaximumRetryAttempts 0 the first function error ends the event") {
  auto s = settings();
  s.async.max_retry_attempts = 0;
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(async_invoke(1))).env;
  d.ready(env);
  auto record = one<event_finished>(d.done(env, 1, invocation_result::function_error)).record;
  CHECK(record.condition == record_condition::retries_exhausted);
  CHECK(record.approximate_invoke_count == 1);
}

TEST_CASE("crashes and timeouts are function errors too: the retry cold-starts") {
  pool_fixture f{settings(timing_profile::fast)};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(async_invoke(1))).env;
  d.ready(env);
  auto c = d.exited(env, exit_status::code(2));
  CHECK(one<retry_scheduled>(c).due == d.now() + seconds(1));  // fast timing: 1 s, then 2 s
  c = d.advance(seconds(1));
  auto restarted = one<start_environment>(c);
  CHECK(restarted.bound == invocation_id{1});
  CHECK(one<dispatch>(d.ready(restarted.env)).attempt == 2);

  c = d.advance(seconds(3));  // timeout
  CHECK(one<retry_scheduled>(c).due == d.now() + seconds(2));
  c = d.advance(seconds(2));
  const auto third = one<start_environment>(c).env;
  d.ready(third);
  auto record = one<event_finished>(d.exited(third, exit_status::signal(6))).record;
  CHECK(record.condition == record_condition::retries_exhausted);
  CHECK(record.approximate_invoke_count == 3);
  CHECK(record.outcome.kind == outcome_kind::exit_error);
  CHECK(record.environment == third);
}

TEST_CASE("a retry that would come after the maximum event age ends the event at once") {
  auto s = settings();
  s.async.max_event_age = seconds(60);
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(async_invoke(1))).env;
  d.ready(env);
  f.clock.advance(seconds(2));
  auto c = d.done(env, 1, invocation_result::function_error);
  CHECK(count<retry_scheduled>(c) == 0);
  auto record = one<event_finished>(c).record;
  CHECK(record.condition == record_condition::event_age_exceeded);
  CHECK(to_string(record.condition) == "EventAgeExceeded");
  CHECK(record.approximate_invoke_count == 1);
  CHECK(record.outcome.kind == outcome_kind::function_error);
}

TEST_CASE("six events with reserved concurrency 1 run one after another on one environment") {
  auto s = settings();
  s.reserved_concurrency = 1;
  pool_fixture f{s};
  auto& d = f.drive;
  command_list intake;
  for (std::uint64_t i = 1; i <= 6; ++i)
    for (auto& c : d.invoke(async_invoke(i))) intake.push_back(c);
  const auto env = one<start_environment>(intake).env;
  CHECK(count<event_finished>(intake) == 0);  // waiting for capacity is not a throttle
  CHECK(f.pool.queued() == 5);

  CHECK(one<dispatch>(d.ready(env)).invocation == invocation_id{1});
  for (std::uint64_t i = 1; i <= 6; ++i) {
    f.clock.advance(milliseconds(100));
    auto c = d.done(env, i);
    CHECK(one<event_finished>(c).record.invocation == invocation_id{i});
    if (i < 6) {
      auto next = one<dispatch>(c);
      CHECK(next.env == env);
      CHECK(next.invocation == invocation_id{i + 1});
      CHECK_FALSE(next.cold);
      CHECK(count<freeze>(c) == 0);  // handed over directly, never frozen in between
    } else {
      CHECK(count<freeze>(c) == 1);
    }
  }
  CHECK(f.pool.counters().cold_starts == 1);
  CHECK(f.pool.counters().warm_starts == 5);
  CHECK(f.pool.counters().throttles == 0);
  CHECK_FALSE(d.timer(f.pool.queue_timer()).has_value());
}

TEST_CASE("six events without a reservation start six environments") {
  pool_fixture f{settings()};
  command_list intake;
  for (std::uint64_t i = 1; i <= 6; ++i)
    for (auto& c : f.drive.invoke(async_invoke(i))) intake.push_back(c);
  CHECK(count<start_environment>(intake) == 6);
}

TEST_CASE("reserved concurrency 0 sends async events straight to the failure record, untried") {
  auto s = settings();
  s.reserved_concurrency = 0;
  pool_fixture f{s};
  auto& d = f.drive;
  auto c = d.invoke(async_invoke(1));
  CHECK(count<start_environment>(c) == 0);
  CHECK(count<retry_scheduled>(c) == 0);
  auto record = one<event_finished>(c).record;
  CHECK(record.condition == record_condition::retries_exhausted);
  CHECK(record.approximate_invoke_count == 0);
  CHECK(record.outcome.kind == outcome_kind::throttled);
  CHECK(record.outcome.throttle == errc::throttled_reserved_concurrency);
  CHECK(record.status_code() == 429);
  CHECK(record.environment == environment_id{});
  CHECK(f.pool.queued() == 0);
}

namespace {

/// An account with one slot, taken by another function's long invocation.
struct crowded_account {
  fake_clock clock;
  account acct{{.concurrency_limit = 1, .unreserved_minimum = 0}};
  function_pool hog{[] {
                      auto s = settings();
                      s.function = function_name{"hog"};
                      s.timeout = seconds(900);
                      return s;
                    }(),
                    acct};
  driver hog_driver{hog, clock};
  environment_id hog_env = hog_driver.cold_start(1);
};

}  // namespace

TEST_CASE("throttled async events back off exponentially until their maximum age") {
  crowded_account world;
  auto s = settings();
  s.async.max_event_age = seconds(60);
  function_pool pool{s, world.acct};
  driver d{pool, world.clock};
  const auto t0 = d.now();

  auto c = d.invoke(async_invoke(1));
  CHECK(count<start_environment>(c) == 0);
  CHECK(one<arm_timer>(c).deadline == t0 + seconds(1));
  CHECK(pool.counters().throttles == 1);

  // Retries at 1, 3, 7, 15 and 31 s (backoff 1, 2, 4, 8, 16 s); the next would be at 63 s, but
  // the event's age runs out at 60 s.
  std::vector<time_point> wakeups;
  command_list last;
  for (int i = 0; i < 6; ++i) {
    last = d.advance(*d.timer(pool.queue_timer()) - d.now());
    for (const auto& a : all<arm_timer>(last)) wakeups.push_back(a.deadline);
  }
  const std::vector<time_point> expected{t0 + seconds(3), t0 + seconds(7), t0 + seconds(15),
                                         t0 + seconds(31), t0 + seconds(60)};
  CHECK(wakeups == expected);
  auto record = one<event_finished>(last).record;
  CHECK(record.condition == record_condition::event_age_exceeded);
  CHECK(record.approximate_invoke_count == 0);
  CHECK(record.outcome.throttle == errc::throttled_account_concurrency);
  CHECK(record.status_code() == 429);
  CHECK(record.timestamp == t0 + seconds(60));
  CHECK(pool.queued() == 0);
  CHECK_FALSE(d.timer(pool.queue_timer()).has_value());  // it fired; nothing left to arm
}

TEST_CASE("a throttled event runs at the next backoff once capacity is back") {
  crowded_account world;
  auto s = settings(timing_profile::fast);  // backoff 100 ms, doubling
  function_pool pool{s, world.acct};
  driver d{pool, world.clock};
  d.invoke(async_invoke(1));
  CHECK(d.advance(milliseconds(100)).size() == 1);  // still throttled: re-armed at +200 ms
  world.hog_driver.done(world.hog_env, 1);  // the other function frees the account's slot
  auto c = d.advance(milliseconds(200));
  CHECK(one<start_environment>(c).bound == invocation_id{1});
}

TEST_CASE("an event that waits too long for capacity expires when it reaches the front") {
  auto s = settings();
  s.reserved_concurrency = 1;
  s.timeout = seconds(900);
  s.async.max_event_age = seconds(60);
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(async_invoke(1))).env;
  d.invoke(async_invoke(2));
  d.ready(env);
  f.clock.advance(seconds(70));
  auto c = d.done(env, 1);
  auto records = all<event_finished>(c);
  REQUIRE(records.size() == 2);
  CHECK(records[0].record.is_success());
  CHECK(records[1].record.invocation == invocation_id{2});
  CHECK(records[1].record.condition == record_condition::event_age_exceeded);
  CHECK(records[1].record.outcome.throttle == errc::throttled_reserved_concurrency);
  CHECK(count<dispatch>(c) == 0);
}

TEST_CASE("an event restored from the durable store keeps its age and attempt count") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  f.clock.advance(minutes(5));
  async_event ev{invocation_id{9}, v1, d.now() - minutes(3), 1, invocation_outcome::function_error(), {}};
  command_list c;
  f.pool.on_event_restored(ev, d.now(), c);
  const auto env = one<start_environment>(c).env;
  CHECK(one<dispatch>(d.ready(env)).attempt == 2);
  auto record = one<event_finished>(d.done(env, 9)).record;
  CHECK(record.approximate_invoke_count == 2);
  CHECK(record.enqueued_at == d.now() - minutes(3));
}

TEST_CASE("an event restored while waiting for a retry runs at its due time, not at once") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  f.clock.advance(minutes(5));
  async_event waiting{invocation_id{9}, v1, d.now() - seconds(20), 1, invocation_outcome::function_error(), {}};
  async_event late{invocation_id{10}, v1, d.now() - seconds(30), 1, invocation_outcome::function_error(), {}};
  async_event later{invocation_id{11}, v1, d.now() - seconds(10), 1, invocation_outcome::function_error(), {}};
  CHECK(count<start_environment>(d.restore(waiting, d.now() + seconds(40))) == 0);
  CHECK(count<start_environment>(d.restore(later, d.now() + seconds(50))) == 0);
  // Its due time passed while the shell was down: it runs now.
  const auto env = one<start_environment>(d.restore(late, d.now() - seconds(1))).env;
  CHECK(one<dispatch>(d.ready(env)).invocation == invocation_id{10});
  d.done(env, 10);
  CHECK(count<dispatch>(d.advance(seconds(39))) == 0);
  auto woke = d.advance(seconds(1));
  const auto retried = one<dispatch>(woke);
  CHECK(retried.invocation == invocation_id{9});
  CHECK(retried.attempt == 2);  // the attempt count carried over
  d.done(env, 9);
  CHECK(count<dispatch>(d.advance(seconds(9))) == 0);
  CHECK(one<dispatch>(d.advance(seconds(1))).invocation == invocation_id{11});
}

TEST_CASE("sync invocations are never queued behind async events") {
  auto s = settings();
  s.reserved_concurrency = 1;
  pool_fixture f{s};
  auto& d = f.drive;
  d.invoke(async_invoke(1));
  d.invoke(async_invoke(2));
  CHECK(one<reply>(d.invoke(sync_invoke(3))).outcome.kind == outcome_kind::throttled);
}
