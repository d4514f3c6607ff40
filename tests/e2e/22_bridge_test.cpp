// Bridge mode end to end: `lambkin run --broker mqtt://127.0.0.1:PORT` against Debian's mosquitto
// started by the test. Devices publish with mosquitto_pub to mosquitto, lambkin's rules fire, a
// function runs, a republish and an IoT Data publish reach mosquitto_sub there; mosquitto
// restarted → lambkin reconnects and subscribes again (seen in its log, not waited for by sleeping).
#include "e2e/aws_cli.hpp"
#include "e2e/iot_support.hpp"
#include "e2e/lambkin_instance.hpp"
#include "io/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace {

using lambkin::test::aws_cli;
using lambkin::test::child_process;
using namespace std::chrono_literals;

/// mosquitto on `port` (loopback), running when this returns.
std::unique_ptr<child_process> start_mosquitto(unsigned short port) {
  auto broker = std::make_unique<child_process>(
      std::vector<std::string>{"/usr/sbin/mosquitto", "-p", std::to_string(port)});
  // "mosquitto version … running" comes once its listeners are open.
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(*broker, " running", 10s), broker->err());
  return broker;
}

/// mosquitto with one TLS listener on `port` (loopback) using `lambkin certs`' server certificate
/// from `certs`; running when this returns.
std::unique_ptr<child_process> start_tls_mosquitto(unsigned short port, const std::filesystem::path& certs,
                                                   const std::filesystem::path& conf) {
  std::ofstream(conf) << "listener " << port << " 127.0.0.1\n"
                      << "allow_anonymous true\n"
                      << "cafile " << (certs / "ca.pem").string() << "\n"
                      << "certfile " << (certs / "server.pem").string() << "\n"
                      << "keyfile " << (certs / "server.key").string() << "\n";
  // As root mosquitto would switch to the `mosquitto` user, who cannot read the test's 0700 directory.
  if (::geteuid() == 0) std::ofstream(conf, std::ios::app) << "user root\n";
  auto broker =
      std::make_unique<child_process>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", conf.string()});
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(*broker, " running", 10s), broker->err());
  return broker;
}

/// `lambkin certs DIR` (a local CA and a server certificate for 127.0.0.1).
void make_certs(const std::filesystem::path& dir) {
  auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "certs", dir.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
}

/// `lambkin run TEMPLATE --broker URL [extra…]` with every port 0; ready() is the ready file's JSON.
class bridged_lambkin : public lambkin::test::lambkin_instance {
 public:
  bridged_lambkin(const std::string& template_text, const std::string& broker, std::vector<std::string> extra = {})
      : lambkin_instance(template_text, with_broker(broker, std::move(extra))) {}
  const boost::json::object& ready() const { return lambkin_instance::ready().as_object(); }

 private:
  static std::vector<std::string> with_broker(const std::string& broker, std::vector<std::string> extra) {
    extra.insert(extra.begin(), {"--broker", broker});
    return extra;
  }
};

/// A recording function (logs `EVENT <json>`) with an IoT rule on things/+/temperature, and a
/// topic rule republishing hot readings to alerts/<device>.
std::string pipeline_template() {
  return R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Store:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: )" LAMBKIN_TEST_DATA_DIR R"(/functions/node-record
      Events:
        Reading:
          Type: IoTRule
          Properties:
            AwsIotSqlVersion: '2016-03-23'
            Sql: "SELECT temperature, topic(2) AS deviceId FROM 'things/+/temperature'"
  Hot:
    Type: AWS::IoT::TopicRule
    Properties:
      RuleName: Hot
      TopicRulePayload:
        AwsIotSqlVersion: "2016-03-23"
        Sql: "SELECT topic(2) AS device, temperature FROM 'things/+/temperature' WHERE temperature > 30"
        Actions:
          - Republish:
              Topic: "alerts/${topic(2)}"
              Qos: 1
              RoleArn: arn:aws:iam::123456789012:role/r
)";
}

void publish(unsigned short port, const std::string& topic, const std::string& payload) {
  auto pub = lambkin::test::run({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(port), "-t", topic,
                                 "-m", payload, "-q", "1", "-i", "dev-publisher"});
  REQUIRE_MESSAGE(pub.code == 0, pub.err);
}

std::string url_of(unsigned short port) { return "mqtt://127.0.0.1:" + std::to_string(port); }

}  // namespace

TEST_CASE("bridge: a reading published to mosquitto fires lambkin's rules: the function runs, the republish reaches mosquitto_sub") {
  const auto port = lambkin::test::unused_port();
  auto broker = start_mosquitto(port);
  bridged_lambkin lambkin(pipeline_template(), url_of(port));
  // The ready file says lambkin serves no MQTT of its own and is connected to mosquitto.
  CHECK(lambkin.ready().at("mqtt").is_null());
  CHECK(lambkin.ready().at("ws").is_null());
  CHECK(std::string(lambkin.ready().at("broker").as_string()) == url_of(port));
  CHECK(lambkin.ready().at("broker_connected").as_bool());
  CHECK(lambkin.log().find("own MQTT listeners are not started") != std::string::npos);
  CHECK(lambkin.log().find("Basic Ingest ($aws/rules/<rule>/...) cannot be translated") != std::string::npos);
  CHECK(lambkin.log().find("subscribed to 1 topic filters on " + url_of(port)) != std::string::npos);

  auto sub = lambkin::test::subscriber(std::to_string(port), "alerts/#", 1, "%t %p", "mqttv5");
  publish(port, "things/dev-1/temperature", R"({"temperature":21.5})");  // the function only
  publish(port, "things/dev-2/temperature", R"({"temperature":35})");    // the function and the alert
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"temperature":21.5,"deviceId":"dev-1"})", 30s));
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"temperature":35,"deviceId":"dev-2"})", 30s));
  REQUIRE(sub->wait(30s) == 0);
  const auto lines = lambkin::test::message_lines(sub->out());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == R"(alerts/dev-2 {"device":"dev-2","temperature":35})");
}

TEST_CASE("bridge: IoT Data publish on lambkin's AWS endpoint reaches mosquitto_sub, retained messages as far as seen") {
  const auto port = lambkin::test::unused_port();
  auto broker = start_mosquitto(port);
  bridged_lambkin lambkin(pipeline_template(), url_of(port));
  auto sub = lambkin::test::subscriber(std::to_string(port), "things/+/alerts", 1, "%t|%q|%p|%C|%R|%P|%F|%D", "mqttv5");
  auto r = aws_cli(lambkin.aws_port(),
                   {"iot-data", "publish", "--topic", "things/dev-1/alerts", "--payload", R"({"temperature":34.5})",
                    "--cli-binary-format", "raw-in-base64-out", "--qos", "1", "--content-type", "application/json",
                    "--response-topic", "things/dev-1/acks", "--user-properties", R"([{"site":"oslo"}])",
                    "--payload-format-indicator", "UTF8_DATA", "--correlation-data", "YWJj"});
  INFO(r.out, r.err);
  CHECK(r.code == 0);
  REQUIRE(sub->wait(30s) == 0);
  const auto lines = lambkin::test::message_lines(sub->out());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == R"(things/dev-1/alerts|1|{"temperature":34.5}|application/json|things/dev-1/acks|site:oslo|1|abc)");

  // Retained (plain HTTP from here on; the AWS CLI has shown the API's shape above): lambkin answers
  // for what it published itself, and mosquitto really stored it.
  lambkin::test::http_client http(lambkin.aws_port());
  auto res = http.request(boost::beast::http::verb::post, "/topics/things%2Fdev-1%2Fstate?qos=1&retain=true",
                          R"({"on":true})");
  REQUIRE_MESSAGE(res.result_int() == 200, res.body());
  // The 200 comes after mosquitto's PUBACK, so mosquitto has stored the message by now: a
  // subscriber that comes after gets it from the retained store (retain flag 1), never live.
  const auto stored = lambkin::test::run({"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(port),
                                          "-t", "things/dev-1/state", "-C", "1", "-W", "10", "-F", "%r %p"})
                          .out;
  CHECK(stored == "1 {\"on\":true}\n");
  res = http.request(boost::beast::http::verb::get, "/retainedMessage/things%2Fdev-1%2Fstate");
  REQUIRE_MESSAGE(res.result_int() == 200, res.body());
  CHECK(boost::json::parse(res.body()).at("payload") == "eyJvbiI6dHJ1ZX0=");  // base64 of {"on":true}
  // A retained message lambkin never saw: AWS's not-found answer, saying why.
  lambkin::test::run({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(port), "-t", "elsewhere/x",
                      "-m", "1", "-r"});
  res = http.request(boost::beast::http::verb::get, "/retainedMessage/elsewhere%2Fx");
  CHECK(res.result_int() == 404);
  CHECK(res["x-amzn-ErrorType"] == "ResourceNotFoundException");
  CHECK(res.body().find("bridged to " + url_of(port)) != std::string::npos);
}

TEST_CASE("bridge: mosquitto restarted → lambkin reconnects, subscribes again and the rule fires") {
  const auto port = lambkin::test::unused_port();
  auto broker = start_mosquitto(port);
  bridged_lambkin lambkin(pipeline_template(), url_of(port));
  broker->signal(SIGTERM);
  REQUIRE(broker->wait(10s).has_value());
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lambkin.process(), "bridge: connection to " + url_of(port) + " lost", 30s),
                  lambkin.log());
  // While mosquitto is away, IoT Data publish answers 503 ServiceUnavailableException.
  lambkin::test::http_client http(lambkin.aws_port());
  const auto down = http.request(boost::beast::http::verb::post, "/topics/things%2Fdev-1%2Fcmd", "x");
  CHECK(down.result_int() == 503);
  CHECK(down["x-amzn-ErrorType"] == "ServiceUnavailableException");

  broker = start_mosquitto(port);
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lambkin.process(), "bridge: reconnected to " + url_of(port), 60s),
                  lambkin.log());
  REQUIRE(lambkin::test::wait_for_stderr(lambkin.process(), "subscribed to 1 topic filters", 30s, 2));
  publish(port, "things/dev-9/temperature", R"({"temperature":12})");
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"temperature":12,"deviceId":"dev-9"})", 30s));
  CHECK(lambkin.process().running());
}

TEST_CASE("bridge: nothing listening yet → ready with broker_connected false, then connects when mosquitto starts") {
  const auto port = lambkin::test::unused_port();
  bridged_lambkin lambkin(pipeline_template(), url_of(port));
  CHECK_FALSE(lambkin.ready().at("broker_connected").as_bool());
  CHECK(lambkin.log().find("bridge: cannot connect to " + url_of(port)) != std::string::npos);
  auto broker = start_mosquitto(port);
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lambkin.process(), "subscribed to 1 topic filters", 60s), lambkin.log());
  publish(port, "things/dev-4/temperature", R"({"temperature":4})");
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"temperature":4,"deviceId":"dev-4"})", 30s));
}

TEST_CASE("bridge: a malformed --broker URL stops lambkin run with the reason") {
  for (const auto* url : {"http://127.0.0.1:1883", "mqtt://", "mqtt://127.0.0.1:0", "mqtt://127.0.0.1:1883/path"}) {
    lambkin::test::temp_dir dir;
    std::ofstream(dir.path() / "template.yaml") << pipeline_template();
    auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "run", (dir.path() / "template.yaml").string(), "--aws-port",
                                 "0", "--mqtt-port", "0", "--ws-port", "0", "--http-port", "0", "--broker", url,
                                 "--data-dir", ":memory:"});
    INFO(url, r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(std::string("--broker ") + url + ": ") != std::string::npos);
  }
}

TEST_CASE("bridge over mqtts://: lambkin verifies mosquitto's certificate with --broker-ca and the rule fires") {
  lambkin::test::temp_dir certs;
  make_certs(certs.path());
  const auto port = lambkin::test::unused_port();
  auto broker = start_tls_mosquitto(port, certs.path(), certs.path() / "mosquitto.conf");
  const std::string url = "mqtts://127.0.0.1:" + std::to_string(port);
  bridged_lambkin lambkin(pipeline_template(), url, {"--broker-ca", (certs.path() / "ca.pem").string()});
  CHECK(std::string(lambkin.ready().at("broker").as_string()) == url);
  REQUIRE_MESSAGE(lambkin.ready().at("broker_connected").as_bool(), lambkin.log());
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(lambkin.process(), "subscribed to 1 topic filters on " + url, 30s),
                  lambkin.log());
  // A device on TLS too (mosquitto_pub trusting the same local CA).
  auto pub = lambkin::test::run({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(port), "--cafile",
                                 (certs.path() / "ca.pem").string(), "-t", "things/dev-7/temperature", "-m",
                                 R"({"temperature":7.5})", "-q", "1", "-i", "dev-7"});
  REQUIRE_MESSAGE(pub.code == 0, pub.err);
  CHECK(lambkin::test::wait_for_stderr(lambkin.process(), R"(EVENT {"temperature":7.5,"deviceId":"dev-7"})", 30s));
}

TEST_CASE("bridge over mqtts://: a broker certificate from another CA is refused, lambkin stays up unconnected") {
  lambkin::test::temp_dir certs, other;
  make_certs(certs.path());
  make_certs(other.path());
  const auto port = lambkin::test::unused_port();
  auto broker = start_tls_mosquitto(port, certs.path(), certs.path() / "mosquitto.conf");
  const std::string url = "mqtts://127.0.0.1:" + std::to_string(port);
  bridged_lambkin lambkin(pipeline_template(), url, {"--broker-ca", (other.path() / "ca.pem").string()});
  CHECK_FALSE(lambkin.ready().at("broker_connected").as_bool());
  CHECK_MESSAGE(lambkin.log().find("bridge: cannot connect to " + url + ": A TLS error occurred.") != std::string::npos,
                lambkin.log());
  // OpenSSL's reason, as libmosquitto logged it.
  CHECK_MESSAGE(lambkin.log().find("certificate verify failed") != std::string::npos, lambkin.log());
  CHECK(lambkin.process().running());
}
