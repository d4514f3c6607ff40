#include "emulator/core/lambda/pool_settings.hpp"
#include "lambkin/error.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::lambda;

TEST_CASE("aws timing reproduces AWS's delays") {
  const auto s = default_pool_settings(function_name{"f"}, timing_profile::aws);
  CHECK(s.function == function_name{"f"});
  CHECK(s.timeout == seconds(3));
  CHECK(s.memory_mb == 128);
  CHECK(s.init_limit == seconds(10));
  CHECK(s.retention == idle_retention::fixed(minutes(10)));
  CHECK(s.async.max_retry_attempts == 2);
  CHECK(s.async.max_event_age == hours(6));
  CHECK(s.async.retry_delays[0] == minutes(1));
  CHECK(s.async.retry_delays[1] == minutes(2));
  CHECK(s.async.throttle_backoff_initial == seconds(1));
  CHECK(s.async.throttle_backoff_max == minutes(5));
  CHECK_FALSE(s.reserved_concurrency.has_value());
  CHECK_FALSE(validate(s));
}

TEST_CASE("fast timing scales platform delays down, not configuration or hard limits") {
  const auto s = default_pool_settings(function_name{"f"}, timing_profile::fast);
  CHECK(s.retention == idle_retention::fixed(seconds(10)));
  CHECK(s.async.retry_delays[0] == seconds(1));
  CHECK(s.async.retry_delays[1] == seconds(2));
  CHECK(s.async.throttle_backoff_initial == milliseconds(100));
  CHECK(s.async.throttle_backoff_max == seconds(5));
  CHECK(s.timeout == seconds(3));
  CHECK(s.init_limit == seconds(10));
  CHECK(s.async.max_event_age == hours(6));
}

TEST_CASE("settings outside AWS's ranges are invalid parameter values") {
  const auto base = default_pool_settings(function_name{"f"}, timing_profile::aws);
  auto check_bad = [&](auto change) {
    auto s = base;
    change(s);
    CHECK(validate(s) == errc::invalid_parameter_value);
  };
  check_bad([](pool_settings& s) { s.timeout = milliseconds(999); });
  check_bad([](pool_settings& s) { s.timeout = seconds(901); });
  check_bad([](pool_settings& s) { s.memory_mb = 127; });
  check_bad([](pool_settings& s) { s.memory_mb = 10241; });
  check_bad([](pool_settings& s) { s.async.max_retry_attempts = 3; });
  check_bad([](pool_settings& s) { s.async.max_event_age = seconds(59); });
  check_bad([](pool_settings& s) { s.async.max_event_age = seconds(21601); });
  check_bad([](pool_settings& s) { s.retention = idle_retention::uniform(seconds(2), seconds(1), 0); });
  check_bad([](pool_settings& s) {
    s.reserved_concurrency = 1;
    s.provisioned = provisioned_config{version_id{1}, 2};
  });
  auto ok = base;
  ok.timeout = seconds(900);
  ok.reserved_concurrency = 0;
  CHECK_FALSE(validate(ok));
}

TEST_CASE("the carve-out is the reservation, or else the provisioned concurrency") {
  CHECK(carve_out(std::nullopt, std::nullopt) == 0);
  CHECK(carve_out(5, provisioned_config{version_id{1}, 2}) == 5);
  CHECK(carve_out(std::nullopt, provisioned_config{version_id{1}, 2}) == 2);
}
