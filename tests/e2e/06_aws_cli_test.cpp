// The AWS CLI (Debian's awscli, v2) against lambkin's AWS endpoint: a client we did not write.
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::child_process;
using lambkin::test::lambkin_instance;

namespace {

const std::string aws_cli = "/usr/bin/aws";

struct cli_result {
  int code;
  std::string out, err;
};

cli_result aws(unsigned short port, std::vector<std::string> args) {
  std::vector<std::string> argv{aws_cli};
  for (auto& a : args) argv.push_back(std::move(a));
  argv.push_back("--endpoint-url");
  argv.push_back("http://127.0.0.1:" + std::to_string(port));
  child_process p(std::move(argv), {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
                                    "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null",
                                    "AWS_SHARED_CREDENTIALS_FILE=/dev/null"});
  const auto code = p.wait(std::chrono::seconds(60));
  return {code.value_or(-1), p.out(), p.err()};
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("aws lambda invoke works unchanged against lambkin") {
  REQUIRE_MESSAGE(std::filesystem::exists(aws_cli), "scripts/setup installs awscli");
  const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";
  lambkin_instance lk("Transform: AWS::Serverless-2016-10-31\nResources:\n"
                      "  Echo:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                      "      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: " + data + "node-basic\n"
                      "  Fails:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                      "      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: " + data + "node-error\n");
  lambkin::test::temp_dir dir;
  const auto out = dir.path() / "out.json";

  auto ok = aws(lk.aws_port(), {"lambda", "invoke", "--function-name", "Echo", "--cli-binary-format",
                                "raw-in-base64-out", "--payload", R"({"from":"cli"})", "--log-type", "Tail",
                                out.string()});
  INFO(ok.err);
  REQUIRE(ok.code == 0);
  auto meta = boost::json::parse(ok.out).as_object();
  CHECK(meta.at("StatusCode") == 200);
  CHECK(meta.at("ExecutedVersion") == "$LATEST");
  CHECK(meta.at("LogResult").as_string().size() > 0);
  CHECK(slurp(out).find(R"("event":{"from":"cli"})") != std::string::npos);

  auto failed = aws(lk.aws_port(), {"lambda", "invoke", "--function-name", "Fails", out.string()});
  REQUIRE(failed.code == 0);
  CHECK(boost::json::parse(failed.out).at("FunctionError") == "Unhandled");
  CHECK(slurp(out).find(R"("errorType":"TypeError")") != std::string::npos);

  auto event = aws(lk.aws_port(), {"lambda", "invoke", "--function-name", "Echo", "--invocation-type", "Event",
                                   out.string()});
  REQUIRE(event.code == 0);
  CHECK(boost::json::parse(event.out).at("StatusCode") == 202);

  auto missing = aws(lk.aws_port(), {"lambda", "invoke", "--function-name", "Nope", out.string()});
  CHECK(missing.code != 0);
  CHECK(missing.err.find("ResourceNotFoundException") != std::string::npos);
  CHECK(missing.err.find("Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope") !=
        std::string::npos);
}
