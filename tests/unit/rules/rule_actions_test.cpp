// Rules core: compiling a rule's actions and planning what they do for one message (pure).
#include "emulator/core/rules/rule_actions.hpp"

#include <doctest/doctest.h>

#include <initializer_list>

namespace {

using namespace lambkin;
using namespace lambkin::rules;
using config::param_value;

param_value scalar(std::string text) { return param_value{param_value::kind::scalar, std::move(text), {}, {}}; }

param_value obj(std::initializer_list<std::pair<const char*, param_value>> members) {
  param_value p{param_value::kind::object, {}, {}, {}};
  for (const auto& [k, v] : members) p.members.emplace_back(k, v);
  return p;
}

param_value lst(std::initializer_list<param_value> items) {
  param_value p{param_value::kind::list, {}, {}, {}};
  p.items.assign(items.begin(), items.end());
  return p;
}

config::rule_action action(std::string type, param_value params) {
  config::rule_action a;
  a.type = std::move(type);
  a.parameters = std::move(params);
  return a;
}

config::rule_config rule(std::string sql, std::vector<config::rule_action> actions) {
  config::rule_config r;
  r.name = "TestRule";
  r.sql = std::move(sql);
  r.sql_version = "2016-03-23";
  r.actions = std::move(actions);
  return r;
}

message_context message(std::string topic, std::string payload) {
  message_context m;
  m.topic = std::move(topic);
  m.payload = std::move(payload);
  m.client_id = "dev-32";
  m.timestamp_ms = 1700000000000;
  m.trace_id = "trace-1";
  return m;
}

struct planned {
  action_plan plan;
  evaluation eval;
};

planned run(const compiled_rule& r, const message_context& m) {
  auto eval = evaluate(r.sql, m);
  return {plan_actions(r, m, eval), eval};
}

}  // namespace

TEST_CASE("a rule whose SQL does not parse is refused with the located SQL error") {
  auto r = compile_rule(rule("SELECT temperature FORM 'things/+/t'", {}));
  REQUIRE_FALSE(r);
  CHECK(r.error().rule == "TestRule");
  CHECK(r.error().message.starts_with("SQL line 1, column "));
  CHECK(r.error().message.find("FORM") != std::string::npos);
}

TEST_CASE("an action type lambkin does not emulate is a warning and is skipped, the others run") {
  auto r = compile_rule(rule("SELECT * FROM 't'", {action("kinesis", obj({{"streamName", scalar("s")}})),
                                                  action("republish", obj({{"topic", scalar("out")}}))}));
  REQUIRE(r);
  REQUIRE(r->warnings.size() == 1);
  CHECK(r->warnings[0] == "action 1 (kinesis) is not emulated by lambkin; the rule runs its other actions");
  auto p = run(*r, message("t", R"({"a":1})"));
  REQUIRE(p.plan.actions.size() == 1);
  CHECK(p.plan.actions[0].index == 1);
  CHECK(std::get<republish_intent>(p.plan.actions[0].intent).topic == "out");
}

TEST_CASE("a missing required parameter or a bad template is a load error naming the action") {
  auto missing = compile_rule(rule("SELECT * FROM 't'", {action("republish", obj({{"qos", scalar("1")}}))}));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "action republish: topic is required");
  auto bad_qos = compile_rule(rule("SELECT * FROM 't'", {action("republish", obj({{"topic", scalar("x")}, {"qos", scalar("2")}}))}));
  REQUIRE_FALSE(bad_qos);
  CHECK(bad_qos.error().message == "action republish: qos must be 0 or 1, not 2");
  auto bad_template = compile_rule(rule("SELECT * FROM 't'", {action("republish", obj({{"topic", scalar("a/${topic(")}}))}));
  REQUIRE_FALSE(bad_template);
  CHECK(bad_template.error().message.starts_with("action republish, topic: "));
}

TEST_CASE("reference 2.12 example 1: the temperature alarm republishes the SELECT result to a templated topic") {
  auto r = compile_rule(rule("SELECT topic(2) AS device_id, temperature, timestamp() AS ts FROM 'device/+/data' WHERE temperature > 30",
                             {action("republish", obj({{"topic", scalar("alerts/${topic(2)}/temp")}, {"qos", scalar("1")}}))}));
  REQUIRE(r);
  auto hot = run(*r, message("device/32/data", R"({"temperature":38,"humidity":80})"));
  REQUIRE(hot.plan.actions.size() == 1);
  const auto& out = std::get<republish_intent>(hot.plan.actions[0].intent);
  CHECK(out.topic == "alerts/32/temp");
  CHECK(out.qos == 1);
  CHECK(out.payload == R"({"device_id":"32","temperature":38,"ts":1700000000000})");
  CHECK(hot.plan.actions[0].failed_action == "RepublishAction");

  auto cold = run(*r, message("device/32/data", R"({"temperature":20})"));
  CHECK(cold.eval.kind == evaluation::outcome::no_output);
  CHECK(cold.plan.actions.empty());
  CHECK(cold.plan.failures.empty());
}

TEST_CASE("republish turns $$ into $ and renders every MQTT 5 header") {
  auto headers = obj({{"contentType", scalar("application/json")},
                         {"responseTopic", scalar("replies/${topic(2)}")},
                         {"correlationData", scalar("aGVsbG8=")},
                         {"payloadFormatIndicator", scalar("UTF8_DATA")},
                         {"messageExpiry", scalar("60")},
                         {"userProperties", lst({obj({{"key", scalar("device")}, {"value", scalar("${topic(2)}")}})})}});
  auto r = compile_rule(rule("SELECT * FROM 'd/+'", {action("republish", obj({{"topic", scalar("$$aws/things/${topic(2)}/shadow/update")}, {"headers", headers}}))}));
  REQUIRE(r);
  auto p = run(*r, message("d/lamp", R"({"on":true})"));
  REQUIRE(p.plan.actions.size() == 1);
  const auto& out = std::get<republish_intent>(p.plan.actions[0].intent);
  CHECK(out.topic == "$aws/things/lamp/shadow/update");
  CHECK(out.content_type == "application/json");
  CHECK(out.response_topic == "replies/lamp");
  CHECK(out.correlation_data == "hello");
  CHECK(out.payload_format_indicator == 1);
  CHECK(out.message_expiry == 60u);
  REQUIRE(out.user_properties.size() == 1);
  CHECK(out.user_properties[0] == std::pair<std::string, std::string>{"device", "lamp"});
}

TEST_CASE("a lambda action carries the SELECT result and the function the template resolved") {
  auto a = action("lambda", obj({{"functionArn", scalar("arn:aws:lambda:us-east-1:123456789012:function:Store")}}));
  a.function = function_name{"Store"};
  a.qualifier = "live";
  auto r = compile_rule(rule("SELECT temperature, topic(2) AS deviceId FROM 'things/+/temperature'", {a}));
  REQUIRE(r);
  auto p = run(*r, message("things/dev-1/temperature", R"({"temperature":21.5,"humidity":40})"));
  REQUIRE(p.plan.actions.size() == 1);
  const auto& inv = std::get<invoke_intent>(p.plan.actions[0].intent);
  CHECK(inv.payload == R"({"temperature":21.5,"deviceId":"dev-1"})");
  REQUIRE(inv.function);
  CHECK(inv.function->value() == "Store");
  CHECK(inv.qualifier == "live");
  CHECK(p.plan.actions[0].resource == "arn:aws:lambda:us-east-1:123456789012:function:Store");
}

TEST_CASE("a templated function ARN is rendered per message and left for the shell to resolve") {
  auto r = compile_rule(rule("SELECT * FROM 'fn/+'", {action("lambda", obj({{"functionArn", scalar("arn:aws:lambda:us-east-1:1:function:${topic(2)}")}}))}));
  REQUIRE(r);
  auto p = run(*r, message("fn/Resize", "{}"));
  const auto& inv = std::get<invoke_intent>(p.plan.actions.at(0).intent);
  CHECK(inv.function_arn == "arn:aws:lambda:us-east-1:1:function:Resize");
  CHECK_FALSE(inv.function);
}

TEST_CASE("dynamoDBv2 writes each top-level field of the result as a typed attribute") {
  auto r = compile_rule(rule("SELECT temperature, topic(2) AS deviceId, wind, tags, ok, nothing, missing FROM 'w/+'",
                             {action("dynamoDBv2", obj({{"putItem", obj({{"tableName", scalar("Weather_${topic(2)}")}})}}))}));
  REQUIRE(r);
  auto p = run(*r, message("w/7", R"({"temperature":21.5,"wind":{"velocity":12,"bearing":"N"},"tags":["a",1],"ok":true,"nothing":null})"));
  REQUIRE(p.plan.actions.size() == 1);
  const auto& t = std::get<table_intent>(p.plan.actions[0].intent);
  CHECK(t.operation == "PutItem");
  CHECK(t.table == "Weather_7");
  CHECK(t.request_json ==
        R"({"TableName":"Weather_7","Item":{"temperature":{"N":"21.5"},"deviceId":{"S":"7"},)"
        R"("wind":{"M":{"velocity":{"N":"12"},"bearing":{"S":"N"}}},"tags":{"L":[{"S":"a"},{"N":"1"}]},)"
        R"("ok":{"BOOL":true},"nothing":{"NULL":true}}})");
}

TEST_CASE("dynamoDBv2 given a result that is not an object fails that action only") {
  auto r = compile_rule(rule("SELECT VALUE temperature FROM 't'",
                             {action("dynamoDBv2", obj({{"putItem", obj({{"tableName", scalar("T")}})}})),
                              action("republish", obj({{"topic", scalar("copy")}}))}));
  REQUIRE(r);
  auto p = run(*r, message("t", R"({"temperature":3})"));
  REQUIRE(p.plan.failures.size() == 1);
  CHECK(p.plan.failures[0].failed_action == "DynamoDBv2Action");
  CHECK(p.plan.failures[0].failed_resource == "T");
  CHECK(p.plan.failures[0].error_message == "the rule's result is not a JSON object, so it has no columns to write");
  REQUIRE(p.plan.actions.size() == 1);
  CHECK(std::get<republish_intent>(p.plan.actions[0].intent).payload == "3");
}

TEST_CASE("the dynamoDB action puts, updates or deletes by its hash and range keys") {
  auto params = [](std::string op) {
    return obj({{"tableName", scalar("Readings")}, {"hashKeyField", scalar("device")}, {"hashKeyValue", scalar("${topic(2)}")},
                   {"rangeKeyField", scalar("ts")}, {"rangeKeyValue", scalar("${timestamp()}")}, {"rangeKeyType", scalar("NUMBER")},
                   {"payloadField", scalar("reading")}, {"operation", scalar(std::move(op))}});
  };
  const auto m = message("d/a", R"({"t":1})");
  auto insert = compile_rule(rule("SELECT * FROM 'd/+'", {action("dynamoDB", params("INSERT"))}));
  REQUIRE(insert);
  CHECK(std::get<table_intent>(run(*insert, m).plan.actions.at(0).intent).request_json ==
        R"({"TableName":"Readings","Item":{"device":{"S":"a"},"ts":{"N":"1700000000000"},"reading":{"M":{"t":{"N":"1"}}}}})");
  auto update = compile_rule(rule("SELECT * FROM 'd/+'", {action("dynamoDB", params("UPDATE"))}));
  const auto u = std::get<table_intent>(run(*update, m).plan.actions.at(0).intent);
  CHECK(u.operation == "UpdateItem");
  CHECK(u.request_json ==
        R"({"TableName":"Readings","Key":{"device":{"S":"a"},"ts":{"N":"1700000000000"}},"UpdateExpression":"SET #p = :p",)"
        R"("ExpressionAttributeNames":{"#p":"reading"},"ExpressionAttributeValues":{":p":{"M":{"t":{"N":"1"}}}}})");
  auto del = compile_rule(rule("SELECT * FROM 'd/+'", {action("dynamoDB", params("DELETE"))}));
  const auto d = std::get<table_intent>(run(*del, m).plan.actions.at(0).intent);
  CHECK(d.operation == "DeleteItem");
  CHECK(d.request_json == R"({"TableName":"Readings","Key":{"device":{"S":"a"},"ts":{"N":"1700000000000"}}})");
  auto wrong = compile_rule(rule("SELECT * FROM 'd/+'", {action("dynamoDB", params("UPSERT"))}));
  CHECK(run(*wrong, m).plan.failures.at(0).error_message == "operation must be INSERT, UPDATE or DELETE, not UPSERT");
}

TEST_CASE("the http action posts the result with templated headers") {
  auto r = compile_rule(rule("SELECT * FROM 'h/+'",
                             {action("http", obj({{"url", scalar("http://127.0.0.1:9/${topic(2)}")},
                                                     {"headers", lst({obj({{"key", scalar("x-device")}, {"value", scalar("${topic(2)}")}})})}}))}));
  REQUIRE(r);
  auto p = run(*r, message("h/x", R"({"v":1})"));
  const auto& h = std::get<http_intent>(p.plan.actions.at(0).intent);
  CHECK(h.url == "http://127.0.0.1:9/x");
  CHECK(h.body == R"({"v":1})");
  REQUIRE(h.headers.size() == 1);
  CHECK(h.headers[0] == std::pair<std::string, std::string>{"x-device", "x"});
}

TEST_CASE("the error message lists every failure in AWS's shape") {
  auto m = message("things/a/temperature", "hi");
  const auto text = error_message("StoreRule", m, "trace-9",
                                  {{"LambdaAction", "arn:aws:lambda:us-east-1:1:function:Gone", "Function not found"},
                                   {"RepublishAction", "x/y", "bad \"topic\""}});
  CHECK(text ==
        R"({"ruleName":"StoreRule","topic":"things/a/temperature","cloudwatchTraceId":"trace-9","clientId":"dev-32",)"
        R"("base64OriginalPayload":"aGk=","failures":[{"failedAction":"LambdaAction","failedResource":)"
        R"("arn:aws:lambda:us-east-1:1:function:Gone","errorMessage":"Function not found"},{"failedAction":"RepublishAction",)"
        R"("failedResource":"x/y","errorMessage":"bad \"topic\""}]})");
}

TEST_CASE("the error action gets the error message as its input and templates see the original message") {
  auto cfg = rule("SELECT * FROM 'e/+'", {action("republish", obj({{"topic", scalar("x")}}))});
  cfg.error_action = action("dynamoDBv2", obj({{"putItem", obj({{"tableName", scalar("Errors_${topic(2)}")}})}}));
  auto r = compile_rule(cfg);
  REQUIRE(r);
  auto m = message("e/z", R"({"a":1})");
  const auto text = error_message(r->name, m, "t", {{"RepublishAction", "x", "boom"}});
  auto planned = plan_error_action(*r, m, text);
  REQUIRE(planned);
  const auto& p = std::get<planned_action>(*planned);
  const auto& t = std::get<table_intent>(p.intent);
  CHECK(t.table == "Errors_z");
  CHECK(t.request_json.find(R"("ruleName":{"S":"TestRule"})") != std::string::npos);
  CHECK(t.request_json.find(R"("failures":{"L":[{"M":{"failedAction":{"S":"RepublishAction"})") != std::string::npos);

  auto without = compile_rule(rule("SELECT * FROM 'e/+'", {}));
  CHECK_FALSE(plan_error_action(*without, m, text));
}

TEST_CASE("AWS's action names for error messages") {
  CHECK(failed_action_name("lambda") == "LambdaAction");
  CHECK(failed_action_name("dynamoDBv2") == "DynamoDBv2Action");
  CHECK(failed_action_name("s3") == "S3Action");
  CHECK(failed_action_name("http") == "HttpAction");
}
