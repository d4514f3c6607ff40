// AWS IoT policies enforced on lambkin's broker, with real clients: device certificates from
// `lambkin certs`, a template declaring them (AWS::IoT::Certificate with CertificatePem
// file://…), a thing, a policy using ${iot:Connection.Thing.ThingName} and ${iot:ClientId}, and
// mosquitto_pub/mosquitto_sub over mutual TLS (3.1.1 and 5). The plain TCP listener stays
// unrestricted (local convenience) and serves as the observer and the other publisher. Also: the
// will under iot:Publish, and the ${iot:Certificate.…} variables read from the device certificate.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

using namespace lambkin::test;
using namespace std::chrono_literals;

namespace {

std::string policy_template(const std::filesystem::path& certs) {
  const std::string pem = "file://" + certs.string() + "/";
  return R"(Resources:
  DevicePolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyName: Device
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iot:Connect
            Resource: "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"
          - Effect: Allow
            Action: [iot:Publish, iot:Receive]
            Resource:
              - "arn:aws:iot:*:*:topic/things/${iot:Connection.Thing.ThingName}/*"
              - "arn:aws:iot:*:*:topic/clients/${iot:ClientId}"
          - Effect: Allow
            Action: iot:Subscribe
            Resource: "arn:aws:iot:*:*:topicfilter/things/${iot:Connection.Thing.ThingName}/*"
          - Effect: Deny
            Action: iot:Publish
            Resource: "arn:aws:iot:*:*:topic/things/*/forbidden"
          - Effect: Deny
            Action: iot:Receive
            Resource: "arn:aws:iot:*:*:topic/things/*/private"
  Dev1Cert:
    Type: AWS::IoT::Certificate
    Properties:
      CertificatePem: )" + pem + R"(dev-1.pem
      Status: ACTIVE
  Dev2Cert:
    Type: AWS::IoT::Certificate
    Properties:
      CertificatePem: )" + pem + R"(dev-2.pem
      Status: INACTIVE
  Dev1:
    Type: AWS::IoT::Thing
    Properties:
      ThingName: dev-1
  Dev1Things:
    Type: AWS::IoT::ThingPrincipalAttachment
    Properties:
      ThingName: !Ref Dev1
      Principal: !GetAtt Dev1Cert.Arn
  Dev1Policy:
    Type: AWS::IoT::PolicyPrincipalAttachment
    Properties:
      PolicyName: !Ref DevicePolicy
      Principal: !GetAtt Dev1Cert.Arn
  Dev2Policy:
    Type: AWS::IoT::PolicyPrincipalAttachment
    Properties:
      PolicyName: !Ref DevicePolicy
      Principal: !GetAtt Dev2Cert.Arn
)";
}

struct fixture {
  temp_dir dir;
  std::filesystem::path certs = dir.path() / "certs";
  std::unique_ptr<lambkin_instance> lambkin;

  explicit fixture(std::vector<std::string> extra = {},
                   std::string (*make_template)(const std::filesystem::path&) = policy_template) {
    const auto made = run({lambkin_exe(), "certs", certs.string(), "--devices", "dev-1,dev-2,dev-3"});
    REQUIRE_MESSAGE(made.code == 0, made.err);
    std::vector<std::string> flags{"--tls-port", "0", "--tls-cert", (certs / "server.pem").string(), "--tls-key",
                                   (certs / "server.key").string(), "--tls-ca", (certs / "ca.pem").string()};
    flags.insert(flags.end(), extra.begin(), extra.end());
    lambkin = std::make_unique<lambkin_instance>(make_template(certs), flags);
    REQUIRE(lambkin->tls_port() != 0);
  }

  /// mosquitto_pub/_sub arguments for device `cert` over TLS, as client `client_id`.
  std::vector<std::string> tls(const std::string& tool, const std::string& cert, const std::string& client_id) const {
    return {tool, "-h", "localhost", "-p", std::to_string(lambkin->tls_port()), "--cafile", (certs / "ca.pem").string(),
            "--cert", (certs / (cert + ".pem")).string(), "--key", (certs / (cert + ".key")).string(), "-i", client_id};
  }
  run_result tls_pub(const std::string& cert, const std::string& client_id, const std::string& topic,
                     const std::string& message, std::vector<std::string> more = {}) const {
    auto argv = tls("/usr/bin/mosquitto_pub", cert, client_id);
    for (auto s : {std::string("-t"), topic, std::string("-m"), message, std::string("-q"), std::string("1")})
      argv.push_back(s);
    argv.insert(argv.end(), more.begin(), more.end());
    return run(argv, 20s);
  }
  run_result tcp_pub(const std::string& topic, const std::string& message) const {
    return run({"/usr/bin/mosquitto_pub", "-p", std::to_string(lambkin->mqtt_port()), "-i", "tcp-pub", "-t", topic,
                "-m", message, "-q", "1"},
               20s);
  }
  /// A plain-TCP subscriber (unrestricted) printing "topic payload" for `count` messages.
  std::unique_ptr<child_process> tcp_sub(const std::string& filter, int count) const {
    auto sub = std::make_unique<child_process>(std::vector<std::string>{
        "/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", std::to_string(lambkin->mqtt_port()), "-i",
        "observer", "-t", filter, "-v", "-C", std::to_string(count), "-W", "20"});
    REQUIRE(wait_for_stdout(*sub, "received SUBACK", 10s));
    return sub;
  }
};

}  // namespace

TEST_CASE("a device's certificate: connect as its thing, publish, subscribe and receive under its topics") {
  fixture f;
  auto observer = f.tcp_sub("things/#", 1);
  const auto pub = f.tls_pub("dev-1", "dev-1", "things/dev-1/temperature", "21.5");
  REQUIRE_MESSAGE(pub.code == 0, pub.err);
  REQUIRE(observer->wait(20s) == 0);
  CHECK(observer->out().find("things/dev-1/temperature 21.5") != std::string::npos);

  // The same client id (the policy allows no other), after the publisher is gone.
  std::vector<std::string> sub_argv = f.tls("/usr/bin/mosquitto_sub", "dev-1", "dev-1");
  for (auto s : {"-d", "-t", "things/dev-1/cmd", "-v", "-C", "1", "-W", "20"}) sub_argv.emplace_back(s);
  sub_argv.insert(sub_argv.begin(), {"/usr/bin/stdbuf", "-oL"});
  child_process device_sub(sub_argv);
  REQUIRE_MESSAGE(wait_for_stdout(device_sub, "received SUBACK", 10s), device_sub.err());
  REQUIRE(f.tcp_pub("things/dev-1/cmd", "on").code == 0);
  REQUIRE(device_sub.wait(20s) == 0);
  CHECK(device_sub.out().find("things/dev-1/cmd on") != std::string::npos);

  // ${iot:ClientId}: the device may publish to clients/<its client id>.
  CHECK(f.tls_pub("dev-1", "dev-1", "clients/dev-1", "x").code == 0);
  CHECK(f.lambkin->stop() == 0);
}

TEST_CASE("refused at CONNECT: a client id that is not the certificate's thing, an INACTIVE certificate, no policy") {
  fixture f;
  const auto wrong_id = f.tls_pub("dev-1", "intruder", "things/dev-1/temperature", "1");
  CHECK(wrong_id.code != 0);
  CHECK(wrong_id.err.find("not authorised") != std::string::npos);
  const auto inactive = f.tls_pub("dev-2", "dev-2", "things/dev-2/temperature", "1", {"-V", "mqttv5"});
  CHECK(inactive.code != 0);
  CHECK(inactive.err.find("Not authorized") != std::string::npos);
  const auto no_policy = f.tls_pub("dev-3", "dev-3", "things/dev-3/temperature", "1");
  CHECK(no_policy.code != 0);
  CHECK(no_policy.err.find("not authorised") != std::string::npos);
  CHECK(f.lambkin->stop() == 0);
  const auto log = f.lambkin->log();
  CHECK(log.find("not authorized: client_id=intruder action=iot:Connect resource=arn:aws:iot:us-east-1:123456789012:client/intruder") !=
        std::string::npos);
  CHECK(log.find("is INACTIVE") != std::string::npos);
  CHECK(log.find("no policy is attached to certificate") != std::string::npos);
}

TEST_CASE("publish outside the policy: 3.1.1 is disconnected, MQTT 5 gets PUBACK Not authorized, an explicit Deny wins") {
  fixture f;
  auto observer = f.tcp_sub("things/#", 1);
  const auto v311 = f.tls_pub("dev-1", "dev-1", "things/dev-2/temperature", "stolen");
  CHECK(v311.code != 0);
  const auto v5 = f.tls_pub("dev-1", "dev-1", "things/dev-2/temperature", "stolen", {"-V", "mqttv5"});
  CHECK(v5.err.find("Not authorized") != std::string::npos);
  // Allowed by things/dev-1/*, denied by things/*/forbidden: the Deny wins.
  const auto denied = f.tls_pub("dev-1", "dev-1", "things/dev-1/forbidden", "stolen", {"-V", "mqttv5"});
  CHECK(denied.err.find("Not authorized") != std::string::npos);
  // None of them reached the observer: the first message it gets is this one.
  REQUIRE(f.tls_pub("dev-1", "dev-1", "things/dev-1/ok", "fine").code == 0);
  REQUIRE(observer->wait(20s) == 0);
  CHECK(observer->out().find("things/dev-1/ok fine") != std::string::npos);
  CHECK(observer->out().find("stolen") == std::string::npos);
  CHECK(f.lambkin->stop() == 0);
  CHECK(f.lambkin->log().find("action=iot:Publish resource=arn:aws:iot:us-east-1:123456789012:topic/things/dev-1/forbidden") !=
        std::string::npos);
}

TEST_CASE("subscribe outside the policy is refused (MQTT 5: SUBACK Not authorized), a denied Receive is not delivered") {
  fixture f;
  auto refused_argv = f.tls("/usr/bin/mosquitto_sub", "dev-1", "dev-1");
  for (auto s : {"-V", "mqttv5", "-t", "things/dev-2/#", "-C", "1", "-W", "20"}) refused_argv.emplace_back(s);
  const auto refused = run(refused_argv, 25s);
  CHECK(refused.err.find("denied") != std::string::npos);

  std::vector<std::string> sub_argv = f.tls("/usr/bin/mosquitto_sub", "dev-1", "dev-1");
  for (auto s : {"-d", "-t", "things/dev-1/#", "-v", "-C", "1", "-W", "20"}) sub_argv.emplace_back(s);
  sub_argv.insert(sub_argv.begin(), {"/usr/bin/stdbuf", "-oL"});
  child_process device_sub(sub_argv);
  REQUIRE_MESSAGE(wait_for_stdout(device_sub, "received SUBACK", 10s), device_sub.err());
  REQUIRE(f.tcp_pub("things/dev-1/private", "secret").code == 0);
  REQUIRE(f.tcp_pub("things/dev-1/public", "hello").code == 0);
  REQUIRE(device_sub.wait(20s) == 0);
  CHECK(device_sub.out().find("things/dev-1/public hello") != std::string::npos);
  CHECK(device_sub.out().find("secret") == std::string::npos);
  CHECK(f.lambkin->stop() == 0);
  const auto log = f.lambkin->log();
  CHECK(log.find("action=iot:Subscribe resource=arn:aws:iot:us-east-1:123456789012:topicfilter/things/dev-2/#") !=
        std::string::npos);
  CHECK(log.find("action=iot:Receive resource=arn:aws:iot:us-east-1:123456789012:topic/things/dev-1/private") !=
        std::string::npos);
}

TEST_CASE("--require-auth: a connection without a client certificate is refused when the template has policies") {
  fixture f({"--require-auth"});
  const auto tcp = run({"/usr/bin/mosquitto_pub", "-p", std::to_string(f.lambkin->mqtt_port()), "-i", "anon", "-t",
                        "things/x", "-m", "1"},
                       20s);
  CHECK(tcp.code != 0);
  CHECK(tcp.err.find("not authorised") != std::string::npos);
  CHECK(f.tls_pub("dev-1", "dev-1", "things/dev-1/t", "1").code == 0);
  CHECK(f.lambkin->stop() == 0);
}

TEST_CASE("the will: published when iot:Publish allows its topic, dropped and logged when not") {
  fixture f;
  auto observer = f.tcp_sub("#", 2);
  // A device that vanishes (SIGKILL) with a will on a topic its policy lets it publish to…
  auto device = [&](const std::string& will_topic) {
    auto argv = f.tls("/usr/bin/mosquitto_sub", "dev-1", "dev-1");
    argv.insert(argv.end(), {"-d", "-t", "things/dev-1/cmd", "--will-topic", will_topic, "--will-payload",
                             "will on " + will_topic});
    argv.insert(argv.begin(), {"/usr/bin/stdbuf", "-oL"});
    auto p = std::make_unique<child_process>(argv);
    REQUIRE_MESSAGE(wait_for_stdout(*p, "received SUBACK", 10s), p->err());
    p->signal(SIGKILL);
    p->wait(10s);
  };
  device("things/dev-1/status");
  // …and one with a will outside it: the will is not published; the denial is logged.
  device("status/dev-1");
  REQUIRE(wait_for_stderr(f.lambkin->process(),
                          "not authorized: client_id=dev-1 action=iot:Publish "
                          "resource=arn:aws:iot:us-east-1:123456789012:topic/status/dev-1",
                          20s));
  REQUIRE(f.tcp_pub("after/wills", "done").code == 0);
  REQUIRE(observer->wait(20s) == 0);
  CHECK(observer->out().find("things/dev-1/status will on things/dev-1/status") != std::string::npos);
  CHECK(observer->out().find("after/wills done") != std::string::npos);
  CHECK(observer->out().find("will on status/dev-1") == std::string::npos);
  CHECK(f.lambkin->stop() == 0);
}

namespace {

/// Connect as the certificate's subject CN; publish under org/<subject O>/<CN>/ and
/// issuer/<issuer CN>/; a second Organization value that the certificates lack resolves to nothing.
std::string certificate_template(const std::filesystem::path& certs) {
  return R"(Resources:
  ByCertificate:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iot:Connect
            Resource: "arn:aws:iot:*:*:client/${iot:Certificate.Subject.CommonName}"
          - Effect: Allow
            Action: iot:Publish
            Resource:
              - "arn:aws:iot:*:*:topic/org/${iot:Certificate.Subject.Organization}/${iot:Certificate.Subject.CommonName}/*"
              - "arn:aws:iot:*:*:topic/issuer/${iot:Certificate.Issuer.CommonName}"
              - "arn:aws:iot:*:*:topic/second/${iot:Certificate.Subject.Organization.1}"
  Dev1Cert:
    Type: AWS::IoT::Certificate
    Properties:
      CertificatePem: file://)" + certs.string() + R"(/dev-1.pem
      Status: ACTIVE
  Dev1Policy:
    Type: AWS::IoT::PolicyPrincipalAttachment
    Properties:
      PolicyName: !Ref ByCertificate
      Principal: !GetAtt Dev1Cert.Arn
)";
}

}  // namespace

TEST_CASE("certificate variables Subject.CommonName, Subject.Organization, Issuer.CommonName from the device certificate") {
  fixture f({}, certificate_template);  // dev-1.pem: subject O=lambkin, CN=dev-1; issuer CN=lambkin local CA
  auto observer = f.tcp_sub("#", 2);
  const auto wrong_id = f.tls_pub("dev-1", "dev-2", "org/lambkin/dev-2/t", "1");
  CHECK(wrong_id.code != 0);
  CHECK(wrong_id.err.find("not authorised") != std::string::npos);
  const auto org = f.tls_pub("dev-1", "dev-1", "org/lambkin/dev-1/t", "by subject", {"-V", "mqttv5"});
  CHECK_MESSAGE(org.code == 0, org.err);
  const auto other_org = f.tls_pub("dev-1", "dev-1", "org/acme/dev-1/t", "not mine", {"-V", "mqttv5"});
  CHECK(other_org.err.find("Not authorized") != std::string::npos);
  const auto second = f.tls_pub("dev-1", "dev-1", "second/lambkin", "no second O", {"-V", "mqttv5"});
  CHECK(second.err.find("Not authorized") != std::string::npos);
  const auto issuer = f.tls_pub("dev-1", "dev-1", "issuer/lambkin local CA", "by issuer", {"-V", "mqttv5"});
  CHECK_MESSAGE(issuer.code == 0, issuer.err);
  REQUIRE(observer->wait(20s) == 0);
  CHECK(observer->out().find("org/lambkin/dev-1/t by subject") != std::string::npos);
  CHECK(observer->out().find("issuer/lambkin local CA by issuer") != std::string::npos);
  CHECK(f.lambkin->stop() == 0);
}
