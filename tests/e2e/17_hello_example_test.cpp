// examples/hello: the lecture's Hello World (AWS SDK v2, `s3.listBuckets().promise()`), unchanged,
// run by `lambkin run` and invoked with the AWS CLI's `aws lambda invoke`. The SDK comes from
// lambkin's Node runtime (runtime/nodejs/sdk, installed by scripts/npm-deps).
#include "e2e/aws_cli.hpp"
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

using lambkin::test::aws_cli;
using lambkin::test::lambkin_instance;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The example's template, with its CodeUri made absolute (lambkin_instance writes it elsewhere).
std::string hello_template() {
  const std::filesystem::path dir = std::string(LAMBKIN_SOURCE_DIR) + "/examples/hello";
  auto text = slurp(dir / "template.yaml");
  const std::string relative = "CodeUri: hello-world/";
  const auto at = text.find(relative);
  REQUIRE(at != std::string::npos);
  return text.replace(at, relative.size(), "CodeUri: " + (dir / "hello-world").string());
}

}  // namespace

TEST_CASE("the lecture's Hello World runs unchanged: aws lambda invoke gets lambkin's bucket list") {
  REQUIRE_MESSAGE(std::filesystem::exists(std::string(LAMBKIN_SOURCE_DIR) + "/runtime/nodejs/sdk/node_modules/aws-sdk"),
                  "scripts/npm-deps installs runtime/nodejs/sdk");
  lambkin_instance lk(hello_template());
  lambkin::test::temp_dir dir;
  const auto out = dir.path() / "out.json";
  auto r = aws_cli(lk.aws_port(), {"lambda", "invoke", "--function-name", "HelloWorld", out.string()});
  INFO(r.err);
  INFO(lk.log());
  REQUIRE(r.code == 0);
  const auto meta = boost::json::parse(r.out).as_object();
  CHECK(meta.at("StatusCode") == 200);
  const auto body = boost::json::parse(slurp(out)).as_object();
  INFO(slurp(out));
  // The template's bucket, created at start, is in the list SDK v2 got from lambkin's S3 API.
  CHECK_FALSE(meta.contains("FunctionError"));
  REQUIRE(body.at("Buckets").is_array());
  CHECK(slurp(out).find(R"("Name":"lambkin-hello-lecture")") != std::string::npos);
  CHECK(body.contains("Owner"));
}
