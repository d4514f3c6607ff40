#include "emulator/core/lambda/account.hpp"
#include "lambkin/error.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;

TEST_CASE("the account defaults to 1000 concurrent executions with 100 kept unreserved") {
  account acct;
  CHECK(acct.concurrency_limit() == 1000);
  CHECK(acct.unreserved_minimum() == 100);
  CHECK_FALSE(acct.check_carve_out(0, 900));
  CHECK(acct.check_carve_out(0, 901) == errc::invalid_parameter_value);
}

TEST_CASE("carve-outs shrink the shared pool and can be changed or given back") {
  account acct{{.concurrency_limit = 10, .unreserved_minimum = 2}};
  CHECK_FALSE(acct.change_carve_out(0, 5));
  CHECK_FALSE(acct.change_carve_out(0, 3));
  CHECK(acct.carved_out() == 8);
  CHECK(acct.unreserved_capacity() == 2);
  CHECK(acct.change_carve_out(3, 4) == errc::invalid_parameter_value);  // would leave 1
  CHECK(acct.carved_out() == 8);
  CHECK_FALSE(acct.change_carve_out(5, 1));
  CHECK(acct.unreserved_capacity() == 6);
}

TEST_CASE("unreserved slots are acquired up to capacity and released") {
  account acct{{.concurrency_limit = 3, .unreserved_minimum = 0}};
  CHECK(acct.try_acquire());
  CHECK(acct.try_acquire());
  CHECK(acct.try_acquire());
  CHECK_FALSE(acct.try_acquire());
  CHECK(acct.unreserved_available() == 0);
  acct.release();
  CHECK(acct.unreserved_available() == 1);
  acct.acquire_unchecked(3);  // over capacity is allowed when forced
  CHECK(acct.unreserved_in_use() == 5);
  CHECK(acct.unreserved_available() == 0);
  acct.release(10);
  CHECK(acct.unreserved_in_use() == 0);
}

TEST_CASE("the limit can change only while the carve-outs still fit") {
  account acct{{.concurrency_limit = 1000, .unreserved_minimum = 100}};
  CHECK_FALSE(acct.change_carve_out(0, 500));
  CHECK(acct.set_concurrency_limit(550) == errc::invalid_parameter_value);
  CHECK_FALSE(acct.set_concurrency_limit(600));
  CHECK(acct.unreserved_capacity() == 100);
  CHECK(account::validate({.concurrency_limit = 50, .unreserved_minimum = 100}) ==
        errc::invalid_parameter_value);
}

TEST_CASE("ids are unique and increasing") {
  account acct;
  const auto a = acct.next_id(), b = acct.next_id();
  CHECK(a >= 1);
  CHECK(b > a);
}
