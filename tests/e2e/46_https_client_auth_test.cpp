// HTTPS details of issue 11 item 5: `--https-client-ca` (mutual TLS on the HTTP API, as API
// Gateway's) reached with curl --cert/--key, refused at the handshake without a certificate or with
// one another CA signed; and AWS_CA_BUNDLE, which a Python function uses with the standard
// library's ssl to reach lambkin's AWS endpoint over HTTPS.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <cctype>
#include <fstream>
#include <iterator>

using lambkin::test::lambkin_instance;
using lambkin::test::run_result;
using lambkin::test::temp_dir;

namespace {

/// `lambkin certs DIR --devices dev-1`: ca.pem, server.pem/.key, dev-1.pem/.key.
std::filesystem::path make_certs(const temp_dir& dir, const std::string& name) {
  const auto path = dir.path() / name;
  auto made = lambkin::test::run({lambkin::test::lambkin_exe(), "certs", path.string(), "--devices", "dev-1"});
  REQUIRE_MESSAGE(made.code == 0, made.err);
  return path;
}

/// A Python function on GET /probe that fetches `/_lambkin/health` from AWS_ENDPOINT_URL with
/// urllib: with an ssl context built on AWS_CA_BUNDLE, and with the default trust store.
std::string stack_template(const std::filesystem::path& code) {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n"
         "  Probe:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: Probe\n"
         "      Runtime: python3.12\n      Handler: app.handler\n      Timeout: 30\n      CodeUri: " +
         code.string() +
         "\n      Events:\n        Probe:\n          Type: HttpApi\n          Properties:\n"
         "            Path: /probe\n            Method: GET\n";
}

void write_function(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "app.py") << R"(import json, os, ssl, urllib.request

def fetch(context):
    url = os.environ['AWS_ENDPOINT_URL'] + '/_lambkin/health'
    try:
        with urllib.request.urlopen(url, context=context, timeout=20) as r:
            return {'status': r.status}
    except Exception as e:
        return {'error': type(e).__name__ + ': ' + str(e)}

def handler(event, context):
    bundle = os.environ.get('AWS_CA_BUNDLE', '')
    result = {'endpoint': os.environ['AWS_ENDPOINT_URL'], 'bundle': bundle,
              'with_bundle': fetch(ssl.create_default_context(cafile=bundle)) if bundle else None,
              'default_trust': fetch(ssl.create_default_context())}
    if 'requestContext' in event:
        result['authentication'] = event['requestContext'].get('authentication')
        return {'statusCode': 200, 'body': json.dumps(result)}
    return result
)";
}

/// `openssl x509 -in PEM -noout FLAG -nameopt RFC2253`'s answer after its `name=` prefix.
std::string openssl_field(const std::filesystem::path& pem, const std::string& flag) {
  auto r = lambkin::test::run({"/usr/bin/openssl", "x509", "-in", pem.string(), "-noout", flag, "-nameopt", "RFC2253"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  auto line = r.out.substr(0, r.out.find('\n'));
  return line.substr(line.find('=') + 1);
}

/// `0A1B…` (openssl's serial) as API Gateway writes it: `0a:1b:…`.
std::string colon_hex(std::string hex) {
  if (hex.size() % 2) hex.insert(0, "0");
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    if (i) out += ':';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i])));
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i + 1])));
  }
  return out;
}

run_result curl(std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/bin/curl", "-s", "-S", "-i", "--max-time", "30"};
  for (auto& a : args) argv.push_back(std::move(a));
  return lambkin::test::run(std::move(argv));
}

}  // namespace

TEST_CASE("--https-client-ca: the HTTP API takes only client certificates its CA signed, AWS_CA_BUNDLE for Python") {
  temp_dir dir;
  const auto certs = make_certs(dir, "certs");
  const auto other = make_certs(dir, "other");  // another CA, its own dev-1
  write_function(dir.path() / "probe");
  lambkin_instance lk(stack_template(dir.path() / "probe"),
                      {"--https-cert", (certs / "server.pem").string(), "--https-key", (certs / "server.key").string(),
                       "--https-ca", (certs / "ca.pem").string(), "--https-client-ca", (certs / "ca.pem").string()});
  REQUIRE(lk.http_port() != 0);
  const auto ca = (certs / "ca.pem").string();
  const auto route = "https://127.0.0.1:" + std::to_string(lk.http_port()) + "/probe";
  const auto aws_url = "https://127.0.0.1:" + std::to_string(lk.aws_port());

  SUBCASE("curl with the device certificate gets the route; the Python function reached HTTPS with AWS_CA_BUNDLE") {
    auto ok = curl({"--cacert", ca, "--cert", (certs / "dev-1.pem").string(), "--key", (certs / "dev-1.key").string(),
                    route});
    REQUIRE_MESSAGE(ok.code == 0, ok.err);
    REQUIRE(ok.out.starts_with("HTTP/1.1 200"));
    const auto body = boost::json::parse(ok.out.substr(ok.out.find("\r\n\r\n") + 4));
    CHECK(body.at("endpoint").as_string() == aws_url);
    CHECK(body.at("bundle").as_string() == std::filesystem::absolute(ca).string());
    CHECK_MESSAGE(body.at("with_bundle").as_object().contains("status"), ok.out);
    CHECK(body.at("with_bundle").at("status").as_int64() == 200);
    // Without the bundle, the standard trust store does not know lambkin's CA.
    CHECK(std::string(body.at("default_trust").at("error").as_string()).find("CERTIFICATE_VERIFY_FAILED") !=
          std::string::npos);
    // The event carries the client's certificate as API Gateway's does, checked against openssl's reading.
    const auto device = certs / "dev-1.pem";
    REQUIRE_MESSAGE(body.at("authentication").is_object(), ok.out);
    const auto& cert = body.at("authentication").at("clientCert");
    CHECK(cert.at("subjectDN").as_string() == openssl_field(device, "-subject"));
    CHECK(cert.at("issuerDN").as_string() == openssl_field(device, "-issuer"));
    CHECK(cert.at("issuerDN").as_string() == openssl_field(certs / "ca.pem", "-subject"));
    CHECK(cert.at("serialNumber").as_string() == colon_hex(openssl_field(device, "-serial")));
    CHECK(cert.at("validity").at("notBefore").as_string() == openssl_field(device, "-startdate"));
    CHECK(cert.at("validity").at("notAfter").as_string() == openssl_field(device, "-enddate"));
    std::ifstream in(device);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(cert.at("clientCertPem").as_string() == pem);
  }

  SUBCASE("no client certificate, or one another CA signed: the handshake fails, nothing is served") {
    auto none = curl({"--cacert", ca, route});
    CHECK(none.code != 0);
    CHECK(none.out.find("HTTP/1.1") == std::string::npos);
    auto foreign = curl({"--cacert", ca, "--cert", (other / "dev-1.pem").string(), "--key",
                         (other / "dev-1.key").string(), route});
    CHECK(foreign.code != 0);
    CHECK(foreign.out.find("HTTP/1.1") == std::string::npos);
    CHECK(lambkin::test::wait_for_stderr(lk.process(), "TLS handshake with 127.0.0.1", std::chrono::seconds(10), 2));
    // The AWS endpoint asks for no client certificate (functions and SDKs reach it without one).
    auto health = curl({"--cacert", ca, aws_url + "/_lambkin/health"});
    REQUIRE_MESSAGE(health.code == 0, health.err);
    CHECK(health.out.starts_with("HTTP/1.1 200"));
    CHECK(lk.process().running());
  }
}

TEST_CASE("--https-client-ca with an unreadable file: a clear error naming it, exit 1") {
  temp_dir dir;
  const auto certs = make_certs(dir, "certs");
  write_function(dir.path() / "probe");
  const auto tmpl = dir.path() / "template.yaml";
  std::ofstream(tmpl) << stack_template(dir.path() / "probe");
  const auto missing = (dir.path() / "missing.pem").string();
  auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "run", tmpl.string(), "--aws-port", "0", "--mqtt-port",
                               "0", "--ws-port", "0", "--http-port", "0", "--data-dir", ":memory:", "--status",
                               "never", "--https-cert", (certs / "server.pem").string(), "--https-key",
                               (certs / "server.key").string(), "--https-client-ca", missing},
                              std::chrono::seconds(30));
  CHECK(r.code == 1);
  CHECK_MESSAGE(r.err.find("--https-client-ca " + missing + ": No such file or directory") != std::string::npos, r.err);
}
