#include "emulator/core/lambda/invocation_outcome.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;

TEST_CASE("timeout messages have two decimals, rounded") {
  CHECK(timeout_message(seconds(3)) == "Task timed out after 3.00 seconds");
  CHECK(timeout_message(milliseconds(3070)) == "Task timed out after 3.07 seconds");
  CHECK(timeout_message(milliseconds(3004)) == "Task timed out after 3.00 seconds");
  CHECK(timeout_message(milliseconds(3005)) == "Task timed out after 3.01 seconds");
  CHECK(timeout_message(seconds(900)) == "Task timed out after 900.00 seconds");
}

TEST_CASE("process ends are described the way Lambda (Go) prints them") {
  CHECK(describe_exit(exit_status::code(42)) == "exit status 42");
  CHECK(describe_exit(exit_status::signal(9)) == "signal: killed");
  CHECK(describe_exit(exit_status::signal(11)) == "signal: segmentation fault");
  CHECK(describe_exit(exit_status::signal(64)) == "signal: signal 64");
}

TEST_CASE("which outcomes are function errors") {
  CHECK_FALSE(is_function_error(invocation_outcome::success()));
  CHECK(is_function_error(invocation_outcome::function_error()));
  CHECK(is_function_error(invocation_outcome::timed_out(seconds(3))));
  CHECK(is_function_error(invocation_outcome::exited(exit_status::code(1))));
  CHECK(is_function_error(invocation_outcome::out_of_memory()));
  CHECK(is_function_error(invocation_outcome::init_failed(init_failure::reported)));
  CHECK_FALSE(is_function_error(invocation_outcome::throttled(errc::throttled_account_concurrency)));
  CHECK_FALSE(is_function_error(invocation_outcome::aborted()));
}

TEST_CASE("errors whose body comes from the runtime or the API have no generated text") {
  CHECK(error_type(invocation_outcome::function_error()).empty());
  CHECK(error_message(invocation_outcome::function_error(), "r").empty());
  CHECK(error_type(invocation_outcome::throttled(errc::throttled_reserved_concurrency)).empty());
  CHECK(to_string(outcome_kind::init_error) == "init_error");
}
