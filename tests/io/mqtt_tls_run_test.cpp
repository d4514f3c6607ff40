// `lambkin certs` and `lambkin run --tls-cert --tls-key --tls-ca` as a user runs them: a device
// connecting with its certificate (mosquitto_pub) is the principal a topic rule's principal()
// returns, republished to a TCP subscriber (mosquitto_sub); the ready file names the TLS port.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace lambkin::test;
using namespace std::chrono_literals;

namespace {

const std::string who_template = R"(Resources:
  Who:
    Type: AWS::IoT::TopicRule
    Properties:
      RuleName: Who
      TopicRulePayload:
        AwsIotSqlVersion: "2016-03-23"
        Sql: "SELECT principal() AS p, clientid() AS c FROM 't'"
        Actions:
          - Republish:
              Topic: who
              RoleArn: arn:aws:iam::123456789012:role/r
)";

/// The id `lambkin certs` printed for `device` ("      dev-1 certificate id <64 hex>").
std::string printed_id(const std::string& out, const std::string& device) {
  const std::string marker = device + " certificate id ";
  const auto at = out.find(marker);
  REQUIRE_MESSAGE(at != std::string::npos, out);
  return out.substr(at + marker.size(), 64);
}

}  // namespace

TEST_CASE("lambkin certs, then lambkin run with TLS: principal() in a rule is the device certificate's id") {
  temp_dir dir;
  const auto certs = dir.path() / "certs";
  const auto made = run({lambkin_exe(), "certs", certs.string(), "--devices", "dev-1,dev-2"});
  REQUIRE_MESSAGE(made.code == 0, made.err);
  CHECK(made.out.find("wrote " + (certs / "dev-2.key").string()) != std::string::npos);
  const auto id = printed_id(made.out, "dev-1");

  lambkin_instance lambkin(who_template, {"--tls-port", "0", "--tls-cert", (certs / "server.pem").string(), "--tls-key",
                                          (certs / "server.key").string(), "--tls-ca", (certs / "ca.pem").string()});
  REQUIRE(lambkin.tls_port() != 0);
  child_process sub({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", std::to_string(lambkin.mqtt_port()),
                     "-t", "who", "-C", "1", "-W", "20"});
  REQUIRE(wait_for_stdout(sub, "received SUBACK", 10s));
  const auto pub = run({"/usr/bin/mosquitto_pub", "-h", "localhost", "-p", std::to_string(lambkin.tls_port()), "--cafile",
                        (certs / "ca.pem").string(), "--cert", (certs / "dev-1.pem").string(), "--key",
                        (certs / "dev-1.key").string(), "-i", "sensor-1", "-t", "t", "-m", "{}", "-q", "1"});
  REQUIRE_MESSAGE(pub.code == 0, pub.err);
  REQUIRE(sub.wait(20s) == 0);
  CHECK(sub.out().find(R"({"p":")" + id + R"(","c":"sensor-1"})") != std::string::npos);
  CHECK(lambkin.stop() == 0);
}

TEST_CASE("lambkin run refuses --tls-cert without --tls-key and --tls-ca, and a key that is not the certificate's") {
  temp_dir dir;
  const auto certs = dir.path() / "certs";
  REQUIRE(run({lambkin_exe(), "certs", certs.string(), "--devices", "dev-1"}).code == 0);
  std::ofstream(dir.path() / "template.yaml") << who_template;
  const auto alone = run({lambkin_exe(), "run", (dir.path() / "template.yaml").string(), "--aws-port", "0",
                          "--mqtt-port", "0", "--ws-port", "0", "--tls-cert", (certs / "server.pem").string()});
  CHECK(alone.code != 0);
  CHECK(alone.err.find("--tls-key") != std::string::npos);
  const auto mismatched = run({lambkin_exe(), "run", (dir.path() / "template.yaml").string(), "--aws-port", "0",
                               "--mqtt-port", "0", "--ws-port", "0", "--tls-port", "0", "--data-dir", ":memory:",
                               "--tls-cert", (certs / "server.pem").string(), "--tls-key", (certs / "dev-1.key").string(),
                               "--tls-ca", (certs / "ca.pem").string()});
  CHECK(mismatched.code == 1);
  CHECK(mismatched.err.find("MQTT over TLS: --tls-key") != std::string::npos);
  CHECK(mismatched.err.find("mismatch") != std::string::npos);
}
