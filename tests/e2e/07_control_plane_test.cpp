// The Lambda control plane on a live `lambkin run`: reads, reserved concurrency, async settings —
// over raw HTTP (exact statuses, headers and bodies) and through the AWS CLI (a client we did not
// write). Versions, aliases, configuration updates and provisioned concurrency:
// 10_control_plane_versions_test.cpp.
#include "e2e/aws_cli.hpp"
#include "e2e/control_plane_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <sstream>

using lambkin::test::count_of;
using lambkin::test::lambkin_instance;
using namespace lambkin::test::control_plane;

TEST_CASE("control plane: ListFunctions, GetFunction and GetFunctionConfiguration describe the functions") {
  lambkin_instance lk(template_for(
      {env_fn("      MemorySize: 256\n      Timeout: 7\n      Environment:\n        Variables:\n          GREETING: hi\n"),
       {"Fails", "nodejs20.x", "index.handler", data + "node-error", ""}}));
  auto list = expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/"), 200);
  const auto& functions = list.at("Functions").as_array();
  REQUIRE(functions.size() == 2);
  const auto& env = functions[0].as_object();  // sorted by name: Env, Fails
  CHECK(env.at("FunctionName") == "Env");
  CHECK(str(env.at("FunctionArn")) == arn_prefix + "Env");
  CHECK(env.at("Runtime") == "nodejs20.x");
  CHECK(env.at("Handler") == "index.handler");
  CHECK(env.at("MemorySize") == 256);
  CHECK(env.at("Timeout") == 7);
  CHECK(env.at("Version") == "$LATEST");
  CHECK(env.at("Environment").at("Variables").at("GREETING") == "hi");
  CHECK(env.at("CodeSize").to_number<std::int64_t>() > 0);
  CHECK(str(env.at("CodeSha256")).size() == 44);  // base64 of 32 bytes
  CHECK(env.at("State") == "Active");
  CHECK(env.at("LastUpdateStatus") == "Successful");
  CHECK(str(env.at("LastModified")).ends_with("+0000"));
  CHECK(functions[1].at("FunctionName") == "Fails");

  auto first = expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/?MaxItems=1"), 200);
  CHECK(first.at("Functions").as_array().size() == 1);
  auto rest = expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/?MaxItems=1&Marker=" +
                                                      str(first.at("NextMarker"))),
                     200);
  CHECK(rest.at("Functions").at(0).at("FunctionName") == "Fails");
  CHECK_FALSE(rest.contains("NextMarker"));

  auto get = expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/Env"), 200);
  CHECK(get.at("Configuration").at("FunctionName") == "Env");
  CHECK(get.at("Code").at("RepositoryType") == "S3");
  CHECK(str(get.at("Code").at("Location")).starts_with("file://"));
  CHECK(str(get.at("Code").at("Location")).ends_with("node-env"));
  CHECK_FALSE(get.contains("Concurrency"));
  // By ARN, URL-encoded as the SDKs send it.
  auto by_arn = expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A"
                                                    "123456789012%3Afunction%3AEnv"),
                       200);
  CHECK(str(by_arn.at("Configuration").at("FunctionArn")) == arn_prefix + "Env");
  auto config = expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/Env/configuration"), 200);
  CHECK(config.at("MemorySize") == 256);

  CHECK(expect_error(lk.request(bhttp::verb::get, "/2015-03-31/functions/Nope"), 404, "ResourceNotFoundException") ==
        "Function not found: " + arn_prefix + "Nope");
  CHECK(expect_error(lk.request(bhttp::verb::get, "/2015-03-31/functions/Env?Qualifier=7"), 404,
                     "ResourceNotFoundException") == "Function not found: " + arn_prefix + "Env:7");
  expect_error(lk.request(bhttp::verb::delete_, "/2015-03-31/functions/Env"), 400, "UnknownOperationException");
}

TEST_CASE("control plane: reserved concurrency is checked against the account, then enforced") {
  lambkin_instance lk(template_for({{"Cpp", "provided.al2023", "echo", CPP_ECHO_DIR, "      Timeout: 10\n"}}));
  const std::string path = "/2017-10-31/functions/Cpp/concurrency";
  CHECK(expect(lk.request(bhttp::verb::get, "/2019-09-30/functions/Cpp/concurrency"), 200).empty());
  CHECK(expect_error(lk.request(bhttp::verb::put, path, R"({"ReservedConcurrentExecutions":901})"), 400,
                     "InvalidParameterValueException") ==
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below "
        "its minimum value of [100].");
  expect_error(lk.request(bhttp::verb::put, path, R"({"ReservedConcurrentExecutions":-1})"), 400, "ValidationException");
  expect_error(lk.request(bhttp::verb::put, path, "{}"), 400, "ValidationException");

  CHECK(expect(lk.request(bhttp::verb::put, path, R"({"ReservedConcurrentExecutions":1})"), 200)
            .at("ReservedConcurrentExecutions") == 1);
  CHECK(expect(lk.request(bhttp::verb::get, "/2019-09-30/functions/Cpp/concurrency"), 200)
            .at("ReservedConcurrentExecutions") == 1);
  CHECK(expect(lk.request(bhttp::verb::get, "/2015-03-31/functions/Cpp"), 200)
            .at("Concurrency")
            .at("ReservedConcurrentExecutions") == 1);

  // Now one invocation at a time: while one runs, the others get 429.
  auto slow = std::async(std::launch::async, [&] { return lk.invoke("Cpp", R"({"sleep_ms":1500})"); });
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "START RequestId", std::chrono::seconds(20)));
  for (int i = 0; i < 2; ++i) {
    auto res = lk.invoke("Cpp", "{}");
    CHECK(res.result_int() == 429);
    CHECK(json_of(res.body()).at("Reason") == "ReservedFunctionConcurrentInvocationLimitExceeded");
  }
  CHECK(slow.get().result_int() == 200);

  CHECK(expect(lk.request(bhttp::verb::delete_, path), 204).empty());
  CHECK(expect(lk.request(bhttp::verb::get, "/2019-09-30/functions/Cpp/concurrency"), 200).empty());
  CHECK(lk.invoke("Cpp", "{}").result_int() == 200);

  expect(lk.request(bhttp::verb::put, path, R"({"ReservedConcurrentExecutions":0})"), 200);
  CHECK(lk.invoke("Cpp", "{}").result_int() == 429);  // 0 throttles everything
  CHECK(lk.log().find("Cpp: reserved concurrency 0") != std::string::npos);
}

TEST_CASE("control plane: PutFunctionEventInvokeConfig changes how async events are retried and where they go") {
  lambkin_instance lk(template_for({{"Fails", "nodejs20.x", "index.handler", data + "node-error", ""}}),
                      {"--timing", "fast"});
  const std::string path = "/2019-09-25/functions/Fails/event-invoke-config";
  CHECK(expect_error(lk.request(bhttp::verb::get, path), 404, "ResourceNotFoundException")
            .find("doesn't have an EventInvokeConfig") != std::string::npos);
  auto put = expect(lk.request(bhttp::verb::put, path,
                               R"({"MaximumRetryAttempts":0,"DestinationConfig":{"OnFailure":)"
                               R"({"Destination":"arn:aws:sqs:us-east-1:123456789012:dlq"}}})"),
                    200);
  CHECK(put.at("MaximumRetryAttempts") == 0);
  CHECK(put.at("MaximumEventAgeInSeconds") == 21600);
  CHECK(str(put.at("FunctionArn")) == arn_prefix + "Fails:$LATEST");
  CHECK(put.at("DestinationConfig").at("OnFailure").at("Destination") == "arn:aws:sqs:us-east-1:123456789012:dlq");
  CHECK(expect(lk.request(bhttp::verb::get, path), 200).at("MaximumRetryAttempts") == 0);
  expect_error(lk.request(bhttp::verb::put, path, R"({"MaximumRetryAttempts":3})"), 400, "ValidationException");

  CHECK(lk.invoke("Fails", R"({"n":1})", {{"X-Amz-Invocation-Type", "Event"}}).result_int() == 202);
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "async event finished", std::chrono::seconds(20)));
  auto records = boost::json::parse(lk.request(bhttp::verb::get, "/_lambkin/destinations").body()).as_array();
  REQUIRE(records.size() == 1);
  CHECK(records[0].at("destination") == "on-failure");
  CHECK(records[0].at("record").at("requestContext").at("approximateInvokeCount") == 1);  // no retries
  CHECK(count_of(lk.log(), "START RequestId") == 1);

  auto updated = expect(lk.request(bhttp::verb::post, path, R"({"MaximumEventAgeInSeconds":120})"), 200);
  CHECK(updated.at("MaximumRetryAttempts") == 0);  // kept
  CHECK(updated.at("MaximumEventAgeInSeconds") == 120);
  CHECK(expect(lk.request(bhttp::verb::get, path + "/list"), 200).at("FunctionEventInvokeConfigs").as_array().size() ==
        1);
  expect(lk.request(bhttp::verb::delete_, path), 204);
  expect_error(lk.request(bhttp::verb::get, path), 404, "ResourceNotFoundException");
}

TEST_CASE("control plane through the AWS CLI") {
  REQUIRE_MESSAGE(std::filesystem::exists(lambkin::test::aws_cli_path), "scripts/setup installs awscli");
  lambkin_instance lk(template_for({env_fn("      Timeout: 10\n      Environment:\n        Variables:\n          GREETING: one\n"),
                                    {"Cpp", "provided.al2023", "echo", CPP_ECHO_DIR, "      Timeout: 10\n"}}));
  const auto port = lk.aws_port();
  const auto aws = [&](std::vector<std::string> args) {
    auto r = lambkin::test::aws_cli(port, std::move(args));
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r.out.empty() ? boost::json::object{} : json_of(r.out);
  };
  lambkin::test::temp_dir dir;
  const auto out = (dir.path() / "out.json").string();

  auto list = aws({"lambda", "list-functions"});
  CHECK(list.at("Functions").as_array().size() == 2);
  auto get = aws({"lambda", "get-function", "--function-name", "Env"});
  CHECK(get.at("Configuration").at("Timeout") == 10);
  CHECK(get.at("Code").at("RepositoryType") == "S3");

  // Reserved concurrency 1, then concurrent invocations are throttled.
  CHECK(aws({"lambda", "put-function-concurrency", "--function-name", "Cpp", "--reserved-concurrent-executions", "1"})
            .at("ReservedConcurrentExecutions") == 1);
  CHECK(aws({"lambda", "get-function-concurrency", "--function-name", "Cpp"}).at("ReservedConcurrentExecutions") == 1);
  // The CLI takes a while to start: the invocation it races with runs long enough.
  auto slow = std::async(std::launch::async, [&] { return lk.invoke("Cpp", R"({"sleep_ms":6000})"); });
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "START RequestId", std::chrono::seconds(20)));
  auto throttled = lambkin::test::aws_cli(port, {"lambda", "invoke", "--function-name", "Cpp", "--cli-read-timeout",
                                                 "5", out});
  CHECK(throttled.code != 0);
  CHECK(throttled.err.find("TooManyRequestsException") != std::string::npos);
  CHECK(slow.get().result_int() == 200);
  aws({"lambda", "delete-function-concurrency", "--function-name", "Cpp"});
  auto too_much = lambkin::test::aws_cli(port, {"lambda", "put-function-concurrency", "--function-name", "Cpp",
                                                "--reserved-concurrent-executions", "950"});
  CHECK(too_much.code != 0);
  CHECK(too_much.err.find("below its minimum value of [100]") != std::string::npos);

  // Versions and aliases.
  CHECK(aws({"lambda", "publish-version", "--function-name", "Env"}).at("Version") == "1");
  CHECK(str(aws({"lambda", "create-alias", "--function-name", "Env", "--name", "live", "--function-version", "1"})
                .at("AliasArn")) == arn_prefix + "Env:live");
  auto via_alias = aws({"lambda", "invoke", "--function-name", "Env", "--qualifier", "live", out});
  CHECK(via_alias.at("ExecutedVersion") == "1");
  CHECK(aws({"lambda", "list-aliases", "--function-name", "Env"}).at("Aliases").as_array().size() == 1);
  auto exists = lambkin::test::aws_cli(port, {"lambda", "create-alias", "--function-name", "Env", "--name", "live",
                                              "--function-version", "1"});
  CHECK(exists.err.find("ResourceConflictException") != std::string::npos);

  // UpdateFunctionConfiguration: a new $LATEST, cold, with the new variable.
  aws({"lambda", "invoke", "--function-name", "Env", out});
  const auto inits = count_of(lk.log(), "INIT_START");
  auto updated = aws({"lambda", "update-function-configuration", "--function-name", "Env", "--memory-size", "512",
                      "--environment", "Variables={GREETING=two}"});
  CHECK(updated.at("MemorySize") == 512);
  CHECK(aws({"lambda", "invoke", "--function-name", "Env", out}).at("ExecutedVersion") == "$LATEST");
  CHECK(count_of(lk.log(), "INIT_START") == inits + 1);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  const auto result = json_of(text.str());
  CHECK(result.at("greeting") == "two");
  CHECK(result.at("served") == 1);

  // Provisioned concurrency on the alias.
  auto pc = aws({"lambda", "put-provisioned-concurrency-config", "--function-name", "Env", "--qualifier", "live",
                 "--provisioned-concurrent-executions", "1"});
  CHECK(pc.at("RequestedProvisionedConcurrentExecutions") == 1);
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "provisioned concurrency on live READY", std::chrono::seconds(20)));
  CHECK(aws({"lambda", "get-provisioned-concurrency-config", "--function-name", "Env", "--qualifier", "live"})
            .at("Status") == "READY");

  // Async settings.
  aws({"lambda", "put-function-event-invoke-config", "--function-name", "Env", "--maximum-retry-attempts", "1"});
  CHECK(aws({"lambda", "get-function-event-invoke-config", "--function-name", "Env"}).at("MaximumRetryAttempts") == 1);
}
