#include "emulator/config/settings_reader.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

load_result with_metadata(const std::string& lambkin_lines, const load_options& options = {}) {
  return load_text("Metadata:\n  lambkin:\n" + lambkin_lines + "Resources:\n  Queue: {Type: AWS::SQS::Queue}\n",
                   options);
}

std::vector<std::string> errors_at(const load_result& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.to_string().substr(template_path("inline.yaml").size() + 1));
  return out;
}

}  // namespace

TEST_CASE("without Metadata.lambkin the settings are lambkin's defaults") {
  const settings s = load_ok(load_text("Resources:\n  Queue: {Type: AWS::SQS::Queue}\n")).settings;
  CHECK(s.timing == timing_profile::aws);
  CHECK_FALSE(s.idle_retention);
  CHECK(s.account_concurrency == 1000);
  CHECK(s.unreserved_minimum == 100);
  CHECK(s.ports == port_settings{1883, 8083, 3000, 4566});
  CHECK(s.bind == "127.0.0.1");
  CHECK(s.region == "us-east-1");
  CHECK(s.account_id == "123456789012");
  CHECK(s.stack_name == "lambkin");
}

TEST_CASE("Metadata.lambkin is read, and a fixed idle retention is a window of one value") {
  const settings s = load_ok(with_metadata("    timing: fast\n"
                                           "    idle_retention: 90s\n"
                                           "    ports: {http: 0}\n"))
                         .settings;
  CHECK(s.timing == timing_profile::fast);
  REQUIRE(s.idle_retention);
  CHECK(s.idle_retention->min == seconds(90));
  CHECK(s.idle_retention->max == seconds(90));
  CHECK_FALSE(s.idle_retention->randomised());
  CHECK(s.ports == port_settings{1883, 8083, 0, 4566});
}

TEST_CASE("command-line flags win over Metadata.lambkin, and unset flags keep the template values") {
  const settings_overlay flags{.timing = timing_profile::aws,
                               .idle_retention = retention_window{minutes(1), minutes(2), 9},
                               .http_port = 8080,
                               .region = "eu-central-1"};
  const settings s = load_ok(with_metadata("    timing: fast\n"
                                           "    idle_retention: 10m\n"
                                           "    account_concurrency: 50\n"
                                           "    unreserved_minimum: 10\n"
                                           "    ports: {mqtt: 1884, http: 3001}\n"
                                           "    region: ap-south-1\n",
                                           {.overlay = flags}))
                         .settings;
  CHECK(s.timing == timing_profile::aws);
  CHECK(s.idle_retention == retention_window{minutes(1), minutes(2), 9});
  CHECK(s.account_concurrency == 50);
  CHECK(s.unreserved_minimum == 10);
  CHECK(s.ports == port_settings{1884, 8083, 8080, 4566});
  CHECK(s.region == "eu-central-1");
}

TEST_CASE("apply_overlay copies exactly the fields that are set") {
  settings s;
  apply_overlay(s, {});
  CHECK(s.timing == timing_profile::aws);
  CHECK(s.ports == port_settings{});
  apply_overlay(s, {.account_concurrency = 10, .unreserved_minimum = 0, .bind = "0.0.0.0", .stack_name = "x"});
  CHECK(s.account_concurrency == 10);
  CHECK(s.unreserved_minimum == 0);
  CHECK(s.bind == "0.0.0.0");
  CHECK(s.stack_name == "x");
  CHECK(s.region == "us-east-1");
}

TEST_CASE("mistakes in Metadata.lambkin name their field") {
  const load_result r = with_metadata(
      "    timing: slow\n"
      "    idle_retention: {min: 5m, max: soon}\n"
      "    account_concurrency: 0\n"
      "    ports: {mqtt: 70000, smtp: 25}\n"
      "    region: Mars\n"
      "    account_id: 42\n"
      "    colour: blue\n");
  CHECK(errors_at(r) == std::vector<std::string>{
                            "3:13: Metadata.lambkin.timing: must be one of: aws, fast",
                            "4:36: Metadata.lambkin.idle_retention.max: must be a duration such as 10m, 90s or 500ms",
                            "5:26: Metadata.lambkin.account_concurrency: must be an integer between 1 and 1000000",
                            "6:19: Metadata.lambkin.ports.mqtt: must be an integer between 0 and 65535",
                            "6:26: Metadata.lambkin.ports.smtp: unknown property 'smtp'",
                            "7:13: Metadata.lambkin.region: must be a region such as us-east-1",
                            "8:17: Metadata.lambkin.account_id: must be 12 digits",
                            "9:5: Metadata.lambkin.colour: unknown property 'colour'",
                        });
}

TEST_CASE("the unreserved minimum cannot exceed the account concurrency, wherever each comes from") {
  const load_result r = with_metadata("    unreserved_minimum: 200\n", {.overlay = {.account_concurrency = 150}});
  CHECK(errors_at(r) ==
        std::vector<std::string>{"3:5: Metadata.lambkin.unreserved_minimum: is 200, more than account_concurrency (150)"});
}

TEST_CASE("durations are written with units") {
  CHECK(parse_duration("500ms") == milliseconds(500));
  CHECK(parse_duration("90s") == seconds(90));
  CHECK(parse_duration("10m") == minutes(10));
  CHECK(parse_duration("1.5h") == minutes(90));
  CHECK(parse_duration("1h30m") == minutes(90));
  CHECK(parse_duration("250us") == microseconds(250));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("10"));
  CHECK_FALSE(parse_duration("-1s"));
  CHECK_FALSE(parse_duration("10 minutes"));
  CHECK_FALSE(parse_duration("nans"));
}
