#include "emulator/config/template_loader.hpp"

#include "config_test_support.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace lambkin;
using namespace lambkin::config;
using namespace lambkin::config::test;

TEST_CASE("the temperature example loads into three functions, two rules, four routes and a table") {
  const std::string file = std::string(LAMBKIN_SOURCE_DIR) + "/examples/temperature/template.yaml";
  const load_result r = load_template(file);
  const template_config t = load_ok(r);
  CHECK(warnings_of(r).empty());
  REQUIRE(t.functions.size() == 3);
  const function_config& store = t.functions[0];
  CHECK(store.name == function_name{"StoreTemperature"});
  CHECK(store.runtime == "nodejs20.x");
  CHECK(store.handler == "index.handler");
  CHECK(store.memory_mb == 256);
  CHECK(store.timeout == seconds(10));
  CHECK(store.code_dir == std::filesystem::path(LAMBKIN_SOURCE_DIR) / "examples/temperature/functions/store");
  using env = std::vector<std::pair<std::string, std::string>>;
  const std::pair<std::string, std::string> sdk_quiet{"AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true"};
  CHECK(store.environment == env{{"LOG_LEVEL", "info"}, sdk_quiet, {"TABLE_NAME", "TemperatureReadings"}});
  CHECK(store.reserved_concurrency == 2);
  CHECK(t.functions[2].runtime == "provided.al2023");
  CHECK(t.functions[2].handler == "alert");
  CHECK(t.functions[2].environment == env{{"LOG_LEVEL", "info"}, sdk_quiet, {"ALERT_THRESHOLD", "30"}});

  REQUIRE(t.rules.size() == 2);
  CHECK(t.rules[0].name == "StoreTemperatureReading");
  CHECK(t.rules[0].sql == "SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature' WHERE temperature > -273.15");
  CHECK(t.rules[0].sql_version == "2016-03-23");
  CHECK(t.rules[0].origin == rule_origin::function_event);
  REQUIRE(t.rules[0].actions.size() == 1);
  CHECK(t.rules[0].actions[0].type == "lambda");
  CHECK(t.rules[0].actions[0].function == function_name{"StoreTemperature"});
  CHECK(t.rules[1].sql == "SELECT *, topic(2) AS deviceId FROM 'things/+/temperature' WHERE temperature > 30");
  CHECK(t.rules[1].actions[0].function == function_name{"TemperatureAlert"});

  REQUIRE(t.routes.size() == 4);
  CHECK(t.routes[0].method == "GET");
  CHECK(t.routes[0].path == "/");
  CHECK(t.routes[1].path == "/devices");
  CHECK(t.routes[2].path == "/devices/{id}/temperature");
  CHECK(t.routes[3].path == "/devices/{id}/stats");
  for (const auto& route : t.routes) {
    CHECK(route.function == function_name{"GetTemperatureHistory"});
    CHECK(route.api_id == "ServerlessHttpApi");
    CHECK(route.payload_format == "2.0");
  }
  REQUIRE(t.apis.size() == 1);
  CHECK(t.apis[0].implicit);

  REQUIRE(t.tables.size() == 1);
  CHECK(t.tables[0].name == "TemperatureReadings");
  CHECK(t.tables[0].keys.partition == key_attribute{"deviceId", attribute_type::string});
  CHECK(t.tables[0].keys.sort == key_attribute{"ts", attribute_type::number});
  CHECK(t.tables[0].billing_mode == "PAY_PER_REQUEST");

  CHECK(t.settings.timing == timing_profile::aws);
  CHECK(t.settings.idle_retention == retention_window{minutes(10), minutes(10), std::nullopt});
  REQUIRE(t.outputs.size() == 2);
  CHECK(t.outputs[0].value == "https://ServerlessHttpApi.execute-api.us-east-1.amazonaws.com");
  CHECK(t.outputs[1].value == "TemperatureReadings");
}

TEST_CASE("resources and events lambkin does not emulate give one warning each, in template order") {
  const load_result r = load("orders/template.yaml");
  const template_config t = load_ok(r);
  CHECK(warnings_of(r) == std::vector<std::string>{
                              "ignored: AWS::SQS::Queue OrdersQueue",
                              "ignored: AWS::SNS::Topic OrderEvents",
                              "ignored: AWS::Serverless::LayerVersion SharedLibs",
                              "ignored: SQS event ProcessOrder.Orders",
                              "ignored: AWS::Lambda::Permission ProcessOrderPermission",
                          });
  // Ignored resources still resolve, so the function that uses them loads.
  REQUIRE(t.functions.size() == 1);
  const function_config& f = t.functions[0];
  using env = std::vector<std::pair<std::string, std::string>>;
  CHECK(f.environment == env{{"TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:OrderEvents"},
                             {"BUCKET", "lambkin-receipts"},  // the generated bucket name
                             {"QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/OrdersQueue"}});
  CHECK(f.code_dir == std::filesystem::path(template_path("orders")));  // CodeUri: .
  CHECK(f.event_invoke.max_retry_attempts == 0);
  REQUIRE(f.event_invoke.on_failure);
  CHECK(f.event_invoke.on_failure->type == "SNS");
  CHECK(f.event_invoke.on_failure->arn == "arn:aws:sns:us-east-1:123456789012:OrderEvents");
  CHECK(t.rules.empty());
  CHECK(t.routes.empty());
  // The bucket is emulated (issue 9): created at start under its generated name.
  REQUIRE(t.buckets.size() == 1);
  CHECK(t.buckets[0].name == "lambkin-receipts");
}

TEST_CASE("plain CloudFormation: AWS::Lambda::Function, AWS::IoT::TopicRule, long-form intrinsics") {
  const load_result r = load("plain_cfn/template.yaml");
  const template_config t = load_ok(r);
  CHECK(warnings_of(r) ==
        std::vector<std::string>{
            "ignored: AWS::IAM::Role StoreRole",
            template_path("plain_cfn/template.yaml") +
                ":58:28: Resources.HotReadings.Properties.TopicRulePayload.Actions[1].Lambda.FunctionArn: "
                "'arn:aws:lambda:us-east-1:123456789012:function:somebody-elses' is not a function of this template; "
                "lambkin cannot invoke it",
            "ignored: AWS::Lambda::Permission StorePermission",
        });
  REQUIRE(t.functions.size() == 1);
  CHECK(t.functions[0].name == function_name{"store-reading"});
  CHECK(t.functions[0].code_dir == std::filesystem::path(template_path("plain_cfn/handler")));
  using env = std::vector<std::pair<std::string, std::string>>;
  CHECK(t.functions[0].environment == env{{"TABLE", "readings"}, {"LIMIT", "max-25"}});
  REQUIRE(t.rules.size() == 1);
  CHECK(t.rules[0].sql == "SELECT * FROM 'sensors/#' WHERE temperature > 25");
  REQUIRE(t.rules[0].actions.size() == 2);
  CHECK(t.rules[0].actions[0].function == function_name{"store-reading"});
  CHECK_FALSE(t.rules[0].actions[1].function);
  REQUIRE(t.tables.size() == 1);
  CHECK(t.tables[0].billing_mode == "PROVISIONED");
  REQUIRE(t.outputs.size() == 1);
  CHECK(t.outputs[0].value == "arn:aws:iot:us-east-1:123456789012:rule/HotReadings");
}

TEST_CASE("load_template_text resolves code paths from the directory of the file it names") {
  const std::string text =
      "Transform: AWS::Serverless-2016-10-31\n"
      "Resources:\n"
      "  Fn:\n"
      "    Type: AWS::Serverless::Function\n"
      "    Properties: {Runtime: provided.al2023, CodeUri: code}\n";
  const template_config t = load_ok(load_text(text));
  REQUIRE(t.functions.size() == 1);
  CHECK(t.functions[0].code_dir == std::filesystem::path(template_path("code")));
  CHECK(t.functions[0].handler.empty());
  CHECK(t.functions[0].memory_mb == 128);
  CHECK(t.functions[0].timeout == seconds(3));
  CHECK(t.functions[0].ephemeral_storage_mb == 512);
}

TEST_CASE("a code directory of 250 MB or more unzipped is refused with Lambda's message, sparse files in full") {
  lambkin::test::temp_dir dir;
  const auto code = dir.path() / "code";
  std::filesystem::create_directories(code / ".git");
  std::ofstream(code / "index.js") << "exports.handler = async () => 1;\n";
  const auto index_size = std::filesystem::file_size(code / "index.js");
  // A sparse file: the size the package would unzip to, with no blocks on disk.
  const auto big = code / "model.bin";
  std::ofstream(big).close();
  std::filesystem::resize_file(big, 262144000 - index_size - 1);
  // .git never reaches a package.
  std::ofstream(code / ".git" / "pack").close();
  std::filesystem::resize_file(code / ".git" / "pack", 1 << 20);
  const std::string text =
      "Transform: AWS::Serverless-2016-10-31\n"
      "Resources:\n"
      "  Fn:\n"
      "    Type: AWS::Serverless::Function\n"
      "    Properties: {Runtime: nodejs20.x, Handler: index.handler, CodeUri: code}\n";
  const auto tmpl = (dir.path() / "template.yaml").string();
  CHECK(load_template_text(text, tmpl, {}).ok());  // 262,143,999 bytes: just under

  std::filesystem::resize_file(big, 262144000 - index_size);
  const auto r = load_template_text(text, tmpl, {});
  CHECK_FALSE(r.ok());
  CHECK(errors_of(r) == std::vector<std::string>{tmpl + ":5:72: Resources.Fn.Properties.CodeUri: " + code.string() +
                                                 " holds at least 262144000 bytes: Unzipped size must be smaller than "
                                                 "262144000 bytes"});
}
