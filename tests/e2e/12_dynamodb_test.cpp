// DynamoDB on lambkin through Debian's AWS CLI v2 (`aws dynamodb …`): a client we did not write,
// against a real `lambkin run` whose template declares the table.
#include "e2e/aws_cli.hpp"
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::aws_cli;
using lambkin::test::child_process;
using lambkin::test::cli_result;
using lambkin::test::lambkin_instance;
using lambkin::test::temp_dir;
namespace json = boost::json;

namespace {

const std::string readings_template = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Readings:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Readings
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: deviceId, AttributeType: S}
        - {AttributeName: ts, AttributeType: N}
      KeySchema:
        - {AttributeName: deviceId, KeyType: HASH}
        - {AttributeName: ts, KeyType: RANGE}
  Devices:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: id, Type: String}
)";

cli_result ddb(unsigned short port, std::vector<std::string> args) {
  args.insert(args.begin(), "dynamodb");
  return aws_cli(port, std::move(args));
}

json::value ok(unsigned short port, std::vector<std::string> args) {
  auto r = ddb(port, std::move(args));
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return r.out.empty() ? json::value() : json::parse(r.out);
}

std::string put(const std::string& device, int ts, double t) {
  return R"({"deviceId":{"S":")" + device + R"("},"ts":{"N":")" + std::to_string(ts) + R"("},"temperature":{"N":")" +
         std::to_string(t) + R"("}})";
}

/// `lambkin run` on a data directory of the test's choosing (to restart on the same one).
class run_on_dir {
 public:
  run_on_dir(const std::filesystem::path& dir, std::vector<std::string> extra = {}) {
    std::ofstream(dir / "template.yaml") << readings_template;
    const auto ready = dir / ("ready-" + std::to_string(++runs_) + ".json");
    std::vector<std::string> argv{lambkin::test::lambkin_exe(), "run", (dir / "template.yaml").string(), "--aws-port", "0",
                                  "--mqtt-port", "0", "--ws-port", "0", "--ready-file", ready.string(), "--data-dir",
                                  (dir / "data").string()};
    for (auto& e : extra) argv.push_back(std::move(e));
    process_ = std::make_unique<child_process>(std::move(argv));
    REQUIRE_MESSAGE(lambkin::test::wait_for_file(ready, *process_, std::chrono::seconds(30)), process_->err());
    std::ifstream in(ready);
    std::stringstream s;
    s << in.rdbuf();
    port_ = static_cast<unsigned short>(json::parse(s.str()).at("aws").as_int64());
  }
  ~run_on_dir() {
    process_->signal(SIGTERM);
    process_->wait(std::chrono::seconds(10));
  }
  unsigned short port() const { return port_; }

 private:
  static inline int runs_ = 0;
  std::unique_ptr<child_process> process_;
  unsigned short port_ = 0;
};

}  // namespace

TEST_CASE("aws dynamodb: the template's tables exist at start, items go in and come back") {
  lambkin_instance lk(readings_template);
  const auto port = lk.aws_port();
  auto tables = ok(port, {"list-tables"});
  CHECK(json::serialize(tables.at("TableNames")) == R"(["Devices","Readings"])");
  auto described = ok(port, {"describe-table", "--table-name", "Readings"});
  CHECK(described.at("Table").at("TableStatus") == "ACTIVE");
  CHECK(described.at("Table").at("KeySchema").as_array().size() == 2);

  for (int ts = 1; ts <= 5; ++ts) ok(port, {"put-item", "--table-name", "Readings", "--item", put("dev-1", ts, 20 + ts)});
  auto item = ok(port, {"get-item", "--table-name", "Readings", "--key", R"({"deviceId":{"S":"dev-1"},"ts":{"N":"3"}})"});
  CHECK(item.at("Item").at("temperature").at("N") == "23");

  auto q = ok(port, {"query", "--table-name", "Readings", "--key-condition-expression", "deviceId = :d AND ts BETWEEN :a AND :b",
                     "--expression-attribute-values", R"({":d":{"S":"dev-1"},":a":{"N":"2"},":b":{"N":"4"}})",
                     "--no-scan-index-forward"});
  CHECK(q.at("Count") == 3);
  CHECK(q.at("Items").as_array()[0].at("ts").at("N") == "4");

  // The CLI pages through with ExclusiveStartKey itself when told a page size.
  auto all = ok(port, {"scan", "--table-name", "Readings", "--page-size", "2"});
  CHECK(all.at("Count") == 5);

  auto updated = ok(port, {"update-item", "--table-name", "Readings", "--key", R"({"deviceId":{"S":"dev-1"},"ts":{"N":"1"}})",
                           "--update-expression", "SET temperature = temperature + :d", "--expression-attribute-values",
                           R"({":d":{"N":"0.5"}})", "--return-values", "UPDATED_NEW"});
  CHECK(updated.at("Attributes").at("temperature").at("N") == "21.5");

  ok(port, {"delete-item", "--table-name", "Readings", "--key", R"({"deviceId":{"S":"dev-1"},"ts":{"N":"1"}})"});
  CHECK(ok(port, {"scan", "--table-name", "Readings", "--select", "COUNT"}).at("Count") == 4);
}

TEST_CASE("aws dynamodb: errors arrive as the AWS CLI names them") {
  lambkin_instance lk(readings_template);
  const auto port = lk.aws_port();
  ok(port, {"put-item", "--table-name", "Readings", "--item", put("dev-1", 1, 20)});
  auto r = ddb(port, {"put-item", "--table-name", "Readings", "--item", put("dev-1", 1, 21), "--condition-expression",
                      "attribute_not_exists(deviceId)"});
  CHECK(r.code != 0);
  CHECK(r.err.find("ConditionalCheckFailedException") != std::string::npos);
  CHECK(r.err.find("The conditional request failed") != std::string::npos);
  r = ddb(port, {"get-item", "--table-name", "Missing", "--key", R"({"id":{"S":"x"}})"});
  CHECK(r.err.find("ResourceNotFoundException") != std::string::npos);
  r = ddb(port, {"put-item", "--table-name", "Readings", "--item", R"({"deviceId":{"S":""},"ts":{"N":"1"}})"});
  CHECK(r.err.find("ValidationException") != std::string::npos);
  CHECK(r.err.find("cannot contain an empty string value. Key: deviceId") != std::string::npos);
  r = ddb(port, {"transact-write-items", "--transact-items",
                 R"([{"ConditionCheck":{"TableName":"Readings","Key":{"deviceId":{"S":"dev-1"},"ts":{"N":"1"}},)"
                 R"J("ConditionExpression":"attribute_not_exists(deviceId)"}},)J"
                 R"({"Put":{"TableName":"Devices","Item":{"id":{"S":"dev-1"}}}}])"});
  CHECK(r.err.find("TransactionCanceledException") != std::string::npos);
  CHECK(r.err.find("[ConditionalCheckFailed, None]") != std::string::npos);
  CHECK(ok(port, {"scan", "--table-name", "Devices"}).at("Count") == 0);
}

TEST_CASE("aws dynamodb: tables created over the API, batches, TTL") {
  lambkin_instance lk(readings_template);
  const auto port = lk.aws_port();
  ok(port, {"create-table", "--table-name", "Sessions", "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST"});
  ok(port, {"batch-write-item", "--request-items",
            R"({"Sessions":[{"PutRequest":{"Item":{"id":{"S":"a"},"exp":{"N":"1"}}}},)"
            R"({"PutRequest":{"Item":{"id":{"S":"b"},"exp":{"N":"99999999999"}}}}]})"});
  auto got = ok(port, {"batch-get-item", "--request-items", R"({"Sessions":{"Keys":[{"id":{"S":"a"}},{"id":{"S":"b"}}]}})"});
  CHECK(got.at("Responses").at("Sessions").as_array().size() == 2);
  ok(port, {"update-time-to-live", "--table-name", "Sessions", "--time-to-live-specification", "Enabled=true,AttributeName=exp"});
  auto ttl = ok(port, {"describe-time-to-live", "--table-name", "Sessions"});
  CHECK(ttl.at("TimeToLiveDescription").at("TimeToLiveStatus") == "ENABLED");
  // "a" expired in 1970: invisible at once.
  CHECK(ok(port, {"scan", "--table-name", "Sessions"}).at("Count") == 1);
  ok(port, {"delete-table", "--table-name", "Sessions"});
  CHECK(json::serialize(ok(port, {"list-tables"}).at("TableNames")) == R"(["Devices","Readings"])");
}

TEST_CASE("lambkin run: items survive a restart, --reset starts empty") {
  temp_dir dir;
  {
    run_on_dir first(dir.path());
    ok(first.port(), {"put-item", "--table-name", "Readings", "--item", put("dev-9", 1, 19)});
  }
  {
    run_on_dir second(dir.path());
    CHECK(ok(second.port(), {"scan", "--table-name", "Readings"}).at("Count") == 1);
  }
  run_on_dir reset(dir.path(), {"--reset"});
  CHECK(ok(reset.port(), {"scan", "--table-name", "Readings"}).at("Count") == 0);
  CHECK(json::serialize(ok(reset.port(), {"list-tables"}).at("TableNames")) == R"(["Devices","Readings"])");
}

TEST_CASE("lambkin run --data-dir :memory: keeps tables in memory") {
  temp_dir dir;
  std::ofstream(dir.path() / "template.yaml") << readings_template;
  const auto ready = dir.path() / "ready.json";
  child_process p({lambkin::test::lambkin_exe(), "run", (dir.path() / "template.yaml").string(), "--aws-port", "0",
                   "--mqtt-port", "0", "--ws-port", "0", "--ready-file", ready.string(), "--data-dir", ":memory:"});
  REQUIRE_MESSAGE(lambkin::test::wait_for_file(ready, p, std::chrono::seconds(30)), p.err());
  std::ifstream in(ready);
  std::stringstream s;
  s << in.rdbuf();
  const auto port = static_cast<unsigned short>(json::parse(s.str()).at("aws").as_int64());
  ok(port, {"put-item", "--table-name", "Devices", "--item", R"({"id":{"S":"x"}})"});
  CHECK(ok(port, {"scan", "--table-name", "Devices"}).at("Count") == 1);
  p.signal(SIGTERM);
  CHECK(p.wait(std::chrono::seconds(10)) == 0);
  CHECK_FALSE(std::filesystem::exists(":memory:"));
}
