// `lambkin --version`, `lambkin validate`: what a newcomer types first.
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <fstream>

using lambkin::test::lambkin_exe;
using lambkin::test::run;

namespace {
const std::string temperature_template = std::string(LAMBKIN_SOURCE_DIR) + "/examples/temperature/template.yaml";
}

TEST_CASE("lambkin --version prints the version") {
  auto r = run({lambkin_exe(), "--version"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("lambkin 0.", 0) == 0);
}

TEST_CASE("lambkin without a sub-command explains itself and fails") {
  auto r = run({lambkin_exe()});
  CHECK(r.code != 0);
  CHECK((r.out + r.err).find("validate") != std::string::npos);
}

TEST_CASE("lambkin validate prints the temperature pipeline's functions, rules, routes and tables") {
  auto r = run({lambkin_exe(), "validate", temperature_template});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("valid") != std::string::npos);
  for (const char* expected :
       {"StoreTemperature", "GetTemperatureHistory", "TemperatureAlert", "nodejs20.x", "provided.al2023",
        "SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature'",
        "/devices/{id}/temperature", "TemperatureReadings"}) {
    CAPTURE(expected);
    CHECK(r.out.find(expected) != std::string::npos);
  }
}

TEST_CASE("lambkin validate reports every error with file:line:column and field path, exit 1") {
  lambkin::test::temp_dir dir;
  const auto bad = dir.path() / "bad.yaml";
  std::ofstream(bad) << "Resources:\n"
                        "  Fn:\n"
                        "    Type: AWS::Serverless::Function\n"
                        "    Properties:\n"
                        "      Runtime: nodejs20.x\n"
                        "      Handler: index.handler\n"
                        "      CodeUri: .\n"
                        "      Timeout: 901\n"
                        "  Queue:\n"
                        "    Type: AWS::SQS::Queue\n";
  auto r = run({lambkin_exe(), "validate", bad.string()});
  CHECK(r.code == 1);
  CHECK(r.err.find(bad.string() + ":8:16: Resources.Fn.Properties.Timeout:") != std::string::npos);
  CHECK(r.err.find("ignored: AWS::SQS::Queue Queue") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("lambkin validate applies --parameter-overrides and rejects malformed ones") {
  auto ok = run({lambkin_exe(), "validate", temperature_template, "--parameter-overrides", "AlertThreshold=35"});
  CHECK(ok.code == 0);
  auto bad = run({lambkin_exe(), "validate", temperature_template, "--parameter-overrides", "NoEquals"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("--parameter-overrides NoEquals: expected Key=Value or ParameterKey=Key,ParameterValue=Value") !=
        std::string::npos);
  auto sam_style = run({lambkin_exe(), "validate", temperature_template, "--parameter-overrides",
                        "ParameterKey=AlertThreshold,ParameterValue=35"});
  CHECK(sam_style.code == 0);
  auto unknown = run({lambkin_exe(), "validate", temperature_template, "--parameter-overrides", "Nope=1"});
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("Nope") != std::string::npos);
}
