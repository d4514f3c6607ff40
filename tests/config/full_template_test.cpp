// tests/data/templates/full/template.yaml uses every supported feature once; this checks the
// loaded structs field by field.
#include "emulator/config/template_loader.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin;
using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

using env = std::vector<std::pair<std::string, std::string>>;

const std::string file = template_path("full/template.yaml");
const std::filesystem::path code = std::filesystem::path(template_path("full/functions"));

std::string param(const rule_action& a, const std::string& key) {
  const param_value* v = a.parameters.find(key);
  return v ? v->text : "<absent>";
}

}  // namespace

TEST_CASE("full template: settings, parameters and warnings") {
  const load_result r = load("full/template.yaml");
  const template_config t = load_ok(r);
  CHECK(t.source == file);
  CHECK(t.description == "Every supported feature");
  CHECK(warnings_of(r) == std::vector<std::string>{
                              "ignored: Schedule event Ingest.Nightly",
                              "ignored: AWS::SQS::Queue DeadLetters",
                              "ignored: AWS::SNS::Topic Alarms",
                              "ignored: AWS::IAM::Role RuleRole",
                          });

  const settings& s = t.settings;
  CHECK(s.timing == timing_profile::fast);
  CHECK(s.idle_retention == retention_window{minutes(5), minutes(15), 7});
  CHECK(s.account_concurrency == 500);
  CHECK(s.unreserved_minimum == 50);
  CHECK(s.ports == port_settings{11883, 18083, 13000, 14566});
  CHECK(s.bind == "0.0.0.0");
  CHECK(s.region == "eu-west-1");
  CHECK(s.account_id == "111122223333");
  CHECK(s.stack_name == "full-stack");

  CHECK(t.parameters == std::map<std::string, std::string>{
                            {"MemoryMb", "512"}, {"Stage", "dev"}, {"Subnets", "subnet-a,subnet-b"}, {"Suffix", "v1"}});
}

TEST_CASE("full template: the serverless function with every property") {
  const template_config t = load_ok(load("full/template.yaml"));
  REQUIRE(t.functions.size() == 3);
  const function_config& f = t.functions[0];
  CHECK(f.logical_id == "Ingest");
  CHECK(f.name == function_name{"dev-ingest"});
  CHECK(f.arn == "arn:aws:lambda:eu-west-1:111122223333:function:dev-ingest");
  CHECK(f.runtime == "nodejs20.x");  // from Globals
  CHECK(f.handler == "src/ingest.handler");
  CHECK(f.code_dir == code / "ingest");  // "functions/ingest/" without the trailing slash
  CHECK(f.memory_mb == 1024);            // the function's own value beats Globals
  CHECK(f.timeout == seconds(60));
  CHECK(f.ephemeral_storage_mb == 1024);
  CHECK(f.environment == env{
                             {"STAGE", "dev"},
                             {"SHARED", "from-function"},
                             {"TABLE", "full-stack-readings-v1"},
                             {"TABLE_ARN", "arn:aws:dynamodb:eu-west-1:111122223333:table/full-stack-readings-v1"},
                             {"STREAM", "arn:aws:dynamodb:eu-west-1:111122223333:table/full-stack-readings-v1/stream/"
                                        "1970-01-01T00:00:00.000"},
                             {"LITERAL", "${NotAVariable}"},
                             {"ACCOUNT_TEXT", "eu-west-1-111122223333"},
                             {"FIRST_SUBNET", "subnet-a"},
                             {"SECOND", "y"},
                             {"MODE", "development"},
                             {"ENCODED", "aGk="},
                             {"ZONE", "eu-west-1a"},
                             {"DOMAIN", "aws.amazonaws.com"},
                             {"STACK", "full-stack"},
                             {"GREETING", "hello, dev in eu-west-1"},
                             {"QUEUE", "dev-dead-letters"},
                             {"RETRIES", "1"},
                         });
  CHECK(f.reserved_concurrency == 20);
  CHECK(f.provisioned_concurrency == 5);
  CHECK(f.alias == "live");
  CHECK(f.event_invoke.max_retry_attempts == 1);
  CHECK(f.event_invoke.max_event_age == hours(1));
  REQUIRE(f.event_invoke.on_success);
  CHECK(f.event_invoke.on_success->type == "Lambda");
  CHECK(f.event_invoke.on_success->arn == "arn:aws:lambda:eu-west-1:111122223333:function:audit");
  CHECK(f.event_invoke.on_success->function == function_name{"audit"});
  REQUIRE(f.event_invoke.on_failure);
  CHECK(f.event_invoke.on_failure->type == "SQS");
  CHECK(f.event_invoke.on_failure->arn == "arn:aws:sqs:eu-west-1:111122223333:dev-dead-letters");
  CHECK_FALSE(f.event_invoke.on_failure->function);
  REQUIRE(f.dead_letter);
  CHECK(f.dead_letter->type == "SQS");
  CHECK(f.dead_letter->target_arn == "arn:aws:sqs:eu-west-1:111122223333:dev-dead-letters");
  CHECK(f.source.file == file);
  CHECK(f.source.line == 109);
  CHECK(f.source.column == 3);
}

TEST_CASE("full template: a function with defaults from Globals, and an AWS::Lambda::Function") {
  const template_config t = load_ok(load("full/template.yaml"));
  REQUIRE(t.functions.size() == 3);
  const function_config& q = t.functions[1];
  CHECK(q.name == function_name{"Query"});  // no FunctionName: the logical id
  CHECK(q.runtime == "python3.12");
  CHECK(q.handler == "app.lambda_handler");
  CHECK(q.code_dir == code / "api");
  CHECK(q.memory_mb == 512);  // Globals' !Ref MemoryMb
  CHECK(q.timeout == seconds(30));
  CHECK(q.ephemeral_storage_mb == 512);
  CHECK(q.environment == env{{"STAGE", "dev"}, {"SHARED", "from-globals"}});
  CHECK_FALSE(q.reserved_concurrency);
  CHECK_FALSE(q.provisioned_concurrency);
  CHECK(q.alias.empty());
  CHECK(q.event_invoke.max_retry_attempts == 2);
  CHECK(q.event_invoke.max_event_age == hours(6));
  CHECK_FALSE(q.event_invoke.on_success);
  CHECK_FALSE(q.dead_letter);

  const function_config& a = t.functions[2];
  CHECK(a.logical_id == "Audit");
  CHECK(a.name == function_name{"audit"});
  CHECK(a.runtime == "provided.al2");
  CHECK(a.handler.empty());  // optional for custom runtimes
  CHECK(a.code_dir == code / "audit");
  CHECK(a.memory_mb == 128);
  CHECK(a.timeout == seconds(5));
  CHECK(a.environment == env{{"LEVEL", "3"}});  // Globals apply to AWS::Serverless::Function only
  CHECK(a.reserved_concurrency == 0);
  REQUIRE(a.dead_letter);
  CHECK(a.dead_letter->type == "SNS");
  CHECK(a.dead_letter->target_arn == "arn:aws:sns:eu-west-1:111122223333:Alarms");
  CHECK(a.source.line == 204);
}

TEST_CASE("full template: rules from IoTRule events and TopicRule resources") {
  const template_config t = load_ok(load("full/template.yaml"));
  REQUIRE(t.rules.size() == 4);  // ProdOnly's condition is false for Stage=dev

  const rule_config& telemetry = t.rules[0];
  CHECK(telemetry.logical_id == "IngestTelemetry");
  CHECK(telemetry.name == "IngestTelemetry");
  CHECK(telemetry.sql == "SELECT * FROM 'sensors/+/telemetry'");
  CHECK(telemetry.sql_version == "2016-03-23");
  CHECK_FALSE(telemetry.disabled);
  CHECK(telemetry.origin == rule_origin::function_event);
  CHECK(telemetry.source.line == 162);
  REQUIRE(telemetry.actions.size() == 1);
  CHECK(telemetry.actions[0].type == "lambda");
  CHECK(param(telemetry.actions[0], "functionArn") == "arn:aws:lambda:eu-west-1:111122223333:function:dev-ingest:live");
  CHECK(telemetry.actions[0].function == function_name{"dev-ingest"});
  CHECK(telemetry.actions[0].qualifier == "live");  // events invoke the AutoPublishAlias
  CHECK_FALSE(telemetry.error_action);

  CHECK(t.rules[1].name == "IngestLegacy");
  CHECK(t.rules[1].sql_version == "2015-10-08");  // AWS's default

  const rule_config& forward = t.rules[2];
  CHECK(forward.logical_id == "Forward");
  CHECK(forward.name == "forward_rule");
  CHECK(forward.sql == "SELECT temperature, topic(2) AS deviceId FROM 'things/+/temperature'");
  CHECK(forward.description == "Forwards every reading");
  CHECK(forward.origin == rule_origin::topic_rule_resource);
  REQUIRE(forward.actions.size() == 4);
  CHECK(forward.actions[0].type == "lambda");
  CHECK(forward.actions[0].function == function_name{"dev-ingest"});
  CHECK(forward.actions[0].qualifier.empty());
  CHECK(forward.actions[1].type == "republish");
  CHECK(param(forward.actions[1], "topic") == "alerts/${topic(2)}");
  CHECK(param(forward.actions[1], "qos") == "1");
  CHECK(param(forward.actions[1], "roleArn") == "arn:aws:iam::111122223333:role/RuleRole");
  CHECK_FALSE(forward.actions[1].function);
  CHECK(forward.actions[2].type == "dynamoDBv2");
  const param_value* put = forward.actions[2].parameters.find("putItem");
  REQUIRE(put);
  CHECK(put->type == param_value::kind::object);
  REQUIRE(put->find("tableName"));
  CHECK(put->find("tableName")->text == "full-stack-readings-v1");
  CHECK(forward.actions[3].function == function_name{"dev-ingest"});
  CHECK(forward.actions[3].qualifier == "live");
  REQUIRE(forward.error_action);
  CHECK(forward.error_action->type == "sqs");
  CHECK(param(*forward.error_action, "queueUrl") == "https://sqs.eu-west-1.amazonaws.com/111122223333/dev-dead-letters");
  CHECK(param(*forward.error_action, "useBase64") == "false");

  const rule_config& paused = t.rules[3];
  CHECK(paused.name == "Paused");
  CHECK(paused.disabled);
  CHECK(paused.actions.empty());
}

TEST_CASE("full template: APIs and routes") {
  const template_config t = load_ok(load("full/template.yaml"));
  REQUIRE(t.apis.size() == 4);
  CHECK(t.apis[0].logical_id == "ServerlessHttpApi");
  CHECK(t.apis[0].kind == api_kind::http);
  CHECK(t.apis[0].implicit);
  CHECK(t.apis[0].stage_name == "$default");
  CHECK(t.apis[1].logical_id == "ServerlessRestApi");
  CHECK(t.apis[1].kind == api_kind::rest);
  CHECK(t.apis[1].stage_name == "Prod");
  const api_config& pub = t.apis[2];
  CHECK(pub.logical_id == "PublicApi");
  CHECK_FALSE(pub.implicit);
  CHECK(pub.stage_name == "prod");
  REQUIRE(pub.cors);
  CHECK(pub.cors->allow_origins == std::vector<std::string>{"https://example.com"});  // from Globals
  CHECK(pub.cors->allow_methods == std::vector<std::string>{"GET"});
  CHECK(pub.cors->allow_headers == std::vector<std::string>{"content-type"});
  CHECK(pub.cors->max_age == 600);
  CHECK(pub.cors->allow_credentials);
  const api_config& admin = t.apis[3];
  CHECK(admin.kind == api_kind::rest);
  CHECK(admin.stage_name == "admin");
  REQUIRE(admin.cors);
  CHECK(admin.cors->allow_origins == std::vector<std::string>{"*"});

  REQUIRE(t.routes.size() == 4);
  const route_config& get = t.routes[0];
  CHECK(get.api_id == "PublicApi");
  CHECK(get.kind == api_kind::http);
  CHECK(get.method == "GET");
  CHECK(get.path == "/readings/{id}");
  CHECK(get.payload_format == "1.0");
  CHECK(get.function == function_name{"Query"});
  CHECK(get.qualifier.empty());
  CHECK(get.event == "Query.GetReading");
  CHECK(get.source.line == 183);
  CHECK((t.routes[1].api_id == "ServerlessHttpApi" && t.routes[1].method == "ANY" && t.routes[1].path == "$default"));
  CHECK(t.routes[1].payload_format == "2.0");
  CHECK((t.routes[2].api_id == "ServerlessRestApi" && t.routes[2].method == "POST" && t.routes[2].path == "/legacy"));
  CHECK(t.routes[2].kind == api_kind::rest);
  CHECK(t.routes[2].payload_format == "1.0");
  CHECK((t.routes[3].api_id == "AdminApi" && t.routes[3].method == "ANY" && t.routes[3].path == "/admin/{proxy+}"));
}

TEST_CASE("full template: tables") {
  const template_config t = load_ok(load("full/template.yaml"));
  REQUIRE(t.tables.size() == 3);
  const table_config& readings = t.tables[0];
  CHECK(readings.logical_id == "Readings");
  CHECK(readings.name == "full-stack-readings-v1");
  CHECK(readings.arn == "arn:aws:dynamodb:eu-west-1:111122223333:table/full-stack-readings-v1");
  CHECK(readings.keys.partition == key_attribute{"deviceId", attribute_type::string});
  CHECK(readings.keys.sort == key_attribute{"ts", attribute_type::number});
  CHECK(readings.attributes == std::vector<key_attribute>{{"deviceId", attribute_type::string},
                                                         {"ts", attribute_type::number},
                                                         {"site", attribute_type::string},
                                                         {"day", attribute_type::string}});
  CHECK(readings.billing_mode == "PAY_PER_REQUEST");
  REQUIRE(readings.global_indexes.size() == 1);
  CHECK(readings.global_indexes[0].name == "BySite");
  CHECK(readings.global_indexes[0].keys.partition == key_attribute{"site", attribute_type::string});
  CHECK(readings.global_indexes[0].keys.sort == key_attribute{"ts", attribute_type::number});
  CHECK(readings.global_indexes[0].projection == "INCLUDE");
  CHECK(readings.global_indexes[0].non_key_attributes == std::vector<std::string>{"temperature"});
  REQUIRE(readings.local_indexes.size() == 1);
  CHECK(readings.local_indexes[0].name == "ByDay");
  CHECK(readings.local_indexes[0].keys.sort == key_attribute{"day", attribute_type::string});
  CHECK(readings.local_indexes[0].projection == "KEYS_ONLY");
  CHECK(readings.ttl_attribute == "expiresAt");
  CHECK(readings.stream_view_type == "NEW_AND_OLD_IMAGES");
  CHECK(readings.source.line == 67);

  CHECK(t.tables[1].name == "Devices");
  CHECK(t.tables[1].keys.partition == key_attribute{"deviceId", attribute_type::string});
  CHECK_FALSE(t.tables[1].keys.sort);
  CHECK(t.tables[1].billing_mode == "PAY_PER_REQUEST");
  CHECK(t.tables[2].name == "sessions");
  CHECK(t.tables[2].keys.partition == key_attribute{"id", attribute_type::string});  // SimpleTable's default key
  CHECK(t.tables[2].billing_mode == "PROVISIONED");
}

TEST_CASE("full template: outputs") {
  const template_config t = load_ok(load("full/template.yaml"));
  REQUIRE(t.outputs.size() == 4);  // ProdOnly's condition is false
  CHECK(t.outputs[0].name == "IngestArn");
  CHECK(t.outputs[0].value == "arn:aws:lambda:eu-west-1:111122223333:function:dev-ingest");
  CHECK(t.outputs[1].value == "https://sqs.eu-west-1.amazonaws.com/111122223333/dev-dead-letters");
  CHECK(t.outputs[1].description == "Where failed events go");
  CHECK(t.outputs[2].value == "https://PublicApi.execute-api.eu-west-1.amazonaws.com");
  CHECK(t.outputs[3].value == "eu-west-1a,eu-west-1b,eu-west-1c");
}

TEST_CASE("full template with --parameter-overrides Stage=prod: overrides win over defaults, conditions follow") {
  const template_config t = load_ok(load("full/template.yaml", {.parameter_overrides = {{"Stage", "prod"}}}));
  CHECK(t.parameters.at("Stage") == "prod");
  const function_config& f = t.functions[0];
  CHECK(f.name == function_name{"prod-ingest"});
  CHECK(f.event_invoke.max_retry_attempts == 0);  // Mappings.StageConfig.prod.Retries
  auto value_of = [&](const std::string& key) {
    for (const auto& [k, v] : f.environment)
      if (k == key) return v;
    return std::string("<absent>");
  };
  CHECK(value_of("MODE") == "production");
  CHECK(value_of("PROD_ONLY") == "yes");
  CHECK(value_of("STAGE") == "prod");
  REQUIRE(t.rules.size() == 5);
  CHECK(t.rules[4].name == "ProdOnly");
  REQUIRE(t.outputs.size() == 5);
  CHECK(t.outputs[4].value == "only in prod");
}
