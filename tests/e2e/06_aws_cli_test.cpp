// The AWS CLI (Debian's awscli, v2) against lambkin's AWS endpoint: a client we did not write.
#include "e2e/aws_cli.hpp"
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::aws_cli;
using lambkin::test::aws_cli_path;
using lambkin::test::cli_result;
using lambkin::test::lambkin_instance;

namespace {

cli_result aws(unsigned short port, std::vector<std::string> args) { return aws_cli(port, std::move(args)); }

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("aws lambda invoke works unchanged against lambkin") {
  REQUIRE_MESSAGE(std::filesystem::exists(aws_cli_path), "scripts/setup installs awscli");
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
