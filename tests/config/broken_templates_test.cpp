// Each template under tests/data/templates/broken/ has known mistakes; the loader must report
// exactly these messages, with file, line, column and field path, and return no config.
#include "emulator/config/template_loader.hpp"

#include "config_test_support.hpp"
#include "lambkin/error.hpp"

#include <doctest/doctest.h>

using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

// `at_messages` are "LINE:COL: path: message"; the file name is prepended here.
void expect_errors(const std::string& name, const std::vector<std::string>& at_messages,
                   const load_options& options = {}) {
  INFO("template broken/" << name);
  const load_result r = load("broken/" + name, options);
  std::vector<std::string> expected;
  for (const auto& m : at_messages) expected.push_back(template_path("broken/" + name) + ":" + m);
  CHECK(errors_of(r) == expected);
  CHECK_FALSE(r.config);
  CHECK(r.code() == lambkin::errc::config_invalid);
}

}  // namespace

TEST_CASE("a YAML syntax error gives yaml-cpp's message at its position") {
  expect_errors("yaml_syntax.yaml", {"8:14: end of sequence flow not found"});
}

TEST_CASE("values outside AWS's limits are rejected with the range") {
  expect_errors("memory_size.yaml",
                {"10:19: Resources.Store.Properties.MemorySize: must be an integer between 128 and 10240"});
  expect_errors("timeout.yaml", {"10:16: Resources.Store.Properties.Timeout: must be an integer between 1 and 900"});
  expect_errors("retry_attempts.yaml", {"11:31: Resources.Store.Properties.EventInvokeConfig.MaximumRetryAttempts: "
                                        "must be an integer between 0 and 2"});
}

TEST_CASE("runtime, handler and code directory") {
  expect_errors("unknown_runtime.yaml",
                {"7:16: Resources.Store.Properties.Runtime: unsupported runtime 'java21'; lambkin supports nodejs18.x, "
                 "nodejs20.x, nodejs22.x, provided, provided.al2, provided.al2023, python3.9, python3.10, python3.11, "
                 "python3.12, python3.13, and nodejs10.x to nodejs16.x on this machine's Node.js"});
  expect_errors("missing_handler.yaml", {"7:7: Resources.Store.Properties.Handler: is required for runtime nodejs20.x "
                                         "(FILE.FUNCTION, e.g. index.handler)"});
  expect_errors("missing_code_dir.yaml",
                {"9:16: Resources.Store.Properties.CodeUri: directory " + template_path("broken/functions/missing") +
                 " does not exist"});
}

TEST_CASE("references and intrinsic functions") {
  expect_errors("ref_unknown.yaml", {"14:23: Resources.Store.Properties.Environment.Variables.TABLE_NAME: Ref: 'Tabel' "
                                     "is not a parameter, pseudo parameter or resource; did you mean 'Table'?"});
  expect_errors("unknown_intrinsic.yaml", {"12:17: Resources.Store.Properties.Environment.Variables.NAME: unknown "
                                           "intrinsic function '!Frobnicate'"});
  expect_errors("sub_unknown_variable.yaml", {"10:21: Resources.Store.Properties.FunctionName: Fn::Sub: '${Stage}' is "
                                              "not a parameter, pseudo parameter, resource or variable"});
  expect_errors("getatt_unknown_attribute.yaml",
                {"12:16: Resources.Store.Properties.Environment.Variables.ARN: Fn::GetAtt: Store "
                 "(AWS::Serverless::Function) has no attribute 'Url'; lambkin knows Arn"});
  expect_errors("circular_condition.yaml", {"5:12: Conditions.B: condition 'A' depends on itself"});
}

TEST_CASE("environment variables: reserved keys and the 4 KB limit") {
  expect_errors("reserved_env.yaml", {"13:11: Resources.Store.Properties.Environment.Variables.AWS_REGION: "
                                      "'AWS_REGION' is reserved by Lambda and cannot be set"});
  expect_errors("env_too_big.yaml", {"11:9: Resources.Store.Properties.Environment.Variables: total 4099 bytes of "
                                     "keys and values; Lambda allows at most 4 KB (4096 bytes)"});
}

TEST_CASE("reserved and provisioned concurrency") {
  expect_errors("reserved_concurrency.yaml", {"10:37: Resources.Store.Properties.ReservedConcurrentExecutions: must be "
                                              "an integer between 0 and 900"});
  expect_errors("reserved_concurrency_total.yaml",
                {"17:37: Resources.Query.Properties.ReservedConcurrentExecutions: brings the template's reserved "
                 "concurrency to 901, more than account_concurrency (1000) minus unreserved_minimum (100)"});
  expect_errors("provisioned_without_alias.yaml",
                {"10:7: Resources.Store.Properties.ProvisionedConcurrencyConfig: requires AutoPublishAlias "
                 "(provisioned concurrency applies to an alias, never to $LATEST)"});
  expect_errors("provisioned_over_reserved.yaml",
                {"13:42: Resources.Store.Properties.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions: is "
                 "10, more than ReservedConcurrentExecutions (5)"});
}

TEST_CASE("the account concurrency from the command line changes the reserved concurrency limit") {
  expect_errors("reserved_concurrency.yaml",
                {"10:37: Resources.Store.Properties.ReservedConcurrentExecutions: must be an integer between 0 and 400"},
                {.overlay = {.account_concurrency = 500}});
}

TEST_CASE("unknown properties, keys, event types and actions, with suggestions") {
  expect_errors("unknown_property.yaml",
                {"10:7: Resources.Store.Properties.Memory: unknown property 'Memory'; did you mean 'MemorySize'?"});
  expect_errors("duplicate_key.yaml", {"11:7: Resources.Store.Properties.Timeout: duplicate key"});
  expect_errors("unknown_event_type.yaml", {"12:17: Resources.Store.Properties.Events.Reading.Type: unknown event type "
                                            "'IotRule'; did you mean 'IoTRule'?"});
  expect_errors("unknown_rule_action.yaml", {"10:13: Resources.Forward.Properties.TopicRulePayload.Actions[0].Lamda: "
                                             "unknown action 'Lamda'; did you mean 'Lambda'?"});
  expect_errors("table_key_undefined.yaml", {"12:27: Resources.Readings.Properties.KeySchema[1].AttributeName: 'ts' is "
                                             "not in AttributeDefinitions"});
  expect_errors("missing_transform.yaml", {"4:11: Resources.Store.Type: AWS::Serverless::Function needs 'Transform: "
                                           "AWS::Serverless-2016-10-31' at the top of the template"});
}

TEST_CASE("parameter overrides are checked like defaults") {
  CHECK(load("broken/stage_parameter.yaml").ok());
  expect_errors("stage_parameter.yaml",
                {"4:3: Parameters.Stage: 'qa' is not one of the AllowedValues: dev, prod (from --parameter-overrides)"},
                {.parameter_overrides = {{"Stage", "qa"}}});
  expect_errors("stage_parameter.yaml",
                {"4:3: Parameters: no parameter named 'Stag' (from --parameter-overrides); did you mean 'Stage'?"},
                {.parameter_overrides = {{"Stag", "prod"}}});
}

TEST_CASE("every error of a template is reported, in file order") {
  expect_errors("several_errors.yaml",
                {
                    "10:19: Resources.Store.Properties.MemorySize: must be an integer between 128 and 10240",
                    "11:16: Resources.Store.Properties.Timeout: must be an integer between 1 and 900",
                    "12:7: Resources.Store.Properties.Memroy: unknown property 'Memroy'; did you mean 'MemorySize'?",
                    "16:16: Resources.Alert.Properties.Runtime: unsupported runtime 'python3.6'; lambkin supports "
                    "nodejs18.x, nodejs20.x, nodejs22.x, provided, provided.al2, provided.al2023, python3.9, "
                    "python3.10, python3.11, python3.12, python3.13, and nodejs10.x to nodejs16.x on this machine's "
                    "Node.js",
                });
}

TEST_CASE("nodejs10.x to nodejs16.x load with one warning: they run on this machine's Node.js") {
  const auto r = load_text(
      "Transform: AWS::Serverless-2016-10-31\n"
      "Resources:\n"
      "  Old:\n"
      "    Type: AWS::Serverless::Function\n"
      "    Properties:\n"
      "      Runtime: nodejs16.x\n"
      "      Handler: index.handler\n"
      "      CodeUri: code\n");
  const auto t = load_ok(r);
  CHECK(t.functions.at(0).runtime == "nodejs16.x");
  CHECK(warnings_of(r) == std::vector<std::string>{template_path("inline.yaml") +
                                                   ":6:16: Resources.Old.Properties.Runtime: nodejs16.x is deprecated "
                                                   "on AWS; lambkin runs it on this machine's Node.js"});
}

TEST_CASE("a template that cannot be read names the file") {
  const load_result r = load("broken/no_such_file.yaml");
  CHECK(errors_of(r) == std::vector<std::string>{template_path("broken/no_such_file.yaml") + ": cannot read the template"});
}
