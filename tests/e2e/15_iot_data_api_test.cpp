// The IoT Data Plane API on the AWS endpoint, driven by the AWS CLI (`aws iot-data …`), with
// mosquitto_sub receiving what it publishes.
#include "e2e/aws_cli.hpp"
#include "e2e/iot_support.hpp"
#include "io/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

using lambkin::test::aws_cli;
namespace bhttp = boost::beast::http;

namespace {

std::string echo_template() {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n  Echo:\n    Type: AWS::Serverless::Function\n"
         "    Properties:\n      Runtime: provided.al2023\n      Handler: echo\n      CodeUri: " CPP_ECHO_DIR "\n";
}

std::vector<std::string> publish_args(const std::string& topic, const std::string& payload,
                                      std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"iot-data", "publish", "--topic", topic, "--payload", payload,
                             "--cli-binary-format", "raw-in-base64-out"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

}  // namespace

TEST_CASE("aws iot-data publish reaches a subscriber, with its MQTT 5 properties") {
  lambkin::test::iot_lambkin lambkin(echo_template());
  auto sub = lambkin::test::subscriber(lambkin.mqtt_port(), "things/+/alerts", 1, "%t|%q|%p|%C|%R|%P|%F|%D",
                                       "mqttv5");
  auto r = aws_cli(lambkin.aws_port(),
                   publish_args("things/dev-1/alerts", R"({"temperature":34.5})",
                                {"--qos", "1", "--content-type", "application/json", "--response-topic",
                                 "things/dev-1/acks", "--user-properties", R"([{"site":"oslo"}])",
                                 "--payload-format-indicator", "UTF8_DATA", "--correlation-data", "YWJj"}));
  INFO(r.out, r.err);
  CHECK(r.code == 0);
  REQUIRE(sub->wait(std::chrono::seconds(30)) == 0);
  const auto lines = lambkin::test::message_lines(sub->out());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == R"(things/dev-1/alerts|1|{"temperature":34.5}|application/json|things/dev-1/acks|site:oslo|1|abc)");
}

TEST_CASE("retained messages: publish --retain, get-retained-message, list-retained-messages, delete") {
  lambkin::test::iot_lambkin lambkin(echo_template());
  const auto port = lambkin.aws_port();
  for (const auto* id : {"dev-1", "dev-2", "dev-3"}) {
    auto r = aws_cli(port, publish_args(std::string("things/") + id + "/state", R"({"on":true})", {"--retain", "--qos", "1"}));
    REQUIRE_MESSAGE(r.code == 0, r.err);
  }

  auto got = aws_cli(port, {"iot-data", "get-retained-message", "--topic", "things/dev-2/state"});
  REQUIRE_MESSAGE(got.code == 0, got.err);
  const auto msg = boost::json::parse(got.out).as_object();
  CHECK(msg.at("topic") == "things/dev-2/state");
  CHECK(msg.at("payload") == "eyJvbiI6dHJ1ZX0=");  // base64 of {"on":true}
  CHECK(msg.at("qos") == 1);
  CHECK(msg.at("lastModifiedTime").to_number<std::int64_t>() > 1'600'000'000'000);

  // --page-size 1: the CLI pages through with maxResults=1 and nextToken.
  auto listed = aws_cli(port, {"iot-data", "list-retained-messages", "--page-size", "1"});
  REQUIRE_MESSAGE(listed.code == 0, listed.err);
  const auto topics = boost::json::parse(listed.out).at("retainedTopics").as_array();
  REQUIRE(topics.size() == 3);
  CHECK(topics[0].at("topic") == "things/dev-1/state");
  CHECK(topics[2].at("topic") == "things/dev-3/state");
  CHECK(topics[1].at("payloadSize") == 11);

  lambkin::test::http_client http(port);
  auto page = http.request(bhttp::verb::get, "/retainedMessage?maxResults=2");
  CHECK(page.result_int() == 200);
  CHECK(boost::json::parse(page.body()).as_object().contains("nextToken"));

  // An empty retained payload deletes the topic's message.
  auto del = aws_cli(port, {"iot-data", "publish", "--topic", "things/dev-2/state", "--retain"});
  REQUIRE_MESSAGE(del.code == 0, del.err);
  auto missing = aws_cli(port, {"iot-data", "get-retained-message", "--topic", "things/dev-2/state"});
  CHECK(missing.code != 0);
  CHECK(missing.err.find("ResourceNotFoundException") != std::string::npos);
}

TEST_CASE("the IoT Data API answers bad requests as AWS does") {
  lambkin::test::iot_lambkin lambkin(echo_template());
  const auto port = lambkin.aws_port();

  auto wildcard = aws_cli(port, publish_args("things/+/alerts", "x"));
  CHECK(wildcard.code != 0);
  CHECK(wildcard.err.find("InvalidRequestException") != std::string::npos);

  lambkin::test::http_client http(port);
  auto big = http.request(bhttp::verb::post, "/topics/things%2Fdev-1%2Fbig", std::string(129 * 1024, 'x'));
  CHECK(big.result_int() == 413);
  CHECK(big["x-amzn-ErrorType"] == "RequestEntityTooLargeException");

  auto qos2 = http.request(bhttp::verb::post, "/topics/things%2Fdev-1%2Fa?qos=2", "x");
  CHECK(qos2.result_int() == 400);
  CHECK(qos2["x-amzn-ErrorType"] == "InvalidRequestException");

  auto bad_token = http.request(bhttp::verb::get, "/retainedMessage?nextToken=%25%25");
  CHECK(bad_token.result_int() == 400);

  auto bad_max = http.request(bhttp::verb::get, "/retainedMessage?maxResults=201");
  CHECK(bad_max.result_int() == 400);

  auto wrong_verb = http.request(bhttp::verb::delete_, "/retainedMessage/things%2Fdev-1");
  CHECK(wrong_verb.result_int() == 405);
  CHECK(wrong_verb["x-amzn-ErrorType"] == "MethodNotAllowedException");

  // Unencoded slashes (curl, the HTTPS device endpoint's form) name the same topic.
  auto sub = lambkin::test::subscriber(lambkin.mqtt_port(), "plain/topic/path", 1);
  auto plain = http.request(bhttp::verb::post, "/topics/plain/topic/path?qos=1", "hello", "text/plain");
  CHECK(plain.result_int() == 200);
  REQUIRE(sub->wait(std::chrono::seconds(30)) == 0);
  CHECK(lambkin::test::message_lines(sub->out()) == std::vector<std::string>{"plain/topic/path hello"});
}
