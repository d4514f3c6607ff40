// `lambkin certs DIR`, then `lambkin run --https-cert --https-key --https-ca` (issue 11 item 5):
// the AWS endpoint and the HTTP API serve HTTPS. Reached with curl --cacert, Debian's AWS CLI v2
// with --ca-bundle (DynamoDB, and a Lambda Invoke of a Node function that writes to DynamoDB with
// SDK v3 over HTTPS), refused without the CA; plain HTTP on the HTTPS port gets a plain 400 and
// lambkin keeps serving; bad flags are clear errors naming the file.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::lambkin_instance;
using lambkin::test::temp_dir;

namespace {

struct certs {
  temp_dir dir;
  std::filesystem::path ca, cert, key;
  std::string printed;
  certs() {
    auto made = lambkin::test::run({lambkin::test::lambkin_exe(), "certs", (dir.path() / "certs").string()});
    REQUIRE_MESSAGE(made.code == 0, made.err);
    printed = made.out;
    ca = dir.path() / "certs" / "ca.pem";
    cert = dir.path() / "certs" / "server.pem";
    key = dir.path() / "certs" / "server.key";
  }
};

/// A table, and a Node function on an HTTP API route that stores `event.id` with SDK v3 through
/// AWS_ENDPOINT_URL (https://…) when invoked directly, and echoes the API Gateway event otherwise.
std::string stack_template(const std::filesystem::path& code) {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n"
         "  Readings:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: Readings\n"
         "      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
         "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
         "  Store:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: Store\n"
         "      Runtime: nodejs20.x\n      Handler: index.handler\n      Timeout: 30\n      CodeUri: " +
         code.string() +
         "\n      Events:\n        Item:\n          Type: HttpApi\n          Properties:\n"
         "            Path: /items/{id}\n            Method: GET\n";
}

void write_function(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.mjs") << R"(import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
export const handler = async (event) => {
  if (event.requestContext)
    return { statusCode: 200, body: 'item ' + event.pathParameters.id + ' ' + event.headers['x-forwarded-proto'] };
  await db.send(new PutItemCommand({ TableName: 'Readings', Item: { id: { S: event.id } } }));
  return { stored: event.id, endpoint: process.env.AWS_ENDPOINT_URL, ca: process.env.NODE_EXTRA_CA_CERTS };
};
)";
}

/// `aws ARGS --endpoint-url URL [--ca-bundle CA]` with dummy keys and nothing else configured.
lambkin::test::run_result aws(const std::string& url, const std::string& ca, std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/bin/aws"};
  for (auto& a : args) argv.push_back(std::move(a));
  argv.insert(argv.end(), {"--endpoint-url", url});
  if (!ca.empty()) argv.insert(argv.end(), {"--ca-bundle", ca});
  lambkin::test::child_process p(std::move(argv), {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
                                                   "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=",
                                                   "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                                                   "AWS_MAX_ATTEMPTS=1"});
  const auto code = p.wait(std::chrono::seconds(60));
  return {code.value_or(-1), p.out(), p.err()};
}

/// curl -s -S -i ARGS: exit code, and the status line, headers and body.
lambkin::test::run_result curl(std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/bin/curl", "-s", "-S", "-i", "--max-time", "20"};
  for (auto& a : args) argv.push_back(std::move(a));
  return lambkin::test::run(std::move(argv));
}

}  // namespace

TEST_CASE("--https-cert/--https-key: curl, the AWS CLI and a Node function's SDK v3 over HTTPS, plain HTTP refused") {
  certs c;
  CHECK(c.printed.find("--https-cert " + c.cert.string() + " --https-key " + c.key.string()) != std::string::npos);
  temp_dir work;
  write_function(work.path() / "store");
  lambkin_instance lk(stack_template(work.path() / "store"),
                      {"--https-cert", c.cert.string(), "--https-key", c.key.string(), "--https-ca", c.ca.string()});
  const auto aws_url = "https://127.0.0.1:" + std::to_string(lk.aws_port());
  const auto http_url = "https://127.0.0.1:" + std::to_string(lk.http_port());
  REQUIRE(lk.http_port() != 0);
  CHECK(lk.ready().at("aws_url").as_string() == aws_url);
  CHECK(lk.ready().at("http_url").as_string() == http_url);
  CHECK(lk.log().find("AWS endpoint listening on " + aws_url) != std::string::npos);
  CHECK(lk.log().find("HTTP API listening on " + http_url) != std::string::npos);

  SUBCASE("curl --cacert: health on the AWS endpoint and a route of the HTTP API") {
    auto health = curl({"--cacert", c.ca.string(), aws_url + "/_lambkin/health"});
    REQUIRE_MESSAGE(health.code == 0, health.err);
    CHECK(health.out.starts_with("HTTP/1.1 200"));
    auto item = curl({"--cacert", c.ca.string(), http_url + "/items/i-7"});
    REQUIRE_MESSAGE(item.code == 0, item.err);
    CHECK(item.out.starts_with("HTTP/1.1 200"));
    CHECK(item.out.ends_with("item i-7 https"));  // the API Gateway event's x-forwarded-proto
    // Without the CA, curl does not trust the server (exit 60: peer certificate cannot be verified).
    CHECK(curl({aws_url + "/_lambkin/health"}).code == 60);
  }

  SUBCASE("the AWS CLI with --ca-bundle; without it, a certificate error") {
    auto tables = aws(aws_url, c.ca.string(), {"dynamodb", "list-tables"});
    REQUIRE_MESSAGE(tables.code == 0, tables.err);
    CHECK(boost::json::parse(tables.out).at("TableNames") == boost::json::parse(R"(["Readings"])"));
    auto untrusted = aws(aws_url, "", {"dynamodb", "list-tables"});
    CHECK(untrusted.code != 0);
    CHECK(untrusted.err.find("SSL") != std::string::npos);
  }

  SUBCASE("a Node function writes to DynamoDB with SDK v3 over HTTPS (AWS_ENDPOINT_URL, NODE_EXTRA_CA_CERTS)") {
    const auto out = (work.path() / "out.json").string();
    auto invoked = aws(aws_url, c.ca.string(),
                       {"lambda", "invoke", "--function-name", "Store", "--cli-binary-format", "raw-in-base64-out",
                        "--payload", R"({"id":"r-1"})", out});
    REQUIRE_MESSAGE(invoked.code == 0, invoked.err);
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    CHECK_MESSAGE(invoked.out.find("FunctionError") == std::string::npos, text.str());
    const auto result = boost::json::parse(text.str());
    CHECK(result.at("stored").as_string() == "r-1");
    CHECK(result.at("endpoint").as_string() == aws_url);
    CHECK(result.at("ca").as_string() == std::filesystem::absolute(c.ca).string());
    auto item = aws(aws_url, c.ca.string(),
                    {"dynamodb", "get-item", "--table-name", "Readings", "--key", R"({"id":{"S":"r-1"}})"});
    REQUIRE_MESSAGE(item.code == 0, item.err);
    CHECK(boost::json::parse(item.out).at("Item") == boost::json::parse(R"({"id":{"S":"r-1"}})"));
  }

  SUBCASE("plain HTTP to the HTTPS ports gets a plain 400 and the connection closes; HTTPS keeps working") {
    for (const auto& port : {lk.aws_port(), lk.http_port()}) {
      auto plain = curl({"http://127.0.0.1:" + std::to_string(port) + "/_lambkin/health"});
      REQUIRE_MESSAGE(plain.code == 0, plain.err);
      CHECK(plain.out.starts_with("HTTP/1.1 400"));
      CHECK(plain.out.find("This port serves HTTPS") != std::string::npos);
    }
    CHECK(lk.log().find("did not start with a TLS handshake") != std::string::npos);
    // A TLS client that gives up on the certificate mid-handshake: logged, nothing else happens.
    CHECK(curl({aws_url + "/_lambkin/health"}).code == 60);
    auto health = curl({"--cacert", c.ca.string(), aws_url + "/_lambkin/health"});
    REQUIRE_MESSAGE(health.code == 0, health.err);
    CHECK(health.out.starts_with("HTTP/1.1 200"));
    CHECK(lk.process().running());
  }
}

TEST_CASE("--https-cert without --https-key, or an unreadable file: a clear error naming it, exit 1") {
  certs c;
  temp_dir work;
  const auto tmpl = work.path() / "template.yaml";
  std::ofstream(tmpl) << "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: Things\n"
                         "      BillingMode: PAY_PER_REQUEST\n"
                         "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
                         "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n";
  auto run = [&](std::vector<std::string> flags) {
    std::vector<std::string> argv{lambkin::test::lambkin_exe(), "run", tmpl.string(), "--aws-port", "0",
                                  "--mqtt-port", "0", "--ws-port", "0", "--http-port", "0", "--data-dir", ":memory:",
                                  "--status", "never"};
    for (auto& f : flags) argv.push_back(std::move(f));
    return lambkin::test::run(std::move(argv), std::chrono::seconds(30));
  };
  auto alone = run({"--https-cert", c.cert.string()});
  CHECK(alone.code != 0);
  CHECK(alone.err.find("--https-key") != std::string::npos);

  const auto missing = (work.path() / "missing.pem").string();
  auto unreadable = run({"--https-cert", missing, "--https-key", c.key.string()});
  CHECK(unreadable.code == 1);
  CHECK(unreadable.err.find("--https-cert " + missing + ": No such file or directory") != std::string::npos);

  // The CA's key is a key, but not the server certificate's.
  auto mismatch = run({"--https-cert", c.cert.string(), "--https-key", (c.dir.path() / "certs" / "ca.key").string()});
  CHECK(mismatch.code == 1);
  CHECK(mismatch.err.find("does not match --https-cert") != std::string::npos);

  auto not_pem = run({"--https-cert", tmpl.string(), "--https-key", c.key.string()});
  CHECK(not_pem.code == 1);
  CHECK(not_pem.err.find("--https-cert " + tmpl.string() + ": not a PEM certificate") != std::string::npos);
}
