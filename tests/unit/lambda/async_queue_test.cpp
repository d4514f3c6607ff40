// The async queue on its own: FIFO order, event age, retry waits, throttle backoff, records.
#include "emulator/core/lambda/async_queue.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

namespace {

const time_point t0{};
const errc account_throttle = errc::throttled_account_concurrency;

async_event event(std::uint64_t id, time_point enqueued = t0) {
  return async_event{invocation_id{id}, v1, enqueued, 0, {}, {}};
}

}  // namespace

TEST_CASE("events come out in arrival order") {
  async_queue q{async_settings{}};
  command_list out;
  q.push(event(1));
  q.push(event(2));
  CHECK(q.front(t0, account_throttle, out)->id == invocation_id{1});
  CHECK(q.pop_front().id == invocation_id{1});
  CHECK(q.front(t0, account_throttle, out)->id == invocation_id{2});
  q.pop_front();
  CHECK(q.front(t0, account_throttle, out) == nullptr);
  CHECK(out.empty());
  CHECK(q.empty());
}

TEST_CASE("an event at the front that reached its maximum age is finished, never returned") {
  async_settings s;
  s.max_event_age = seconds(60);
  async_queue q{s};
  q.push(event(1, t0));
  q.push(event(2, t0 + seconds(30)));
  command_list out;
  const auto* front = q.front(t0 + seconds(60), account_throttle, out);
  REQUIRE(front != nullptr);
  CHECK(front->id == invocation_id{2});
  auto record = one<event_finished>(out).record;
  CHECK(record.invocation == invocation_id{1});
  CHECK(record.condition == record_condition::event_age_exceeded);
  CHECK(record.outcome.throttle == account_throttle);
}

TEST_CASE("retry waits: one list per retry number, woken in due order") {
  async_queue q{async_settings{}};
  command_list out;
  auto first = event(1);
  first.invoke_count = 1;
  q.on_attempt_finished(first, invocation_outcome::function_error(), environment_id{5}, t0, out);
  auto second = event(2);
  second.invoke_count = 2;
  q.on_attempt_finished(second, invocation_outcome::timed_out(seconds(3)), environment_id{6},
                        t0 + seconds(10), out);
  CHECK(all<retry_scheduled>(out).size() == 2);
  CHECK(q.waiting() == 2);
  CHECK(q.next_wakeup() == t0 + minutes(1));

  q.on_timer(t0 + minutes(1), account_throttle, out);
  CHECK(q.ready() == 1);
  CHECK(q.next_wakeup() == t0 + seconds(10) + minutes(2));
  const auto* ready = q.front(t0 + minutes(1), account_throttle, out);
  REQUIRE(ready != nullptr);
  CHECK(ready->last_outcome.kind == outcome_kind::function_error);
  CHECK(ready->last_environment == environment_id{5});
}

TEST_CASE("throttle backoff doubles up to its maximum and resets once an event runs") {
  async_settings s;
  s.throttle_backoff_initial = seconds(1);
  s.throttle_backoff_max = seconds(5);
  async_queue q{s};
  command_list out;
  q.push(event(1));
  time_point now = t0;
  std::vector<duration> waits;
  for (int i = 0; i < 5; ++i) {
    q.on_throttled(now, account_throttle, out);
    CHECK(q.backing_off(now));
    const auto until = *q.next_wakeup();
    waits.push_back(until - now);
    now = until;
    CHECK_FALSE(q.backing_off(now));
    q.on_timer(now, account_throttle, out);
  }
  const std::vector<duration> expected{seconds(1), seconds(2), seconds(4), seconds(5), seconds(5)};
  CHECK(waits == expected);

  q.pop_front();  // it ran
  q.push(event(2, now));
  q.on_throttled(now, account_throttle, out);
  CHECK(*q.next_wakeup() - now == seconds(1));
}

TEST_CASE("a successful attempt and a non-retryable end both produce records") {
  async_settings s;
  s.max_retry_attempts = 1;
  async_queue q{s};
  command_list out;
  auto ev = event(1);
  ev.invoke_count = 1;
  q.on_attempt_finished(ev, invocation_outcome::success(), environment_id{3}, t0, out);
  ev.invoke_count = 2;
  q.on_attempt_finished(ev, invocation_outcome::out_of_memory(), environment_id{3}, t0, out);
  auto records = all<event_finished>(out);
  REQUIRE(records.size() == 2);
  CHECK(records[0].record.condition == record_condition::success);
  CHECK(records[1].record.condition == record_condition::retries_exhausted);
  CHECK(records[1].record.outcome.kind == outcome_kind::out_of_memory);
}

TEST_CASE("clear forgets everything") {
  async_queue q{async_settings{}};
  command_list out;
  q.push(event(1));
  auto ev = event(2);
  ev.invoke_count = 1;
  q.on_attempt_finished(ev, invocation_outcome::function_error(), environment_id{1}, t0, out);
  q.clear();
  CHECK(q.empty());
  CHECK_FALSE(q.next_wakeup().has_value());
}
