// TemperatureAlert (examples/temperature/functions/alert), the C++ function, invoked through the
// Invoke API (no rule involved): over the threshold it publishes an alert through the IoT Data
// API, which a mosquitto_sub receives; under it, nothing.
#include "e2e/iot_support.hpp"
#include "io/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>

namespace bhttp = boost::beast::http;

namespace {

std::string alert_template() {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n  TemperatureAlert:\n"
         "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n"
         "      Handler: alert\n      CodeUri: " TEMPERATURE_ALERT_DIR "\n"
         "      Environment:\n        Variables:\n          ALERT_THRESHOLD: \"30\"\n";
}

bhttp::response<bhttp::string_body> invoke(unsigned short port, const std::string& event) {
  lambkin::test::http_client http(port);
  return http.request(bhttp::verb::post, "/2015-03-31/functions/TemperatureAlert/invocations", event);
}

}  // namespace

TEST_CASE("TemperatureAlert over the threshold publishes the alert to things/<id>/alerts") {
  lambkin::test::iot_lambkin lambkin(alert_template());
  auto sub = lambkin::test::subscriber(lambkin.mqtt_port(), "things/dev-7/alerts", 1, "%p");
  auto res = invoke(lambkin.aws_port(),
                    R"({"temperature":34.5,"humidity":41.2,"battery":97,"seq":12,"deviceId":"dev-7"})");
  INFO(res.body(), lambkin.process().err());
  REQUIRE(res.result_int() == 200);
  CHECK(res.find("X-Amz-Function-Error") == res.end());
  const auto answer = boost::json::parse(res.body()).as_object();
  CHECK(answer.at("alerted") == true);
  CHECK(answer.at("topic") == "things/dev-7/alerts");

  REQUIRE(sub->wait(std::chrono::seconds(30)) == 0);
  const auto lines = lambkin::test::message_lines(sub->out());
  REQUIRE(lines.size() == 1);
  const auto alert = boost::json::parse(lines[0]).as_object();
  CHECK(alert.at("deviceId") == "dev-7");
  CHECK(alert.at("temperature").to_number<double>() == 34.5);
  CHECK(alert.at("threshold").to_number<double>() == 30.0);
  CHECK(alert.at("at").as_string().ends_with("Z"));
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), "ALERT dev-7 at 34.5", std::chrono::seconds(10)));
}

TEST_CASE("TemperatureAlert under the threshold publishes nothing (a sentinel arrives first)") {
  lambkin::test::iot_lambkin lambkin(alert_template());
  auto sub = lambkin::test::subscriber(lambkin.mqtt_port(), "things/dev-8/alerts", 1, "%p");
  auto res = invoke(lambkin.aws_port(), R"({"temperature":21.5,"deviceId":"dev-8"})");
  INFO(res.body());
  REQUIRE(res.result_int() == 200);
  CHECK(boost::json::parse(res.body()).at("alerted") == false);
  // The invocation has finished: had it published, that message would already be ahead of this one.
  auto pub = lambkin::test::run({"/usr/bin/mosquitto_pub", "-p", lambkin.mqtt_port(), "-q", "1", "-t",
                                 "things/dev-8/alerts", "-m", "sentinel"});
  REQUIRE(pub.code == 0);
  REQUIRE(sub->wait(std::chrono::seconds(30)) == 0);
  CHECK(lambkin::test::message_lines(sub->out()) == std::vector<std::string>{"sentinel"});
}

TEST_CASE("TemperatureAlert refuses an event without deviceId as a function error") {
  lambkin::test::iot_lambkin lambkin(alert_template());
  auto res = invoke(lambkin.aws_port(), R"({"temperature":40})");
  CHECK(res.result_int() == 200);
  CHECK(res["X-Amz-Function-Error"] == "Unhandled");
  CHECK(res.body().find("InvalidEvent") != std::string::npos);
}

TEST_CASE("the example template's TemperatureAlert runs the bootstrap the build left in its CodeUri") {
  lambkin::test::temp_dir dir;
  const auto event = (dir.path() / "event.json").string();
  std::ofstream(event) << R"({"temperature":12.5,"deviceId":"dev-1"})";
  auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "invoke",
                               std::string(LAMBKIN_SOURCE_DIR) + "/examples/temperature/template.yaml",
                               "TemperatureAlert", "--event", event});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find(R"("threshold":30,"alerted":false)") != std::string::npos);  // AlertThreshold's default
}
