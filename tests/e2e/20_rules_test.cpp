// The rules engine end to end: mosquitto_pub → broker → topic rule → a real function process, a
// republish reaching mosquitto_sub, the error action's message, and rules changed through the AWS
// CLI (`aws iot … --endpoint-url`) while lambkin runs.
#include "e2e/aws_cli.hpp"
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

namespace {

using lambkin::test::child_process;
using lambkin::test::lambkin_instance;
using namespace std::chrono_literals;

const std::string functions_dir = LAMBKIN_TEST_DATA_DIR "/functions";

/// A function that logs `EVENT <json>` with every event it gets.
std::string recorder(const std::string& name, const std::string& events) {
  return "  " + name + ":\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n"
         "      Handler: index.handler\n      CodeUri: " + functions_dir + "/node-record\n" + events;
}

/// mosquitto_sub on `topic`, subscribed (SUBACK seen) when this returns; exits after `count` messages.
std::unique_ptr<child_process> subscriber(unsigned short port, const std::string& topic, int count = 1) {
  auto sub = std::make_unique<child_process>(std::vector<std::string>{
      "/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", std::to_string(port), "-t", topic, "-C",
      std::to_string(count), "-W", "30", "-V", "mqttv5"});
  REQUIRE(lambkin::test::wait_for_stdout(*sub, "SUBACK", 20s));
  return sub;
}

void publish(unsigned short port, const std::string& topic, const std::string& payload, const std::string& id = "dev-7") {
  auto pub = lambkin::test::run({"/usr/bin/mosquitto_pub", "-p", std::to_string(port), "-t", topic, "-m", payload,
                                 "-q", "1", "-i", id});
  REQUIRE(pub.code == 0);
}

/// The line of mosquitto_sub's output that starts with `prefix` (its -d debug lines are around it).
std::string line_starting(const child_process& sub, const std::string& prefix) {
  const auto out = sub.out();
  const auto start = out.find("\n" + prefix);
  REQUIRE_MESSAGE(start != std::string::npos, out);
  return out.substr(start + 1, out.find('\n', start + 1) - start - 1);
}

}  // namespace

TEST_CASE("a reading published with mosquitto_pub reaches the function as exactly the SELECT result") {
  lambkin_instance lambkin("Transform: AWS::Serverless-2016-10-31\nResources:\n" +
                           recorder("Store", "      Events:\n        Reading:\n          Type: IoTRule\n"
                                             "          Properties:\n            AwsIotSqlVersion: '2016-03-23'\n"
                                             "            Sql: \"SELECT temperature, topic(2) AS deviceId, clientid() AS client "
                                             "FROM 'things/+/temperature' WHERE temperature > -100\"\n"));
  publish(lambkin.mqtt_port(), "things/dev-1/temperature", R"({"temperature":21.5,"humidity":40})");
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(),
                                       R"(EVENT {"temperature":21.5,"deviceId":"dev-1","client":"dev-7"})", 30s));
  // WHERE false: no invocation. A second reading that passes proves the first was not merely late.
  publish(lambkin.mqtt_port(), "things/dev-2/temperature", R"({"temperature":-200})");
  publish(lambkin.mqtt_port(), "things/dev-3/temperature", R"({"temperature":5})");
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"temperature":5,"deviceId":"dev-3","client":"dev-7"})", 30s));
  CHECK(lambkin.log().find(R"("deviceId":"dev-2")") == std::string::npos);
  CHECK(lambkin.stop() == 0);
}

TEST_CASE("a republish action reaches a mosquitto_sub subscriber, and Basic Ingest reaches the rule only") {
  const std::string tmpl = R"(Resources:
  Alarm:
    Type: AWS::IoT::TopicRule
    Properties:
      RuleName: Alarm
      TopicRulePayload:
        AwsIotSqlVersion: "2016-03-23"
        Sql: "SELECT topic(2) AS device_id, temperature FROM 'device/+/data' WHERE temperature > 30"
        Actions:
          - Republish:
              Topic: "alerts/${topic(2)}/temp"
              Qos: 1
              RoleArn: arn:aws:iam::123456789012:role/r
)";
  lambkin_instance lambkin(tmpl);
  auto sub = subscriber(lambkin.mqtt_port(), "alerts/#", 2);
  publish(lambkin.mqtt_port(), "device/32/data", R"({"temperature":38,"humidity":80})");
  publish(lambkin.mqtt_port(), "$aws/rules/Alarm/device/33/data", R"({"temperature":40})");
  REQUIRE(sub->wait(30s) == 0);
  const auto out = sub->out();
  CHECK(out.find(R"({"device_id":"32","temperature":38})") != std::string::npos);
  CHECK(out.find(R"({"device_id":"33","temperature":40})") != std::string::npos);
  CHECK(out.find("alerts/33/temp") != std::string::npos);
}

TEST_CASE("when an action fails the error action gets AWS's error message") {
  const std::string tmpl = R"(Resources:
  Broken:
    Type: AWS::IoT::TopicRule
    Properties:
      RuleName: Broken
      TopicRulePayload:
        AwsIotSqlVersion: "2016-03-23"
        Sql: "SELECT * FROM 'in/+'"
        Actions:
          - Lambda:
              FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:Missing
        ErrorAction:
          Republish:
            Topic: "errors/${topic(2)}"
            RoleArn: arn:aws:iam::123456789012:role/r
)";
  lambkin_instance lambkin(tmpl);
  auto sub = subscriber(lambkin.mqtt_port(), "errors/+");
  publish(lambkin.mqtt_port(), "in/x", R"({"v":1})", "sensor-9");
  REQUIRE(sub->wait(30s) == 0);
  const auto doc = boost::json::parse(line_starting(*sub, R"({"ruleName")")).as_object();
  CHECK(doc.at("ruleName") == "Broken");
  CHECK(doc.at("topic") == "in/x");
  CHECK(doc.at("clientId") == "sensor-9");
  CHECK(doc.at("base64OriginalPayload") == "eyJ2IjoxfQ==");
  CHECK(doc.at("cloudwatchTraceId").as_string().size() == 36);
  const auto& failure = doc.at("failures").as_array().at(0).as_object();
  CHECK(failure.at("failedAction") == "LambdaAction");
  CHECK(failure.at("failedResource") == "arn:aws:lambda:us-east-1:123456789012:function:Missing");
  CHECK(failure.at("errorMessage") == "Function not found: arn:aws:lambda:us-east-1:123456789012:function:Missing");
}

TEST_CASE("aws iot create, get, list, disable and delete topic rules while lambkin runs") {
  lambkin_instance lambkin("Transform: AWS::Serverless-2016-10-31\nResources:\n" + recorder("Sink", ""));
  const auto port = lambkin.aws_port();
  const std::string payload =
      R"({"sql":"SELECT VALUE v FROM 'cli/+'","awsIotSqlVersion":"2016-03-23","ruleDisabled":false,)"
      R"("actions":[{"lambda":{"functionArn":"arn:aws:lambda:us-east-1:123456789012:function:Sink"}}]})";
  auto created = lambkin::test::aws_cli(port, {"iot", "create-topic-rule", "--rule-name", "FromCli", "--topic-rule-payload", payload});
  REQUIRE_MESSAGE(created.code == 0, created.err);

  auto again = lambkin::test::aws_cli(port, {"iot", "create-topic-rule", "--rule-name", "FromCli", "--topic-rule-payload", payload});
  CHECK(again.code != 0);
  CHECK(again.err.find("ResourceAlreadyExistsException") != std::string::npos);

  auto bad = lambkin::test::aws_cli(port, {"iot", "create-topic-rule", "--rule-name", "Bad", "--topic-rule-payload",
                                           R"({"sql":"SELECT a FORM 'x'","actions":[]})"});
  CHECK(bad.code != 0);
  CHECK(bad.err.find("SqlParseException") != std::string::npos);
  CHECK(bad.err.find("line 1, column") != std::string::npos);

  auto got = lambkin::test::aws_cli(port, {"iot", "get-topic-rule", "--rule-name", "FromCli"});
  REQUIRE(got.code == 0);
  const auto rule = boost::json::parse(got.out).as_object();
  CHECK(rule.at("ruleArn") == "arn:aws:iot:us-east-1:123456789012:rule/FromCli");
  CHECK(rule.at("rule").at("sql") == "SELECT VALUE v FROM 'cli/+'");
  CHECK(rule.at("rule").at("ruleDisabled") == false);

  auto listed = lambkin::test::aws_cli(port, {"iot", "list-topic-rules"});
  REQUIRE(listed.code == 0);
  const auto rules = boost::json::parse(listed.out).at("rules").as_array();
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].at("topicPattern") == "cli/+");

  publish(lambkin.mqtt_port(), "cli/a", R"({"v":{"n":1}})");
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"n":1})", 30s));

  REQUIRE(lambkin::test::aws_cli(port, {"iot", "disable-topic-rule", "--rule-name", "FromCli"}).code == 0);
  publish(lambkin.mqtt_port(), "cli/a", R"({"v":{"n":2}})");
  REQUIRE(lambkin::test::aws_cli(port, {"iot", "enable-topic-rule", "--rule-name", "FromCli"}).code == 0);
  publish(lambkin.mqtt_port(), "cli/a", R"({"v":{"n":3}})");
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"n":3})", 30s));
  CHECK(lambkin.log().find(R"(EVENT {"n":2})") == std::string::npos);

  REQUIRE(lambkin::test::aws_cli(port, {"iot", "delete-topic-rule", "--rule-name", "FromCli"}).code == 0);
  auto gone = lambkin::test::aws_cli(port, {"iot", "get-topic-rule", "--rule-name", "FromCli"});
  CHECK(gone.code != 0);
  CHECK(gone.err.find("UnauthorizedException") != std::string::npos);
}

TEST_CASE("a rule with bad SQL stops lambkin run at start with the rule and the SQL position") {
  lambkin::test::temp_dir dir;
  const auto tmpl = dir.path() / "template.yaml";
  std::ofstream(tmpl) << "Transform: AWS::Serverless-2016-10-31\nResources:\n"
                      << recorder("Fn", "      Events:\n        R:\n          Type: IoTRule\n          Properties:\n"
                                        "            Sql: \"SELECT a FROM 't' WHERE\"\n");
  auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "run", tmpl.string(), "--aws-port", "0", "--mqtt-port", "0",
                               "--ws-port", "0", "--data-dir", (dir.path() / "data").string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("rule FnR: SQL line 1, column") != std::string::npos);
}

TEST_CASE("a dynamoDBv2 action writes the SELECT result as an item that aws dynamodb reads back") {
  const std::string tmpl = R"(Resources:
  Weather:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Weather
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: station
          AttributeType: S
      KeySchema:
        - AttributeName: station
          KeyType: HASH
  Flatten:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        AwsIotSqlVersion: "2016-03-23"
        Sql: "SELECT topic(2) AS station, temperature, wind.velocity AS wind_velocity, tags FROM 'weather/+/data'"
        Actions:
          - DynamoDBv2:
              PutItem:
                TableName: Weather
              RoleArn: arn:aws:iam::123456789012:role/r
)";
  lambkin_instance lambkin(tmpl);
  publish(lambkin.mqtt_port(), "weather/oslo/data", R"({"temperature":-3.5,"wind":{"velocity":12},"tags":["cold","dry"]})");
  // The rule runs its action after the PUBACK; the CLI retries GetItem until the item is there.
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto got = lambkin::test::aws_cli(lambkin.aws_port(), {"dynamodb", "get-item", "--table-name", "Weather", "--key",
                                                          R"({"station":{"S":"oslo"}})"});
    REQUIRE(got.code == 0);
    if (got.out.find("Item") == std::string::npos) continue;
    const auto item = boost::json::parse(got.out).at("Item").as_object();
    CHECK(item.at("temperature").at("N") == "-3.5");
    CHECK(item.at("wind_velocity").at("N") == "12");
    CHECK(item.at("tags").at("L").as_array().size() == 2);
    CHECK(item.at("tags").at("L").at(0).at("S") == "cold");
    return;
  }
  FAIL("the item never appeared: " << lambkin.log());
}

namespace {

/// A Node HTTP server on a free port: prints `LISTENING <port>`, then one line per request
/// (`REQUEST <method> <url> <x-device header> <content-type> <body>`) and answers `status`.
std::unique_ptr<child_process> http_receiver(int status) {
  const std::string script =
      "const http=require('http');"
      "const s=http.createServer((q,r)=>{let b='';q.on('data',c=>b+=c);q.on('end',()=>{"
      "console.log(['REQUEST',q.method,q.url,q.headers['x-device'],q.headers['content-type'],b].join(' '));"
      "r.statusCode=" + std::to_string(status) + ";r.end('ok');});});"
      "s.listen(0,'127.0.0.1',()=>console.log('LISTENING '+s.address().port));";
  auto node = std::make_unique<child_process>(std::vector<std::string>{"/usr/bin/env", "node", "-e", script});
  REQUIRE(lambkin::test::wait_for_stdout(*node, "LISTENING ", 20s));
  return node;
}

unsigned short listening_port(const child_process& p) {
  const auto out = p.out();
  return static_cast<unsigned short>(std::stoi(out.substr(out.find("LISTENING ") + 10)));
}

std::string http_rule(unsigned short port) {
  return R"(Resources:
  Forward:
    Type: AWS::IoT::TopicRule
    Properties:
      RuleName: Forward
      TopicRulePayload:
        AwsIotSqlVersion: "2016-03-23"
        Sql: "SELECT temperature, topic(2) AS deviceId FROM 'things/+/temperature'"
        Actions:
          - Http:
              Url: "http://127.0.0.1:)" + std::to_string(port) + R"(/ingest/${topic(2)}"
              Headers:
                - Key: x-device
                  Value: "${clientid()}"
        ErrorAction:
          Republish:
            Topic: "errors/${topic(2)}"
            RoleArn: arn:aws:iam::123456789012:role/r
)";
}

}  // namespace

TEST_CASE("an http action POSTs the SELECT result to the URL with substituted path and headers") {
  auto receiver = http_receiver(200);
  lambkin_instance lambkin(http_rule(listening_port(*receiver)));
  publish(lambkin.mqtt_port(), "things/dev-4/temperature", R"({"temperature":19.5,"humidity":3})", "sensor-4");
  REQUIRE(lambkin::test::wait_for_stdout(*receiver, "REQUEST ", 30s));
  CHECK(line_starting(*receiver, "REQUEST ") ==
        R"(REQUEST POST /ingest/dev-4 sensor-4 application/json {"temperature":19.5,"deviceId":"dev-4"})");
}

TEST_CASE("an http action answered with a 500 fails into the error action with the URL") {
  auto receiver = http_receiver(500);
  lambkin_instance lambkin(http_rule(listening_port(*receiver)));
  auto sub = subscriber(lambkin.mqtt_port(), "errors/+");
  publish(lambkin.mqtt_port(), "things/dev-5/temperature", R"({"temperature":1})", "sensor-5");
  REQUIRE(sub->wait(30s) == 0);
  const auto doc = boost::json::parse(line_starting(*sub, R"({"ruleName")")).as_object();
  const auto& failure = doc.at("failures").as_array().at(0).as_object();
  CHECK(failure.at("failedAction") == "HttpAction");
  const auto url = "http://127.0.0.1:" + std::to_string(listening_port(*receiver)) + "/ingest/dev-5";
  CHECK(failure.at("failedResource") == url.c_str());
  CHECK(failure.at("errorMessage") == ("HTTP 500 from " + url).c_str());
  CHECK(receiver->out().find("REQUEST POST /ingest/dev-5") != std::string::npos);
}
