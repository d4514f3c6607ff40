// The temperature pipeline of examples/temperature, end to end, with clients we did not write:
// mosquitto_pub publishes readings, the IoT rule invokes StoreTemperature (Node, AWS SDK v3), which
// writes them to the DynamoDB table; curl gets them back through the HTTP API and
// GetTemperatureHistory. Failure paths: malformed readings filtered by the rule, a store function that
// fails (async retries, then the dead-letter queue, visible on the AWS endpoint), an unknown device.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <fstream>
#include <regex>

namespace {

using lambkin::test::lambkin_instance;
using namespace std::chrono_literals;

const std::string example_dir = LAMBKIN_SOURCE_DIR "/examples/temperature";

/// The example's template with its code paths made absolute (the instance runs it from a temp dir)
/// and `edit` applied.
std::string example_template(const std::function<void(std::string&)>& edit = {}) {
  std::ifstream in(example_dir + "/template.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto t = std::regex_replace(text.str(), std::regex("CodeUri: functions/"), "CodeUri: " + example_dir + "/functions/");
  if (edit) edit(t);
  return t;
}

void publish(unsigned short port, const std::string& device, const std::string& payload) {
  auto pub = lambkin::test::run({"/usr/bin/mosquitto_pub", "-p", std::to_string(port), "-t",
                                 "things/" + device + "/temperature", "-m", payload, "-q", "1", "-i", device});
  REQUIRE(pub.code == 0);
}

struct curl_result {
  int status = 0;
  std::string body;
};

/// GET with curl (not our client): the status and the body.
curl_result curl(unsigned short port, const std::string& path) {
  auto r = lambkin::test::run({"/usr/bin/curl", "-s", "-w", "\n%{http_code}", "http://127.0.0.1:" + std::to_string(port) + path});
  REQUIRE(r.code == 0);
  const auto nl = r.out.rfind('\n');
  return {std::stoi(r.out.substr(nl + 1)), r.out.substr(0, nl)};
}

/// Waits until StoreTemperature has finished `n` async events (its platform log says so).
void wait_stored(lambkin_instance& lk, std::size_t n) {
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), "StoreTemperature", 60s), lk.log());
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), "async event finished: Success", 60s, n), lk.log());
}

}  // namespace

TEST_CASE("readings published with mosquitto_pub come back through the HTTP API with curl") {
  lambkin_instance lk(example_template());
  publish(lk.mqtt_port(), "dev-a", R"({"temperature":21.5,"humidity":40})");
  publish(lk.mqtt_port(), "dev-a", R"({"temperature":22.25})");
  publish(lk.mqtt_port(), "dev-b", R"({"temperature":-3})");
  wait_stored(lk, 3);

  auto devices = curl(lk.http_port(), "/devices");
  CHECK(devices.status == 200);
  CHECK(devices.body == R"({"devices":["dev-a","dev-b"]})");

  auto history = curl(lk.http_port(), "/devices/dev-a/temperature");
  REQUIRE(history.status == 200);
  const auto doc = boost::json::parse(history.body).as_object();
  CHECK(doc.at("deviceId") == "dev-a");
  const auto& readings = doc.at("readings").as_array();
  REQUIRE(readings.size() == 2);
  // Newest first; ts is the rule's timestamp() (epoch milliseconds).
  CHECK(readings[0].at("temperature").to_number<double>() == 22.25);
  CHECK(readings[1].at("temperature").to_number<double>() == 21.5);
  CHECK(readings[0].at("ts").to_number<double>() >= readings[1].at("ts").to_number<double>());

  auto limited = curl(lk.http_port(), "/devices/dev-a/temperature?limit=1");
  CHECK(boost::json::parse(limited.body).at("readings").as_array().size() == 1);
  const auto from = std::to_string(readings[0].at("ts").to_number<std::int64_t>());
  auto window = curl(lk.http_port(), "/devices/dev-a/temperature?from=" + from);
  CHECK(boost::json::parse(window.body).at("readings").as_array().size() == 1);

  auto stats = curl(lk.http_port(), "/devices/dev-a/stats");
  REQUIRE(stats.status == 200);
  const auto s = boost::json::parse(stats.body).as_object();
  CHECK(s.at("count") == 2);
  CHECK(s.at("min").to_number<double>() == 21.5);
  CHECK(s.at("max").to_number<double>() == 22.25);
  CHECK(s.at("mean").to_number<double>() == 21.88);  // (21.5 + 22.25) / 2, rounded to 2 places
  CHECK(s.at("hours").as_array().size() >= 1);

  auto page = curl(lk.http_port(), "/");
  CHECK(page.status == 200);
  CHECK(page.body.find("<svg id=\"chart\"") != std::string::npos);
}

TEST_CASE("malformed readings are filtered by the rule: nothing stored, nothing invoked, no crash") {
  lambkin_instance lk(example_template());
  publish(lk.mqtt_port(), "dev-x", "not json at all");
  publish(lk.mqtt_port(), "dev-x", R"({"temperature":"hot"})");
  publish(lk.mqtt_port(), "dev-x", R"({"humidity":40})");
  publish(lk.mqtt_port(), "dev-x", R"({"temperature":19})");  // the one that passes the WHERE
  wait_stored(lk, 1);
  auto history = curl(lk.http_port(), "/devices/dev-x/temperature");
  REQUIRE(history.status == 200);
  const auto readings = boost::json::parse(history.body).at("readings").as_array();
  REQUIRE(readings.size() == 1);
  CHECK(readings[0].at("temperature") == 19);
  CHECK(lambkin::test::count_of(lk.log(), "StoreTemperature START RequestId") == 1);
  CHECK(lk.process().running());
}

TEST_CASE("an unknown device is a 404 from the function, as JSON") {
  lambkin_instance lk(example_template());
  auto r = curl(lk.http_port(), "/devices/nobody/stats");
  CHECK(r.status == 404);
  CHECK(r.body == R"({"message":"device nobody has no readings"})");
  auto t = curl(lk.http_port(), "/devices/nobody/temperature?limit=abc");
  CHECK(t.status == 400);
}

TEST_CASE("a store function that fails is retried, then its event lands in the dead-letter queue") {
  // The store function writes to a table that does not exist: every attempt throws
  // ResourceNotFoundException; after the retries the event goes to the function's DLQ.
  lambkin_instance lk(example_template([](std::string& t) {
    t = std::regex_replace(t, std::regex("timing: aws"), "timing: fast");
    t = std::regex_replace(t, std::regex("          TABLE_NAME: !Ref TemperatureReadings\n      Policies:\n        - DynamoDBWritePolicy"),
                           "          TABLE_NAME: NoSuchTable\n      DeadLetterQueue:\n        Type: SQS\n"
                           "        TargetArn: arn:aws:sqs:us-east-1:123456789012:readings-dlq\n"
                           "      EventInvokeConfig:\n        MaximumRetryAttempts: 1\n"
                           "      Policies:\n        - DynamoDBWritePolicy");
  }));
  publish(lk.mqtt_port(), "dev-f", R"({"temperature":25.5})");
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), "StoreTemperature", 30s), lk.log());
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lk.process(), "async event finished", 60s), lk.log());
  CHECK(lambkin::test::count_of(lk.log(), "StoreTemperature START RequestId") == 2);  // the first try and one retry

  const auto body = lk.request(boost::beast::http::verb::get, "/_lambkin/destinations").body();
  auto records = boost::json::parse(body).as_array();
  REQUIRE(records.size() == 1);
  const auto& r = records[0].as_object();
  CHECK(r.at("function") == "StoreTemperature");
  CHECK(r.at("destination") == "dlq");
  const auto& payload = r.at("record").at("requestPayload");
  CHECK(payload.at("deviceId") == "dev-f");
  CHECK(r.at("record").at("responsePayload").at("errorType") == "ResourceNotFoundException");
  // The event as the rule sent it, number spelling included.
  CHECK(body.find(R"("requestPayload":{"temperature":25.5,"deviceId":"dev-f","ts":)") != std::string::npos);
  auto history = curl(lk.http_port(), "/devices/dev-f/temperature");
  CHECK(history.status == 404);  // nothing was stored
}
