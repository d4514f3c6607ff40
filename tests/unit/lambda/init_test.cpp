// The init phase: the 10 s limit, the "suppressed init" retried inside the first invoke with the
// function timeout as budget (reference §3.1), and what the caller gets when that fails too.
#include "emulator/core/lambda/function_pool.hpp"

#include "pool_driver.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;
using namespace lambkin::lambda::testing;

TEST_CASE("an init past the 10 s limit is retried inside the invoke, and can still succeed") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;

  auto c = d.advance(seconds(10));
  auto timed_out = one<init_report>(c);
  CHECK(timed_out.phase == init_phase::init);
  CHECK(timed_out.status == init_status::timeout);
  CHECK(timed_out.elapsed == seconds(10));
  auto retry = one<retry_init>(c);
  CHECK(retry.env == env);
  CHECK(retry.invocation == invocation_id{1});
  CHECK(retry.deadline == d.now() + seconds(3));  // the function timeout is the budget
  CHECK(d.timer(env) == retry.deadline);
  CHECK(count<reply>(c) == 0);
  CHECK(f.pool.find(env)->phase == init_phase::invoke);

  f.clock.advance(seconds(1));
  c = d.ready(env);
  auto ok = one<init_report>(c);
  CHECK(ok.phase == init_phase::invoke);
  CHECK(ok.status == init_status::success);
  CHECK(ok.elapsed == seconds(1));
  auto dispatched = one<dispatch>(c);
  CHECK(dispatched.cold);
  CHECK(dispatched.init_duration == seconds(1));
  CHECK(dispatched.deadline == retry.deadline);  // init + handler share the timeout
  CHECK(count<arm_timer>(c) == 0);

  CHECK(one<reply>(d.done(env, 1)).outcome.kind == outcome_kind::success);
  CHECK(f.pool.counters().suppressed_inits == 1);
}

TEST_CASE("a suppressed init that fails again gives the caller the init error") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;

  auto c = d.init_failed(env, init_failure::reported);  // POST /runtime/init/error
  CHECK(one<init_report>(c).status == init_status::error);
  CHECK(count<retry_init>(c) == 1);

  c = d.exited(env, exit_status::code(1));  // the retried init crashes
  auto second = one<init_report>(c);
  CHECK(second.phase == init_phase::invoke);
  CHECK(second.status == init_status::error);
  auto answer = one<reply>(c);
  CHECK(answer.outcome.kind == outcome_kind::init_error);
  CHECK(answer.outcome.init == init_failure::exited);
  CHECK(error_type(answer.outcome) == "Runtime.ExitError");
  CHECK(error_message(answer.outcome, "r-1") == "RequestId: r-1 Error: Runtime exited with error: exit status 1");
  CHECK(one<stop_environment>(c).reason == stop_reason::init_failed);
  CHECK(position<reply>(c) < position<stop_environment>(c));  // the env's init body is still readable
  CHECK(f.pool.environments().empty());
  CHECK(f.pool.in_flight() == 0);

  // The next invocation starts from scratch.
  CHECK(count<start_environment>(d.invoke(sync_invoke(2))) == 1);
}

TEST_CASE("an init error reported twice is passed through from the runtime") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;
  d.init_failed(env);
  auto answer = one<reply>(d.init_failed(env));
  CHECK(answer.outcome.init == init_failure::reported);
  CHECK(answer.env == env);
  CHECK(error_type(answer.outcome).empty());  // the body the runtime posted is the answer
  CHECK(is_function_error(answer.outcome));
}

TEST_CASE("a missing bootstrap ends as Runtime.InvalidEntrypoint") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;
  d.init_failed(env, init_failure::invalid_entrypoint);
  auto answer = one<reply>(d.init_failed(env, init_failure::invalid_entrypoint));
  CHECK(error_type(answer.outcome) == "Runtime.InvalidEntrypoint");
}

TEST_CASE("a suppressed init that runs out of time times the invocation out") {
  auto s = settings();
  s.timeout = seconds(60);
  pool_fixture f{s};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;
  d.advance(seconds(10));
  auto c = d.advance(seconds(60));
  auto report = one<init_report>(c);
  CHECK(report.phase == init_phase::invoke);
  CHECK(report.status == init_status::timeout);
  CHECK(report.elapsed == seconds(60));
  auto answer = one<reply>(c);
  CHECK(answer.outcome.kind == outcome_kind::timeout);
  CHECK(answer.outcome.during_init);
  CHECK(error_message(answer.outcome, "x") == "Task timed out after 60.00 seconds");
  CHECK(one<stop_environment>(c).reason == stop_reason::timeout);
  CHECK(f.pool.find(env) == nullptr);
}

TEST_CASE("an out-of-memory kill during init counts as an init failure") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;
  CHECK(count<retry_init>(d.out_of_memory(env)) == 1);
  auto answer = one<reply>(d.out_of_memory(env));
  CHECK(answer.outcome.init == init_failure::out_of_memory);
  CHECK(error_type(answer.outcome) == "Runtime.OutOfMemory");
}

TEST_CASE("late reports about a stopped environment change nothing") {
  pool_fixture f{settings()};
  auto& d = f.drive;
  const auto env = one<start_environment>(d.invoke(sync_invoke(1))).env;
  d.init_failed(env);
  d.init_failed(env);
  CHECK(d.exited(env, exit_status::code(1)).empty());
  CHECK(d.ready(env).empty());
  CHECK(d.done(env, 1).empty());
}
