#include "emulator/io/lambda/environment_variables.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

using namespace lambkin::io::lambda;

namespace {

environment_inputs sample_inputs() {
  environment_inputs in;
  in.function_name = "StoreTemperature";
  in.version = "$LATEST";
  in.memory_mb = 256;
  in.handler = "index.handler";
  in.runtime = "nodejs20.x";
  in.runtime_api = "127.0.0.1:40001";
  in.initialization_type = "on-demand";
  in.region = "eu-west-1";
  in.aws_endpoint_url = "http://127.0.0.1:4566";
  in.log_stream = "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef";
  in.task_root = "/code";
  in.runtime_dir = "/lambkin/runtime";
  in.tmp_dir = "/tmp/lambkin/env-7";
  in.host_path = "/usr/bin:/bin";
  return in;
}

const std::string* find(const environment_list& env, const std::string& key) {
  for (const auto& [k, v] : env)
    if (k == key) return &v;
  return nullptr;
}

}  // namespace

TEST_CASE("lambda_environment sets exactly Lambda's variables, in order, for a managed runtime") {
  const environment_list expected{
      {"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:40001"},
      {"_HANDLER", "index.handler"},
      {"LAMBDA_TASK_ROOT", "/code"},
      {"LAMBDA_RUNTIME_DIR", "/lambkin/runtime"},
      {"AWS_LAMBDA_FUNCTION_NAME", "StoreTemperature"},
      {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"},
      {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/StoreTemperature"},
      {"AWS_LAMBDA_LOG_STREAM_NAME", "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef"},
      {"AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"},
      {"AWS_REGION", "eu-west-1"},
      {"AWS_DEFAULT_REGION", "eu-west-1"},
      {"AWS_EXECUTION_ENV", "AWS_Lambda_nodejs20.x"},
      {"AWS_ACCESS_KEY_ID", "ASIALAMBKINEXAMPLE00"},
      {"AWS_SECRET_ACCESS_KEY", "lambkin/dummy/secret/access/key/0000000000"},
      {"AWS_SESSION_TOKEN", "lambkin-dummy-session-token"},
      {"TZ", ":UTC"},
      {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
      {"TMPDIR", "/tmp/lambkin/env-7"},
      {"LANG", "en_US.UTF-8"},
      {"PATH", "/usr/bin:/bin"},
      {"HOME", "/tmp/lambkin/env-7"},
  };
  CHECK(lambda_environment(sample_inputs()) == expected);
}

TEST_CASE("custom runtimes get no AWS_EXECUTION_ENV, explicit log group and init type are kept") {
  auto in = sample_inputs();
  in.runtime = "provided.al2023";
  in.log_group = "/custom/group";
  in.initialization_type = "provisioned-concurrency";
  in.version = "3";
  const auto env = lambda_environment(in);
  CHECK(find(env, "AWS_EXECUTION_ENV") == nullptr);
  CHECK(*find(env, "AWS_LAMBDA_LOG_GROUP_NAME") == "/custom/group");
  CHECK(*find(env, "AWS_LAMBDA_INITIALIZATION_TYPE") == "provisioned-concurrency");
  CHECK(*find(env, "AWS_LAMBDA_FUNCTION_VERSION") == "3");
}

TEST_CASE("an empty host PATH falls back to the usual directories, an empty runtime dir is not set") {
  auto in = sample_inputs();
  in.host_path.clear();
  in.runtime_dir.clear();
  const auto env = lambda_environment(in);
  CHECK(*find(env, "PATH") == "/usr/local/bin:/usr/bin:/bin");
  CHECK(find(env, "LAMBDA_RUNTIME_DIR") == nullptr);
}

TEST_CASE("user variables follow the platform's, reserved keys lose, LANG/PATH/HOME may be overridden") {
  auto in = sample_inputs();
  in.user = {{"TABLE_NAME", "temperatures"},
             {"AWS_REGION", "us-west-2"},
             {"AWS_LAMBDA_FUNCTION_NAME", "Other"},
             {"TZ", "Europe/Paris"},
             {"AWS_ENDPOINT_URL", "http://elsewhere"},
             {"TMPDIR", "/somewhere"},
             {"PATH", "/opt/bin"},
             {"LANG", "C.UTF-8"},
             {"HOME", "/home/fn"},
             {"DEBUG", "1"},
             {"TABLE_NAME", "temperatures-v2"}};
  const auto env = lambda_environment(in);
  CHECK(*find(env, "AWS_REGION") == "eu-west-1");
  CHECK(*find(env, "AWS_LAMBDA_FUNCTION_NAME") == "StoreTemperature");
  CHECK(*find(env, "TZ") == ":UTC");
  CHECK(*find(env, "AWS_ENDPOINT_URL") == "http://127.0.0.1:4566");
  CHECK(*find(env, "TMPDIR") == "/tmp/lambkin/env-7");
  CHECK(*find(env, "PATH") == "/opt/bin");
  CHECK(*find(env, "LANG") == "C.UTF-8");
  CHECK(*find(env, "HOME") == "/home/fn");
  CHECK(*find(env, "TABLE_NAME") == "temperatures-v2");
  // Each key once; user variables come last, in their first position.
  REQUIRE(env.size() == 24);
  CHECK(env[22] == std::pair<std::string, std::string>{"TABLE_NAME", "temperatures-v2"});
  CHECK(env[23] == std::pair<std::string, std::string>{"DEBUG", "1"});
}

TEST_CASE("LAMBKIN_NODE_SDK_PATH follows HOME when given, and the user's own value wins") {
  auto in = sample_inputs();
  CHECK(find(lambda_environment(in), "LAMBKIN_NODE_SDK_PATH") == nullptr);
  in.node_sdk_path = "/opt/lambkin/runtime/nodejs/sdk";
  auto env = lambda_environment(in);
  REQUIRE(find(env, "LAMBKIN_NODE_SDK_PATH") != nullptr);
  CHECK(*find(env, "LAMBKIN_NODE_SDK_PATH") == "/opt/lambkin/runtime/nodejs/sdk");
  const auto home = std::find_if(env.begin(), env.end(), [](const auto& kv) { return kv.first == "HOME"; });
  REQUIRE(home + 1 != env.end());
  CHECK((home + 1)->first == "LAMBKIN_NODE_SDK_PATH");
  in.user = {{"LAMBKIN_NODE_SDK_PATH", "/my/sdk"}};
  env = lambda_environment(in);
  CHECK(*find(env, "LAMBKIN_NODE_SDK_PATH") == "/my/sdk");
  CHECK(std::count_if(env.begin(), env.end(), [](const auto& kv) { return kv.first == "LAMBKIN_NODE_SDK_PATH"; }) == 1);
}

TEST_CASE("NODE_EXTRA_CA_CERTS (lambkin run --https-ca) for Node runtimes only, and the user's own value wins") {
  auto in = sample_inputs();
  CHECK(find(lambda_environment(in), "NODE_EXTRA_CA_CERTS") == nullptr);
  in.node_extra_ca_certs = "/certs/ca.pem";
  auto env = lambda_environment(in);
  REQUIRE(find(env, "NODE_EXTRA_CA_CERTS") != nullptr);
  CHECK(*find(env, "NODE_EXTRA_CA_CERTS") == "/certs/ca.pem");
  in.user = {{"NODE_EXTRA_CA_CERTS", "/mine.pem"}};
  env = lambda_environment(in);
  CHECK(*find(env, "NODE_EXTRA_CA_CERTS") == "/mine.pem");
  CHECK(std::count_if(env.begin(), env.end(), [](const auto& kv) { return kv.first == "NODE_EXTRA_CA_CERTS"; }) == 1);
  in.user.clear();
  in.runtime = "python3.12";
  CHECK(find(lambda_environment(in), "NODE_EXTRA_CA_CERTS") == nullptr);
}

TEST_CASE("AWS_CA_BUNDLE (lambkin run --https-ca) for every runtime, and the user's own value wins") {
  auto in = sample_inputs();
  CHECK(find(lambda_environment(in), "AWS_CA_BUNDLE") == nullptr);
  in.node_extra_ca_certs = "/certs/ca.pem";
  for (const char* runtime : {"nodejs20.x", "python3.12", "provided.al2023"}) {
    in.runtime = runtime;
    auto env = lambda_environment(in);
    REQUIRE_MESSAGE(find(env, "AWS_CA_BUNDLE") != nullptr, runtime);
    CHECK(*find(env, "AWS_CA_BUNDLE") == "/certs/ca.pem");
  }
  in.user = {{"AWS_CA_BUNDLE", "/mine.pem"}};
  auto env = lambda_environment(in);
  CHECK(*find(env, "AWS_CA_BUNDLE") == "/mine.pem");
  CHECK(std::count_if(env.begin(), env.end(), [](const auto& kv) { return kv.first == "AWS_CA_BUNDLE"; }) == 1);
}

TEST_CASE("is_reserved_key covers Lambda's list, the AWS_LAMBDA_ prefix and lambkin's own keys") {
  for (const char* key : {"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
                          "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY",
                          "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ", "AWS_LAMBDA_RUNTIME_API",
                          "AWS_LAMBDA_ANYTHING", "AWS_ENDPOINT_URL", "TMPDIR"})
    CHECK_MESSAGE(is_reserved_key(key), key);
  for (const char* key : {"PATH", "LANG", "HOME", "LD_LIBRARY_PATH", "NODE_PATH", "AWS_XRAY_CONTEXT_MISSING",
                          "AWS_ENDPOINT_URL_DYNAMODB", "TABLE"})
    CHECK_MESSAGE(!is_reserved_key(key), key);
}

TEST_CASE("log stream names are YYYY/MM/DD/[version] and 32 hex digits, in UTC") {
  using namespace std::chrono;
  const auto t = sys_days{year{2023} / December / 27} + hours{23} + minutes{59};
  CHECK(log_stream_name("$LATEST", t, 0x0123456789abcdefULL, 0xfedcba9876543210ULL) ==
        "2023/12/27/[$LATEST]0123456789abcdeffedcba9876543210");
  CHECK(log_stream_name("12", sys_days{year{2024} / March / 5}, 0, 1) ==
        "2024/03/05/[12]00000000000000000000000000000001");
}

TEST_CASE("user_environment_bytes counts keys and values") {
  CHECK(user_environment_bytes({}) == 0);
  CHECK(user_environment_bytes({{"AB", "cde"}, {"F", ""}}) == 6);
  CHECK(user_environment_limit == 4096);
}

TEST_CASE("a configured key pair (--require-auth) replaces the dummy one, the session token stays") {
  auto in = sample_inputs();
  in.access_key_id = "AKIDCONFIGURED000001";
  in.secret_access_key = "configured/secret";
  const auto env = lambda_environment(in);
  REQUIRE(find(env, "AWS_ACCESS_KEY_ID"));
  CHECK(*find(env, "AWS_ACCESS_KEY_ID") == "AKIDCONFIGURED000001");
  CHECK(*find(env, "AWS_SECRET_ACCESS_KEY") == "configured/secret");
  CHECK(*find(env, "AWS_SESSION_TOKEN") == "lambkin-dummy-session-token");
  const auto plain = lambda_environment(sample_inputs());
  CHECK(*find(plain, "AWS_ACCESS_KEY_ID") == dummy_access_key);
  CHECK(*find(plain, "AWS_SECRET_ACCESS_KEY") == dummy_secret_key);
}
