// Provisioned concurrency: initialised up front, used first, spillover to on-demand, replaced
// after any loss, never reaped, and accounted for inside the reservation or the account.
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

namespace {

const version_id published{3};

pool_settings provisioned_settings(std::uint32_t count, std::optional<std::uint32_t> reserved) {
  auto s = settings();
  s.reserved_concurrency = reserved;
  s.provisioned = provisioned_config{published, count};
  return s;
}

/// Starts the pool and reports every provisioned environment ready; returns their ids.
std::vector<environment_id> start_provisioned(driver& d) {
  std::vector<environment_id> envs;
  for (const auto& s : all<start_environment>(d.start())) {
    envs.push_back(s.env);
    d.ready(s.env);
  }
  return envs;
}

}  // namespace

TEST_CASE("provisioned environments are initialised up front, without a request") {
  pool_fixture f{provisioned_settings(2, 5)};
  auto& d = f.drive;
  auto c = d.start();
  auto starts = all<start_environment>(c);
  REQUIRE(starts.size() == 2);
  for (const auto& s : starts) {
    CHECK(s.init_type == initialization_type::provisioned_concurrency);
    CHECK(to_string(s.init_type) == "provisioned-concurrency");
    CHECK(s.version == published);
    CHECK_FALSE(s.bound.has_value());
    CHECK(d.timer(s.env) == d.now() + seconds(130));  // max(130 s, timeout)
  }
  CHECK(f.pool.in_flight() == 0);  // initializing without a request is not concurrency

  f.clock.advance(seconds(2));
  c = d.ready(starts[0].env);
  CHECK(one<init_report>(c).elapsed == seconds(2));
  CHECK(count<freeze>(c) == 1);
  CHECK(one<cancel_timer>(c).timer == timer_of(starts[0].env));  // no idle timer: never reaped
  CHECK(count<arm_timer>(c) == 0);
  CHECK(f.pool.find(starts[0].env)->state == environment_state::idle);
}

TEST_CASE("provisioned environments are used first, then invocations spill over to on-demand") {
  pool_fixture f{provisioned_settings(2, 5)};
  auto& d = f.drive;
  const auto pc = start_provisioned(d);

  auto first = one<dispatch>(d.invoke(sync_invoke(1, published)));
  auto second = one<dispatch>(d.invoke(sync_invoke(2, published)));
  CHECK(first.env == pc[1]);  // the most recently readied
  CHECK(second.env == pc[0]);
  CHECK_FALSE(first.cold);    // no Init Duration on provisioned invocations
  CHECK(first.init_duration == duration::zero());

  // Spillover: on-demand cold starts, up to reserved − provisioned = 3 of them.
  for (std::uint64_t i = 3; i <= 5; ++i) {
    auto s = one<start_environment>(d.invoke(sync_invoke(i, published)));
    CHECK(s.init_type == initialization_type::on_demand);
  }
  CHECK(one<reply>(d.invoke(sync_invoke(6, published))).outcome.throttle ==
        errc::throttled_reserved_concurrency);
  CHECK(f.pool.in_flight() == 5);
}

TEST_CASE("other versions never run on provisioned environments") {
  pool_fixture f{provisioned_settings(2, 5)};
  auto& d = f.drive;
  start_provisioned(d);
  auto c = d.invoke(sync_invoke(1, v1));
  CHECK(one<start_environment>(c).init_type == initialization_type::on_demand);
}

TEST_CASE("when provisioned concurrency covers the whole reservation, other versions are throttled") {
  pool_fixture f{provisioned_settings(2, 2)};
  auto& d = f.drive;
  start_provisioned(d);
  CHECK(one<reply>(d.invoke(sync_invoke(1, v1))).outcome.throttle == errc::throttled_reserved_concurrency);
  CHECK(count<dispatch>(d.invoke(sync_invoke(2, published))) == 1);
}

TEST_CASE("provisioned environments are never reaped: on-demand spillover is") {
  pool_fixture f{provisioned_settings(1, 5)};
  auto& d = f.drive;
  const auto pc = start_provisioned(d);
  d.invoke(sync_invoke(1, published));
  const auto spill = d.cold_start(2, published);
  d.done(pc[0], 1);
  d.done(spill, 2);

  auto c = d.advance(hours(1));
  auto stopped = one<stop_environment>(c);
  CHECK(stopped.env == spill);
  CHECK(stopped.reason == stop_reason::reaped);
  REQUIRE(f.pool.environments().size() == 1);
  CHECK(f.pool.environments()[0].id == pc[0]);
}

TEST_CASE("a lost provisioned environment is re-initialised") {
  pool_fixture f{provisioned_settings(1, 5)};
  auto& d = f.drive;
  const auto pc = start_provisioned(d);
  d.invoke(sync_invoke(1, published));

  auto c = d.exited(pc[0], exit_status::code(1));
  CHECK(one<reply>(c).outcome.kind == outcome_kind::exit_error);
  CHECK(one<stop_environment>(c).reason == stop_reason::crashed);
  auto replacement = one<start_environment>(c);
  CHECK(replacement.init_type == initialization_type::provisioned_concurrency);
  CHECK_FALSE(replacement.bound.has_value());
  CHECK(position<stop_environment>(c) < position<start_environment>(c));

  // Timeouts and OOM kills are losses too.
  d.ready(replacement.env);
  d.invoke(sync_invoke(2, published));
  c = d.advance(seconds(3));
  CHECK(one<stop_environment>(c).reason == stop_reason::timeout);
  CHECK(one<start_environment>(c).init_type == initialization_type::provisioned_concurrency);
}

TEST_CASE("provisioned init keeps failing: replacements stop after three failures in a row") {
  pool_fixture f{provisioned_settings(1, 5)};
  auto& d = f.drive;
  auto env = one<start_environment>(d.start()).env;
  for (int i = 0; i < 2; ++i) {
    auto c = d.init_failed(env);
    CHECK(one<init_report>(c).status == init_status::error);
    CHECK(one<stop_environment>(c).reason == stop_reason::init_failed);
    CHECK(count<retry_init>(c) == 0);  // nobody waits: no suppressed init
    env = one<start_environment>(c).env;
  }
  auto c = d.advance(seconds(130));  // the third one hits the provisioned init limit
  CHECK(one<init_report>(c).status == init_status::timeout);
  CHECK(count<start_environment>(c) == 0);
  CHECK(f.pool.provisioned_failed());
  CHECK(f.pool.environments().empty());
}

TEST_CASE("unreserved provisioned concurrency is carved out of the account: spillover uses shared slots") {
  account_settings a{.concurrency_limit = 10, .unreserved_minimum = 2};
  pool_fixture f{provisioned_settings(3, std::nullopt), a};
  auto& d = f.drive;
  CHECK(f.acct.carved_out() == 3);
  start_provisioned(d);
  for (std::uint64_t i = 1; i <= 3; ++i) d.invoke(sync_invoke(i, published));
  CHECK(f.acct.unreserved_in_use() == 0);
  CHECK(count<start_environment>(d.invoke(sync_invoke(4, published))) == 1);
  CHECK(f.acct.unreserved_in_use() == 1);

  auto too_much = provisioned_settings(9, std::nullopt);
  CHECK(function_pool::validate(too_much, f.acct) == errc::invalid_parameter_value);
}

TEST_CASE("moving provisioned concurrency retires the old environments and starts new ones") {
  pool_fixture f{provisioned_settings(2, 5)};
  auto& d = f.drive;
  const auto pc = start_provisioned(d);
  d.invoke(sync_invoke(1, published));  // pc[1] busy, pc[0] idle

  command_list c;
  CHECK_FALSE(f.pool.set_provisioned_concurrency(provisioned_config{version_id{4}, 2}, d.now(), c));
  auto stopped = one<stop_environment>(c);
  CHECK(stopped.env == pc[0]);
  CHECK(stopped.reason == stop_reason::retired);
  auto starts = all<start_environment>(c);
  REQUIRE(starts.size() == 2);
  CHECK(starts[0].version == version_id{4});

  // The busy one finishes its invocation first.
  c = d.done(pc[1], 1);
  CHECK(one<reply>(c).outcome.kind == outcome_kind::success);
  CHECK(one<stop_environment>(c).reason == stop_reason::retired);

  // More than reserved is refused, and nothing changes.
  command_list none;
  CHECK(f.pool.set_provisioned_concurrency(provisioned_config{version_id{4}, 6}, d.now(), none) ==
        errc::invalid_parameter_value);
  CHECK(none.empty());
}

TEST_CASE("shrinking provisioned concurrency stops the idle surplus") {
  pool_fixture f{provisioned_settings(3, 5)};
  auto& d = f.drive;
  start_provisioned(d);
  command_list c;
  CHECK_FALSE(f.pool.set_provisioned_concurrency(provisioned_config{published, 1}, d.now(), c));
  CHECK(all<stop_environment>(c).size() == 2);
  CHECK(count<start_environment>(c) == 0);
  CHECK(f.pool.environments().size() == 1);
}

TEST_CASE("an async event waiting for capacity takes a provisioned environment as soon as it is ready") {
  pool_fixture f{provisioned_settings(1, 1)};  // no on-demand room at all
  auto& d = f.drive;
  const auto env = one<start_environment>(d.start()).env;
  auto c = d.invoke(async_invoke(1, published));
  CHECK(c.empty());  // waits: the provisioned environment is still initializing (not a throttle)
  c = d.ready(env);
  auto dispatched = one<dispatch>(c);
  CHECK(dispatched.env == env);
  CHECK(dispatched.invocation == invocation_id{1});
  CHECK(count<freeze>(c) == 0);
  CHECK(f.pool.counters().throttles == 0);
}
