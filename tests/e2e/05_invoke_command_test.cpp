// `lambkin invoke TEMPLATE FUNCTION`: one local invocation, like `sam local invoke` without Docker.
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <fstream>

using lambkin::test::lambkin_exe;
using lambkin::test::run;

namespace {
std::string write_template(const lambkin::test::temp_dir& dir) {
  const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";
  const auto path = (dir.path() / "template.yaml").string();
  std::ofstream(path) << "Transform: AWS::Serverless-2016-10-31\nResources:\n"
                         "  Echo:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                         "      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: " << data << "node-basic\n"
                         "  Fails:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                         "      FunctionName: fails-fn\n      Runtime: nodejs20.x\n      Handler: index.handler\n"
                         "      CodeUri: " << data << "node-error\n";
  return path;
}
}  // namespace

TEST_CASE("lambkin invoke prints the answer on stdout and the REPORT line on stderr, exit 0") {
  lambkin::test::temp_dir dir;
  const auto tmpl = write_template(dir);
  const auto event = (dir.path() / "event.json").string();
  std::ofstream(event) << R"({"city":"Oslo"})";
  auto r = run({lambkin_exe(), "invoke", tmpl, "Echo", "--event", event});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find(R"("event":{"city":"Oslo"})") != std::string::npos);
  CHECK(r.err.find("INIT_START Runtime Version: nodejs:20") != std::string::npos);
  CHECK(r.err.find("REPORT RequestId: ") != std::string::npos);
  CHECK(r.err.find("Init Duration: ") != std::string::npos);
}

TEST_CASE("lambkin invoke exits 1 on a function error, finds functions by logical id, names unknown ones") {
  lambkin::test::temp_dir dir;
  const auto tmpl = write_template(dir);
  auto failed = run({lambkin_exe(), "invoke", tmpl, "Fails"});
  CHECK(failed.code == 1);
  CHECK(failed.out.find(R"("errorType":"TypeError")") != std::string::npos);
  auto by_name = run({lambkin_exe(), "invoke", tmpl, "fails-fn"});
  CHECK(by_name.code == 1);
  auto unknown = run({lambkin_exe(), "invoke", tmpl, "Nope"});
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("no function named Nope (functions: Echo fails-fn)") != std::string::npos);
}
