// AWS::IoT::Policy, ::Certificate, ::Thing and their attachments (issue 11).
#include "emulator/config/summary.hpp"
#include "emulator/config/template_loader.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

// Not a real certificate: the id is the SHA-256 of the DER the PEM body decodes to ("hello").
const std::string hello_id = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

const std::string iot_template = R"(Resources:
  Device:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          Effect: Allow
          Action: [iot:Connect, iot:Publish]
          Resource: "arn:aws:iot:*:*:client/${iot:ClientId}"
  AsJson:
    Type: AWS::IoT::Policy
    Properties:
      PolicyName: json-policy
      PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iot:*","Resource":"*"}]}'
  Cert:
    Type: AWS::IoT::Certificate
    Properties:
      Status: INACTIVE
      CertificatePem: |
        -----BEGIN CERTIFICATE-----
        aGVs
        bG8=
        -----END CERTIFICATE-----
  Sensor:
    Type: AWS::IoT::Thing
    Properties:
      AttributePayload:
        Attributes: {site: paris}
  SensorCert:
    Type: AWS::IoT::ThingPrincipalAttachment
    Properties:
      ThingName: !Ref Sensor
      Principal: !GetAtt Cert.Arn
  DeviceCert:
    Type: AWS::IoT::PolicyPrincipalAttachment
    Properties:
      PolicyName: !Ref Device
      Principal: !GetAtt Cert.Arn
  Literal:
    Type: AWS::IoT::PolicyPrincipalAttachment
    Properties:
      PolicyName: !Ref AsJson
      Principal: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:cert/abc"
Outputs:
  CertId:
    Value: !Ref Cert
)";

}  // namespace

TEST_CASE("policies (a map or a JSON string), certificates by PEM, things and attachments") {
  const auto t = load_ok(load_text(iot_template));
  REQUIRE(t.iot_policies.size() == 2);
  CHECK(t.iot_policies[0].name == "Device");  // no PolicyName: the logical id
  CHECK(t.iot_policies[0].document.find(R"("Resource":"arn:aws:iot:*:*:client/${iot:ClientId}")") != std::string::npos);
  CHECK(t.iot_policies[1].name == "json-policy");
  REQUIRE(t.iot_certificates.size() == 1);
  CHECK(t.iot_certificates[0].id == hello_id);
  CHECK(t.iot_certificates[0].status == "INACTIVE");
  REQUIRE(t.iot_things.size() == 1);
  CHECK(t.iot_things[0].name == "Sensor");
  CHECK(t.iot_things[0].attributes.at("site") == "paris");
  REQUIRE(t.iot_policy_attachments.size() == 2);
  CHECK(t.iot_policy_attachments[0].target == "Device");
  CHECK(t.iot_policy_attachments[0].principal == "arn:aws:iot:us-east-1:123456789012:cert/" + hello_id);
  CHECK(t.iot_policy_attachments[1].target == "json-policy");
  CHECK(t.iot_policy_attachments[1].principal == "arn:aws:iot:us-east-1:123456789012:cert/abc");
  REQUIRE(t.iot_thing_attachments.size() == 1);
  CHECK(t.iot_thing_attachments[0].target == "Sensor");
  REQUIRE(t.outputs.size() == 1);
  CHECK(t.outputs[0].value == hello_id);  // !Ref of a certificate is its id

  const auto summary = format_summary(t);
  CHECK(summary.find("IoT policies (2)") != std::string::npos);
  CHECK(summary.find("IoT certificates (1)") != std::string::npos);
  CHECK(summary.find(hello_id) != std::string::npos);
}

TEST_CASE("mistakes are reported at their line and column with the element's path") {
  std::string bad = iot_template;
  bad.replace(bad.find("Effect: Allow"), 13, "Effect: Allwo");
  bad.replace(bad.find("aGVs"), 4, "a!Vs");
  bad.replace(bad.find("!Sub \"arn:aws:iot:${AWS::Region}"), 5, "\"arn:aws:iam::1:user/x\" #");
  const auto errors = errors_of(load_text(bad));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].find(":8:19: Resources.Device.Properties.PolicyDocument.Statement.Effect: must be Allow or Deny") !=
        std::string::npos);
  CHECK(errors[1].find("Resources.Cert.Properties.CertificatePem: the PEM certificate's body is not valid base64") !=
        std::string::npos);
  CHECK(errors[2].find("Resources.Literal.Properties.Principal: must be a certificate ARN") != std::string::npos);
}

TEST_CASE("CertificatePem file:// is read relative to the template, a missing file is an error") {
  const auto errors = errors_of(load_text(R"(Resources:
  Cert:
    Type: AWS::IoT::Certificate
    Properties:
      Status: ACTIVE
      CertificatePem: file://no-such/dev-1.pem
)"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find(":6:23: Resources.Cert.Properties.CertificatePem: cannot read ") != std::string::npos);
  CHECK(errors[0].find("no-such/dev-1.pem") != std::string::npos);
}
