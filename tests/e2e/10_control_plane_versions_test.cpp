// The Lambda control plane on a live `lambkin run`: versions and aliases, configuration updates,
// provisioned concurrency — each checked by what the next invocations do.
#include "e2e/control_plane_support.hpp"
#include "emulator/core/text/base64.hpp"

#include <doctest/doctest.h>

using lambkin::test::count_of;
using lambkin::test::lambkin_instance;
using namespace lambkin::test::control_plane;

TEST_CASE("control plane: PublishVersion snapshots the unpublished version, aliases route invocations to a version") {
  lambkin_instance lk(template_for({env_fn()}));
  const std::string fn = "/2015-03-31/functions/Env";
  auto v1 = expect(lk.request(bhttp::verb::post, fn + "/versions", "{}"), 201);
  CHECK(v1.at("Version") == "1");
  CHECK(str(v1.at("FunctionArn")) == arn_prefix + "Env:1");
  // Nothing changed since: no new version.
  CHECK(expect(lk.request(bhttp::verb::post, fn + "/versions", "{}"), 201).at("Version") == "1");

  expect(lk.request(bhttp::verb::put, fn + "/configuration", R"({"Environment":{"Variables":{"GREETING":"two"}}})"),
         200);
  auto v2 = expect(lk.request(bhttp::verb::post, fn + "/versions", R"({"Description":"second"})"), 201);
  CHECK(v2.at("Version") == "2");
  CHECK(v2.at("Description") == "second");
  CHECK(v2.at("Environment").at("Variables").at("GREETING") == "two");
  auto versions = expect(lk.request(bhttp::verb::get, fn + "/versions"), 200).at("Versions").as_array();
  REQUIRE(versions.size() == 3);
  CHECK(versions[0].at("Version") == "$LATEST");
  CHECK(str(versions[0].at("FunctionArn")) == arn_prefix + "Env:$LATEST");
  CHECK(versions[1].at("Environment").at("Variables").at("GREETING") == "one");

  auto alias = expect(lk.request(bhttp::verb::post, fn + "/aliases", R"({"Name":"live","FunctionVersion":"1"})"), 201);
  CHECK(str(alias.at("AliasArn")) == arn_prefix + "Env:live");
  CHECK(alias.at("FunctionVersion") == "1");
  CHECK(expect_error(lk.request(bhttp::verb::post, fn + "/aliases", R"({"Name":"live","FunctionVersion":"1"})"), 409,
                     "ResourceConflictException") == "Alias already exists: " + arn_prefix + "Env:live");
  expect_error(lk.request(bhttp::verb::post, fn + "/aliases", R"({"Name":"next","FunctionVersion":"9"})"), 404,
               "ResourceNotFoundException");
  expect_error(lk.request(bhttp::verb::post, fn + "/aliases", R"({"Name":"42","FunctionVersion":"1"})"), 400,
               "ValidationException");

  auto through_alias = lk.invoke("Env:live", "{}");
  REQUIRE(through_alias.result_int() == 200);
  CHECK(through_alias["X-Amz-Executed-Version"] == "1");
  CHECK(json_of(through_alias.body()).at("greeting") == "one");
  CHECK(json_of(through_alias.body()).at("version") == "1");
  auto by_query = lk.request(bhttp::verb::post, fn + "/invocations?Qualifier=live", "{}");
  CHECK(by_query["X-Amz-Executed-Version"] == "1");
  auto latest = lk.invoke("Env", "{}");
  CHECK(latest["X-Amz-Executed-Version"] == "$LATEST");
  CHECK(json_of(latest.body()).at("greeting") == "two");

  CHECK(expect(lk.request(bhttp::verb::put, fn + "/aliases/live", R"({"FunctionVersion":"2"})"), 200)
            .at("FunctionVersion") == "2");
  auto moved = lk.invoke("Env:live", "{}");
  CHECK(moved["X-Amz-Executed-Version"] == "2");
  CHECK(json_of(moved.body()).at("greeting") == "two");
  CHECK(expect(lk.request(bhttp::verb::get, fn + "/aliases"), 200).at("Aliases").as_array().size() == 1);
  CHECK(expect(lk.request(bhttp::verb::get, fn + "?Qualifier=live"), 200).at("Configuration").at("Version") == "2");

  expect(lk.request(bhttp::verb::delete_, fn + "/aliases/live"), 204);
  CHECK(lk.invoke("Env:live", "{}").result_int() == 404);
  CHECK(expect_error(lk.request(bhttp::verb::get, fn + "/aliases/live"), 404, "ResourceNotFoundException") ==
        "Cannot find alias arn: " + arn_prefix + "Env:live");
}

TEST_CASE("control plane: UpdateFunctionConfiguration replaces the unpublished version, the next invoke is cold") {
  lambkin_instance lk(template_for({env_fn()}));
  const std::string config = "/2015-03-31/functions/Env/configuration";
  auto cold = json_of(lk.invoke("Env", "{}").body());
  CHECK(cold.at("served") == 1);
  CHECK(cold.at("greeting") == "one");
  CHECK(cold.at("memory") == "128");
  CHECK(json_of(lk.invoke("Env", "{}").body()).at("served") == 2);
  CHECK(count_of(lk.log(), "INIT_START") == 1);

  auto updated = expect(lk.request(bhttp::verb::put, config,
                                   R"({"MemorySize":256,"Timeout":10,"Environment":{"Variables":{"GREETING":"three"}}})"),
                        200);
  CHECK(updated.at("MemorySize") == 256);
  CHECK(updated.at("Timeout") == 10);
  CHECK(updated.at("Version") == "$LATEST");
  CHECK(updated.at("Environment").at("Variables").at("GREETING") == "three");
  CHECK(lk.log().find("Env: configuration updated (memory 256 MB, timeout 10 s, 1 variables), new $LATEST; 1 idle "
                      "environments retired") != std::string::npos);

  auto after = json_of(lk.invoke("Env", "{}").body());
  CHECK(after.at("served") == 1);  // a new environment
  CHECK(after.at("greeting") == "three");
  CHECK(after.at("memory") == "256");
  CHECK(count_of(lk.log(), "INIT_START") == 2);
  CHECK(lk.log().find("Memory Size: 256 MB") != std::string::npos);

  CHECK(expect_error(lk.request(bhttp::verb::put, config, R"({"MemorySize":64})"), 400, "ValidationException") ==
        "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value "
        "greater than or equal to 128");
  expect_error(lk.request(bhttp::verb::put, config, R"({"Timeout":0})"), 400, "ValidationException");
  CHECK(expect_error(lk.request(bhttp::verb::put, config, R"({"Environment":{"Variables":{"AWS_REGION":"x"}}})"), 400,
                     "InvalidParameterValueException")
            .ends_with("Reserved keys used in this request: AWS_REGION"));
  CHECK(expect_error(lk.request(bhttp::verb::put, config,
                                R"({"Environment":{"Variables":{"BIG":")" + std::string(5000, 'x') + R"("}}})"),
                     400, "InvalidParameterValueException")
            .find("exceeded the 4KB limit") != std::string::npos);
  expect_error(lk.request(bhttp::verb::put, config, R"({"Environment":{"Variables":{"X":"1"}}})"), 400,
               "ValidationException");
  expect_error(lk.request(bhttp::verb::put, "/2015-03-31/functions/Nope/configuration", "{}"), 404,
               "ResourceNotFoundException");
  // Refused changes changed nothing.
  CHECK(expect(lk.request(bhttp::verb::get, config), 200).at("MemorySize") == 256);
  CHECK(json_of(lk.invoke("Env", "{}").body()).at("served") == 2);
}

TEST_CASE("control plane: provisioned concurrency on an alias, its first invoke is not cold") {
  lambkin_instance lk(template_for({env_fn("      AutoPublishAlias: live\n")}));
  const std::string pc = "/2019-09-30/functions/Env/provisioned-concurrency";
  CHECK(expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/Env/aliases/live"), 200).at("FunctionVersion") ==
        "1");
  CHECK(expect_error(lk.request(bhttp::verb::put, pc + "?Qualifier=%24LATEST", R"({"ProvisionedConcurrentExecutions":1})"),
                     400, "InvalidParameterValueException") ==
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
  CHECK(expect_error(lk.request(bhttp::verb::get, pc + "?Qualifier=live"), 404,
                     "ProvisionedConcurrencyConfigNotFoundException") ==
        "No Provisioned Concurrency Config found for this function");
  expect_error(lk.request(bhttp::verb::put, pc + "?Qualifier=nope", R"({"ProvisionedConcurrentExecutions":1})"), 404,
               "ResourceNotFoundException");

  auto put = expect(lk.request(bhttp::verb::put, pc + "?Qualifier=live", R"({"ProvisionedConcurrentExecutions":1})"),
                    202);
  CHECK(put.at("RequestedProvisionedConcurrentExecutions") == 1);
  CHECK(put.at("AllocatedProvisionedConcurrentExecutions") == 1);
  CHECK(put.at("AvailableProvisionedConcurrentExecutions") == 0);
  CHECK(put.at("Status") == "IN_PROGRESS");
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "Env: provisioned concurrency on live READY (1 environments)",
                                         std::chrono::seconds(20)));
  auto ready = expect(lk.request(bhttp::verb::get, pc + "?Qualifier=live"), 200);
  CHECK(ready.at("Status") == "READY");
  CHECK(ready.at("AvailableProvisionedConcurrentExecutions") == 1);
  auto all = expect(lk.request(bhttp::verb::get, pc + "?List=ALL"), 200);
  CHECK(str(all.at("ProvisionedConcurrencyConfigs").at(0).at("FunctionArn")) == arn_prefix + "Env:live");

  // The alias's first invocation runs on the provisioned environment: warm, no Init Duration.
  auto first = lk.invoke("Env:live", "{}", {{"X-Amz-Log-Type", "Tail"}});
  REQUIRE(first.result_int() == 200);
  CHECK(first["X-Amz-Executed-Version"] == "1");
  const auto body = json_of(first.body());
  CHECK(body.at("initializationType") == "provisioned-concurrency");
  CHECK(body.at("served") == 1);
  const auto tail = lambkin::text::base64_decode(std::string(first["X-Amz-Log-Result"]));
  REQUIRE(tail);
  CHECK(tail->find("REPORT RequestId: ") != std::string::npos);
  CHECK(tail->find("Init Duration") == std::string::npos);
  CHECK(count_of(lk.log(), "INIT_START") == 1);
  // $LATEST is not provisioned: cold, on demand.
  CHECK(json_of(lk.invoke("Env", "{}").body()).at("initializationType") == "on-demand");
  CHECK(count_of(lk.log(), "INIT_START") == 2);

  expect(lk.request(bhttp::verb::delete_, pc + "?Qualifier=live"), 204);
  expect_error(lk.request(bhttp::verb::get, pc + "?Qualifier=live"), 404, "ProvisionedConcurrencyConfigNotFoundException");

  // Provisioned concurrency lives inside reserved concurrency.
  expect(lk.request(bhttp::verb::put, "/2017-10-31/functions/Env/concurrency", R"({"ReservedConcurrentExecutions":1})"),
         200);
  expect_error(lk.request(bhttp::verb::put, pc + "?Qualifier=1", R"({"ProvisionedConcurrentExecutions":2})"), 400,
               "InvalidParameterValueException");
}

