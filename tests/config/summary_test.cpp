#include "emulator/config/summary.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::config;
using namespace lambkin::config::test;

TEST_CASE("the summary of the temperature example lists functions, rules, routes and tables in aligned columns") {
  const std::string file = std::string(LAMBKIN_SOURCE_DIR) + "/examples/temperature/template.yaml";
  const std::string summary = format_summary(load_ok(load_template(file)));
  CHECK(summary ==
        "Template  " + file + "\n"
        "Settings  timing aws, idle retention 10m\n"
        "          region us-east-1, account 123456789012, stack lambkin\n"
        "          account concurrency 1000 (unreserved minimum 100)\n"
        "          listening on 127.0.0.1: mqtt 1883, ws 8083, http 3000, aws 4566\n"
        "\n"
        "Functions (3)\n"
        "  NAME                   RUNTIME          HANDLER        MEMORY  TIMEOUT  RESERVED  PROVISIONED\n"
        "  StoreTemperature       nodejs20.x       index.handler  256 MB  10s      2         -\n"
        "  GetTemperatureHistory  nodejs20.x       index.handler  256 MB  10s      -         -\n"
        "  TemperatureAlert       provided.al2023  alert          256 MB  10s      1         -\n"
        "\n"
        "Rules (2)\n"
        "  NAME                             SQL VERSION  SQL, then → ACTIONS\n"
        "  StoreTemperatureReading          2016-03-23   SELECT temperature, topic(2) AS deviceId, timestamp() AS ts "
        "FROM 'things/+/temperature' WHERE temperature > -273.15\n"
        "                                                  → lambda StoreTemperature\n"
        "  TemperatureAlertHighTemperature  2016-03-23   SELECT *, topic(2) AS deviceId FROM 'things/+/temperature' WHERE "
      "temperature > 30\n"
        "                                                  → lambda TemperatureAlert\n"
        "\n"
        "Routes (4)\n"
        "  METHOD  PATH                       FUNCTION                 API\n"
        "  GET     /                          → GetTemperatureHistory  ServerlessHttpApi (HTTP API, payload 2.0)\n"
        "  GET     /devices                   → GetTemperatureHistory  ServerlessHttpApi (HTTP API, payload 2.0)\n"
        "  GET     /devices/{id}/temperature  → GetTemperatureHistory  ServerlessHttpApi (HTTP API, payload 2.0)\n"
        "  GET     /devices/{id}/stats        → GetTemperatureHistory  ServerlessHttpApi (HTTP API, payload 2.0)\n"
        "\n"
        "Tables (1)\n"
        "  NAME                 PARTITION KEY  SORT KEY  BILLING          INDEXES\n"
        "  TemperatureReadings  deviceId (S)   ts (N)    PAY_PER_REQUEST  -\n"
        "\n"
        "Outputs (2)\n"
        "  NAME               VALUE\n"
        "  HttpApiUrl         https://ServerlessHttpApi.execute-api.us-east-1.amazonaws.com\n"
        "  ReadingsTableName  TemperatureReadings\n");
}

TEST_CASE("the summary shows concurrency, aliases, disabled rules, error actions and randomised retention") {
  const std::string summary = format_summary(load_ok(load("full/template.yaml")));
  CHECK(summary.find("Settings  timing fast, idle retention 5m–15m (seed 7)\n") != std::string::npos);
  CHECK(summary.find("  dev-ingest  nodejs20.x    src/ingest.handler  1024 MB  1m       20        5 (live)\n") !=
        std::string::npos);
  CHECK(summary.find("  audit       provided.al2  -                   128 MB   5s       0         -\n") != std::string::npos);
  CHECK(summary.find("→ republish alerts/${topic(2)}\n") != std::string::npos);
  CHECK(summary.find("→ dynamoDBv2 full-stack-readings-v1\n") != std::string::npos);
  CHECK(summary.find("→ on error: sqs https://sqs.eu-west-1.amazonaws.com/111122223333/dev-dead-letters\n") !=
        std::string::npos);
  CHECK(summary.find("  Paused (disabled)") != std::string::npos);
  CHECK(summary.find("  ANY     $default         → Query   ServerlessHttpApi (HTTP API, payload 2.0)\n") !=
        std::string::npos);
  CHECK(summary.find("  full-stack-readings-v1  deviceId (S)   ts (N)    PAY_PER_REQUEST  BySite, ByDay\n") !=
        std::string::npos);
}

TEST_CASE("durations print in the largest exact unit") {
  CHECK(format_duration(seconds(3)) == "3s");
  CHECK(format_duration(seconds(90)) == "90s");
  CHECK(format_duration(minutes(10)) == "10m");
  CHECK(format_duration(hours(6)) == "6h");
  CHECK(format_duration(milliseconds(250)) == "250ms");
  CHECK(format_duration(duration::zero()) == "0s");
}
