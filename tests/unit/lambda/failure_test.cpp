// How invocations fail: timeout (killed, next one cold), crash, out of memory — each removes the
// environment — and a function error through /error, which keeps it warm.
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("a timed-out invocation kills its environment: the next one is cold") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);

  CHECK(d.advance(seconds(3) - milliseconds(1)).empty());
  auto c = d.advance(milliseconds(1));
  auto answer = one<reply>(c);
  CHECK(answer.invocation == invocation_id{1});
  CHECK(answer.outcome.kind == outcome_kind::timeout);
  CHECK_FALSE(answer.outcome.during_init);
  CHECK(answer.outcome.elapsed == seconds(3));
  CHECK(error_message(answer.outcome, "id") == "Task timed out after 3.00 seconds");
  CHECK(error_type(answer.outcome) == "Sandbox.Timedout");
  auto stopped = one<stop_environment>(c);
  CHECK(stopped.env == env);
  CHECK(stopped.reason == stop_reason::timeout);
  CHECK(f.pool.in_flight() == 0);
  CHECK(f.pool.counters().timeouts == 1);

  CHECK(count<start_environment>(d.invoke(sync_invoke(2))) == 1);
  // The runtime's late answer for the killed invocation is ignored.
  CHECK(d.done(env, 1).empty());
}

TEST_CASE("a runtime that exits during an invocation gives Runtime.ExitError and is removed") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  auto c = d.exited(env, exit_status::code(42));
  auto answer = one<reply>(c);
  CHECK(answer.outcome.kind == outcome_kind::exit_error);
  CHECK(error_type(answer.outcome) == "Runtime.ExitError");
  CHECK(error_message(answer.outcome, "8476a536-e9f4-11e8-9739-2dfe598c3fcd") ==
        "RequestId: 8476a536-e9f4-11e8-9739-2dfe598c3fcd Error: Runtime exited with error: exit status 42");
  CHECK(one<cancel_timer>(c).timer == timer_of(env));
  CHECK(one<stop_environment>(c).reason == stop_reason::crashed);
  CHECK(f.pool.environments().empty());

  // Killed by a signal.
  const auto env2 = d.cold_start(2);
  answer = one<reply>(d.exited(env2, exit_status::signal(11)));
  CHECK(error_message(answer.outcome, "r") == "RequestId: r Error: Runtime exited with error: signal: segmentation fault");
}

TEST_CASE("out of memory gives Runtime.OutOfMemory and removes the environment") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  auto c = d.out_of_memory(env);
  auto answer = one<reply>(c);
  CHECK(answer.outcome.kind == outcome_kind::out_of_memory);
  CHECK(error_type(answer.outcome) == "Runtime.OutOfMemory");
  CHECK(error_message(answer.outcome, "r") == "RequestId: r Error: Runtime exited with error: signal: killed");
  CHECK(one<stop_environment>(c).reason == stop_reason::out_of_memory);
  CHECK(f.pool.counters().out_of_memory == 1);
}

TEST_CASE("a function error is answered unchanged and keeps the environment warm") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  auto c = d.done(env, 1, invocation_result::function_error);
  auto answer = one<reply>(c);
  CHECK(answer.outcome.kind == outcome_kind::function_error);
  CHECK(is_function_error(answer.outcome));
  CHECK(error_type(answer.outcome).empty());  // the runtime's body is the answer
  CHECK(count<stop_environment>(c) == 0);
  CHECK(one<dispatch>(d.invoke(sync_invoke(2))).env == env);
}

TEST_CASE("an idle environment that dies is simply removed") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  d.done(env, 1);
  auto c = d.exited(env, exit_status::signal(9));
  CHECK(count<reply>(c) == 0);
  CHECK(one<stop_environment>(c).reason == stop_reason::crashed);
  CHECK(f.pool.idle() == 0);
  CHECK(count<start_environment>(d.invoke(sync_invoke(2))) == 1);
}

TEST_CASE("an answer for another invocation than the running one is ignored") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = d.cold_start(1);
  CHECK(d.done(env, 99).empty());
  CHECK(f.pool.find(env)->state == environment_state::busy);
}
