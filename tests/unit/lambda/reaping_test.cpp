// Idle retention: an idle on-demand environment is reaped after a fixed period, or after one drawn
// uniformly from [min, max] with a seed (the same seed reaps at the same moments).
#include "emulator/core/lambda/function_pool.hpp"
#include "emulator/core/lambda/retention.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("an environment idle for the fixed retention period is reaped, not a moment earlier") {
  auto s = settings();
  s.retention = idle_retention::fixed(minutes(10));
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  d.done(env, 1);

  CHECK(d.advance(minutes(10) - milliseconds(1)).empty());
  auto stopped = one<stop_environment>(d.advance(milliseconds(1)));
  CHECK(stopped.env == env);
  CHECK(stopped.reason == stop_reason::reaped);
  CHECK(f.pool.counters().reaped == 1);
  CHECK(count<start_environment>(d.invoke(sync_invoke(2))) == 1);  // cold again
}

TEST_CASE("using an environment restarts its idle period") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  d.done(env, 1);
  d.advance(minutes(9));
  d.invoke(sync_invoke(2));
  d.done(env, 2);
  CHECK(d.advance(minutes(9)).empty());
  CHECK(one<stop_environment>(d.advance(minutes(1))).env == env);
}

TEST_CASE("fast timing reaps after 10 seconds") {
  pool_fixture f{settings(timing_profile::fast)};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  d.done(env, 1);
  CHECK(d.timer(env) == d.now() + seconds(10));
}

TEST_CASE("a stale timer firing for a reused environment reaps nothing") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  d.done(env, 1);
  const auto old_deadline = *d.timer(env);
  f.clock.advance(minutes(5));
  d.invoke(sync_invoke(2));
  d.done(env, 2);
  // The shell had already queued the old firing when the timer moved: the pool ignores it.
  f.clock.set(old_deadline);
  command_list out;
  f.pool.on_timer(timer_of(env), f.clock.now(), out);
  CHECK(out.empty());
  CHECK(f.pool.find(env) != nullptr);
}

namespace {

/// Idle periods a seeded pool gives its environments, as the deadlines of their idle timers.
std::vector<duration> drawn_periods(std::uint64_t seed, int n) {
  auto s = settings();
  s.retention = idle_retention::uniform(minutes(5), minutes(15), seed);
  pool_fixture f{s};
  auto& d = f.drive;
  std::vector<duration> periods;
  const auto env = d.cold_start(1);
  for (int i = 0; i < n; ++i) {
    d.done(env, static_cast<std::uint64_t>(i + 1));
    periods.push_back(*d.timer(env) - d.now());
    d.invoke(sync_invoke(static_cast<std::uint64_t>(i + 2)));
  }
  return periods;
}

}  // namespace

TEST_CASE("seeded uniform retention stays in [min, max] and repeats for the same seed") {
  const auto a = drawn_periods(42, 50);
  const auto b = drawn_periods(42, 50);
  const auto c = drawn_periods(43, 50);
  CHECK(a == b);
  CHECK(a != c);
  bool varied = false;
  for (auto p : a) {
    CHECK(p >= minutes(5));
    CHECK(p <= minutes(15));
    varied = varied || p != a.front();
  }
  CHECK(varied);
}

TEST_CASE("a seeded pool reaps at the drawn moment") {
  auto s = settings();
  s.retention = idle_retention::uniform(seconds(30), seconds(90), 7);
  retention expected{s.retention};
  const duration period = expected.next_period();

  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  d.done(env, 1);
  CHECK(d.advance(period - nanoseconds(1)).empty());
  CHECK(one<stop_environment>(d.advance(nanoseconds(1))).env == env);
}
