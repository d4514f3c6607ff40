// `lambkin run --require-auth --credentials FILE` (issue 11 item 5): SigV4 on the AWS endpoint,
// through Debian's AWS CLI v2 with the right keys, a wrong secret and an unknown key (DynamoDB,
// Lambda, S3, IoT Data), S3 presigned URLs fetched with curl (valid, tampered, expired), unsigned
// requests, a credential scope with the wrong region or service, and the same commands
// unsigned-but-accepted without --require-auth.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <fstream>

using lambkin::test::child_process;
using lambkin::test::lambkin_instance;
using lambkin::test::temp_dir;

namespace {

const std::string stack_template = std::string(R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Readings:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Readings
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: Echo
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: )") + LAMBKIN_TEST_DATA_DIR + "/functions/node-basic\n";

struct result {
  int code;
  std::string out, err;
};

/// `aws ARGS --endpoint-url …` with the given key pair and nothing else configured.
result aws(unsigned short port, const std::string& key, const std::string& secret, std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/bin/aws"};
  for (auto& a : args) argv.push_back(std::move(a));
  argv.push_back("--endpoint-url");
  argv.push_back("http://127.0.0.1:" + std::to_string(port));
  child_process p(std::move(argv), {"AWS_ACCESS_KEY_ID=" + key, "AWS_SECRET_ACCESS_KEY=" + secret,
                                    "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null",
                                    "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1"});
  const auto code = p.wait(std::chrono::seconds(60));
  return {code.value_or(-1), p.out(), p.err()};
}

/// curl -s -i URL [extra]: the status line, headers and body.
std::string curl(std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/bin/curl", "-s", "-S", "-i"};
  for (auto& a : args) argv.push_back(std::move(a));
  child_process p(std::move(argv));
  p.wait(std::chrono::seconds(30));
  return p.out();
}

constexpr const char* key1 = "AKIDLAMBKINTEST00001";
constexpr const char* secret1 = "first/secret/key";
constexpr const char* key2 = "AKIDLAMBKINTEST00002";
constexpr const char* secret2 = "second/secret/key";

}  // namespace

TEST_CASE("--require-auth: the AWS CLI gets through with a configured key and gets each service's error otherwise") {
  temp_dir dir;
  const auto creds = dir.path() / "keys";
  std::ofstream(creds) << "# test keys\n" << key1 << ":" << secret1 << "\n\n" << key2 << ":" << secret2 << "\n";
  lambkin_instance lk(stack_template, {"--require-auth", "--credentials", creds.string()});
  const auto port = lk.aws_port();

  SUBCASE("DynamoDB") {
    auto ok = aws(port, key2, secret2, {"dynamodb", "list-tables"});
    CHECK_MESSAGE(ok.code == 0, ok.err);
    CHECK(ok.out.find("Readings") != std::string::npos);
    auto bad_secret = aws(port, key1, "wrong", {"dynamodb", "list-tables"});
    CHECK(bad_secret.code != 0);
    CHECK_MESSAGE(bad_secret.err.find("InvalidSignatureException") != std::string::npos, bad_secret.err);
    auto unknown = aws(port, "AKIDUNKNOWN000000000", secret1, {"dynamodb", "list-tables"});
    CHECK(unknown.code != 0);
    CHECK_MESSAGE(unknown.err.find("UnrecognizedClientException") != std::string::npos, unknown.err);
    CHECK(unknown.err.find("The security token included in the request is invalid") != std::string::npos);
  }
  SUBCASE("Lambda") {
    const auto out = dir.path() / "out.json";
    auto ok = aws(port, key1, secret1, {"lambda", "invoke", "--function-name", "Echo", "--cli-binary-format",
                                       "raw-in-base64-out", "--payload", R"({"a":1})", out.string()});
    CHECK_MESSAGE(ok.code == 0, ok.err);
    auto bad = aws(port, key1, "wrong", {"lambda", "invoke", "--function-name", "Echo", out.string()});
    CHECK(bad.code != 0);
    CHECK_MESSAGE(bad.err.find("InvalidSignatureException") != std::string::npos, bad.err);
    auto unknown = aws(port, "AKIDUNKNOWN000000000", secret1, {"lambda", "list-functions"});
    CHECK_MESSAGE(unknown.err.find("UnrecognizedClientException") != std::string::npos, unknown.err);
  }
  SUBCASE("S3, and presigned URLs fetched with curl") {
    const auto file = dir.path() / "hello.txt";
    std::ofstream(file) << "hello, signed world";
    auto cp = aws(port, key1, secret1, {"s3", "cp", file.string(), "s3://uploads/dir/hello.txt"});
    REQUIRE_MESSAGE(cp.code == 0, cp.err);
    auto ls = aws(port, key1, secret1, {"s3", "ls", "s3://uploads/dir/"});
    CHECK_MESSAGE(ls.code == 0, ls.err);
    CHECK(ls.out.find("hello.txt") != std::string::npos);
    auto bad = aws(port, key1, "wrong", {"s3", "ls", "s3://uploads/"});
    CHECK(bad.code != 0);
    CHECK_MESSAGE(bad.err.find("SignatureDoesNotMatch") != std::string::npos, bad.err);
    auto unknown = aws(port, "AKIDUNKNOWN000000000", secret1, {"s3", "cp", file.string(), "s3://uploads/x.txt"});
    CHECK(unknown.code != 0);
    CHECK_MESSAGE(unknown.err.find("InvalidAccessKeyId") != std::string::npos, unknown.err);

    auto presign = aws(port, key1, secret1, {"s3", "presign", "s3://uploads/dir/hello.txt", "--expires-in", "300"});
    REQUIRE_MESSAGE(presign.code == 0, presign.err);
    std::string url = presign.out.substr(0, presign.out.find_last_not_of("\r\n") + 1);
    const auto got = curl({url});
    CHECK_MESSAGE(got.starts_with("HTTP/1.1 200"), got);
    CHECK(got.ends_with("hello, signed world"));
    std::string tampered = url;
    tampered.replace(tampered.find("hello.txt"), 9, "hello.TXT");
    const auto denied = curl({tampered});
    CHECK_MESSAGE(denied.starts_with("HTTP/1.1 403"), denied);
    CHECK(denied.find("<Code>SignatureDoesNotMatch</Code>") != std::string::npos);
    // The same URL dated two hours ago (its signature no longer matches either): expired first.
    const auto at = url.find("X-Amz-Date=") + 11;
    std::string old = url;
    const auto scope_date = "%2F" + url.substr(at, 8) + "%2F";
    old.replace(old.find(scope_date), scope_date.size(), "%2F20200101%2F");
    old.replace(at, 16, "20200101T000000Z");
    const auto expired = curl({old});
    CHECK_MESSAGE(expired.starts_with("HTTP/1.1 403"), expired);
    CHECK(expired.find("<Code>AccessDenied</Code><Message>Request has expired</Message>") != std::string::npos);
    const auto anonymous = curl({"http://127.0.0.1:" + std::to_string(port) + "/uploads/dir/hello.txt"});
    CHECK(anonymous.starts_with("HTTP/1.1 403"));
    CHECK(anonymous.find("<Code>AccessDenied</Code>") != std::string::npos);
  }
  SUBCASE("IoT Data") {
    auto ok = aws(port, key1, secret1, {"iot-data", "publish", "--topic", "things/a", "--payload", "aGk="});
    CHECK_MESSAGE(ok.code == 0, ok.err);
    auto bad = aws(port, key2, secret1, {"iot-data", "publish", "--topic", "things/a", "--payload", "aGk="});
    CHECK(bad.code != 0);
    CHECK_MESSAGE(bad.err.find("InvalidSignatureException") != std::string::npos, bad.err);
  }
  SUBCASE("the credential scope: a wrong --region or service gets each service's error") {
    auto dynamo = aws(port, key1, secret1, {"dynamodb", "list-tables", "--region", "eu-west-1"});
    CHECK(dynamo.code != 0);
    // (The CLI may put "(reached max retries: N)" between the operation and the message.)
    CHECK_MESSAGE(dynamo.err.find("(InvalidSignatureException) when calling the ListTables operation") != std::string::npos,
                  dynamo.err);
    CHECK_MESSAGE(dynamo.err.find("Credential should be scoped to a valid region, not 'eu-west-1'.") != std::string::npos,
                  dynamo.err);
    auto lambda = aws(port, key1, secret1, {"lambda", "list-functions", "--region", "eu-west-1"});
    CHECK(lambda.code != 0);
    CHECK_MESSAGE(lambda.err.find("(InvalidSignatureException)") != std::string::npos, lambda.err);
    CHECK(lambda.err.find("not 'eu-west-1'") != std::string::npos);
    auto iot = aws(port, key1, secret1, {"iot-data", "publish", "--topic", "a", "--payload", "aGk=", "--region", "eu-west-1"});
    CHECK_MESSAGE(iot.err.find("(InvalidSignatureException)") != std::string::npos, iot.err);
    // S3 names the region it expects (the CLI's redirect would follow it): a presigned URL shows it.
    auto presign = aws(port, key1, secret1, {"s3", "presign", "s3://uploads/x.txt", "--region", "eu-west-1"});
    REQUIRE_MESSAGE(presign.code == 0, presign.err);
    const auto s3 = curl({presign.out.substr(0, presign.out.find_last_not_of("\r\n") + 1)});
    CHECK_MESSAGE(s3.starts_with("HTTP/1.1 400"), s3);
    CHECK(s3.find("<Code>AuthorizationQueryParametersError</Code><Message>Error parsing the X-Amz-Credential "
                  "parameter; the region &apos;eu-west-1&apos; is wrong; expecting &apos;us-east-1&apos;</Message>"
                  "<Region>us-east-1</Region>") != std::string::npos);
    // curl's own SigV4 signer, scoped to the wrong service for DynamoDB.
    const auto service = curl({"-X", "POST", "--aws-sigv4", "aws:amz:us-east-1:lambda", "--user",
                               std::string(key1) + ":" + secret1, "-H", "X-Amz-Target: DynamoDB_20120810.ListTables",
                               "-H", "Content-Type: application/x-amz-json-1.0", "-d", "{}",
                               "http://127.0.0.1:" + std::to_string(port) + "/"});
    CHECK_MESSAGE(service.starts_with("HTTP/1.1 400"), service);
    CHECK(service.find(R"("__type":"com.amazon.coral.service#InvalidSignatureException")") != std::string::npos);
    CHECK(service.find("Credential should be scoped to correct service: 'dynamodb'. ") != std::string::npos);
    // The same signer with the right service gets through.
    const auto right = curl({"-X", "POST", "--aws-sigv4", "aws:amz:us-east-1:dynamodb", "--user",
                             std::string(key1) + ":" + secret1, "-H", "X-Amz-Target: DynamoDB_20120810.ListTables",
                             "-H", "Content-Type: application/x-amz-json-1.0", "-d", "{}",
                             "http://127.0.0.1:" + std::to_string(port) + "/"});
    CHECK_MESSAGE(right.starts_with("HTTP/1.1 200"), right);
  }
  SUBCASE("unsigned requests: DynamoDB's MissingAuthenticationToken, /_lambkin/ open") {
    const auto base = "http://127.0.0.1:" + std::to_string(port);
    const auto missing = curl({"-X", "POST", "-H", "X-Amz-Target: DynamoDB_20120810.ListTables", "-H",
                               "Content-Type: application/x-amz-json-1.0", "-d", "{}", base + "/"});
    CHECK_MESSAGE(missing.starts_with("HTTP/1.1 400"), missing);
    CHECK(missing.find("com.amazon.coral.service#MissingAuthenticationTokenException") != std::string::npos);
    const auto sigv2 = curl({"-H", "Authorization: AWS " + std::string(key1) + ":c2lnbmF0dXJl", base + "/uploads/"});
    CHECK(sigv2.starts_with("HTTP/1.1 400"));
    CHECK(sigv2.find("Please use AWS4-HMAC-SHA256") != std::string::npos);
    CHECK(curl({base + "/_lambkin/health"}).starts_with("HTTP/1.1 200"));
  }
}

TEST_CASE("without --require-auth any signature is accepted, as before") {
  lambkin_instance lk(stack_template);
  auto ok = aws(lk.aws_port(), "anything", "at-all", {"dynamodb", "list-tables"});
  CHECK_MESSAGE(ok.code == 0, ok.err);
  const auto anonymous = curl({"-X", "POST", "-H", "X-Amz-Target: DynamoDB_20120810.ListTables", "-H",
                               "Content-Type: application/x-amz-json-1.0", "-d", "{}",
                               "http://127.0.0.1:" + std::to_string(lk.aws_port()) + "/"});
  CHECK(anonymous.starts_with("HTTP/1.1 200"));
}

TEST_CASE("--credentials: an unreadable or malformed file stops lambkin with a clear error") {
  temp_dir dir;
  const auto bad = dir.path() / "bad";
  std::ofstream(bad) << "not a key line\n";
  const auto tmpl = dir.path() / "template.yaml";
  std::ofstream(tmpl) << "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
  child_process p({lambkin::test::lambkin_exe(), "run", tmpl.string(), "--aws-port", "0", "--mqtt-port", "0",
                   "--ws-port", "0", "--http-port", "0", "--require-auth", "--credentials", bad.string()});
  const auto code = p.wait(std::chrono::seconds(30));
  CHECK(code == 1);
  CHECK_MESSAGE(p.err().find("expected ACCESS_KEY_ID:SECRET") != std::string::npos, p.err());
}
