#include "emulator/io/lambda/environment_variables.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace lambkin::io::lambda {
namespace {

constexpr std::string_view dummy_session_token = "lambkin-dummy-session-token";

bool is_managed_runtime(std::string_view runtime) {
  return !runtime.empty() && !runtime.starts_with("provided");
}

void put(environment_list& out, std::string_view key, std::string_view value) {
  out.emplace_back(std::string(key), std::string(value));
}

// The user's value of `key` (the last one in template order), or nullptr.
const std::string* user_value(const environment_list& user, std::string_view key) {
  for (auto it = user.rbegin(); it != user.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

}  // namespace

bool is_reserved_key(std::string_view key) noexcept {
  static constexpr std::array<std::string_view, 14> reserved{
      "_HANDLER",          "_X_AMZN_TRACE_ID",      "AWS_REGION",         "AWS_DEFAULT_REGION",
      "AWS_EXECUTION_ENV", "AWS_ACCESS_KEY_ID",     "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_ACCESS_KEY",    "LAMBDA_TASK_ROOT",      "LAMBDA_RUNTIME_DIR", "TZ",
      "AWS_ENDPOINT_URL",  "TMPDIR"};
  return key.starts_with("AWS_LAMBDA_") || std::find(reserved.begin(), reserved.end(), key) != reserved.end();
}

environment_list lambda_environment(const environment_inputs& in) {
  environment_list env;
  // Platform variables, in the order of a real dump (reference §1.6).
  put(env, "AWS_LAMBDA_RUNTIME_API", in.runtime_api);
  put(env, "_HANDLER", in.handler);
  put(env, "LAMBDA_TASK_ROOT", in.task_root);
  if (!in.runtime_dir.empty()) put(env, "LAMBDA_RUNTIME_DIR", in.runtime_dir);
  put(env, "AWS_LAMBDA_FUNCTION_NAME", in.function_name);
  put(env, "AWS_LAMBDA_FUNCTION_VERSION", in.version);
  put(env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(in.memory_mb));
  put(env, "AWS_LAMBDA_LOG_GROUP_NAME",
      in.log_group.empty() ? "/aws/lambda/" + in.function_name : in.log_group);
  put(env, "AWS_LAMBDA_LOG_STREAM_NAME", in.log_stream);
  put(env, "AWS_LAMBDA_INITIALIZATION_TYPE", in.initialization_type);
  put(env, "AWS_REGION", in.region);
  put(env, "AWS_DEFAULT_REGION", in.region);
  if (is_managed_runtime(in.runtime)) put(env, "AWS_EXECUTION_ENV", "AWS_Lambda_" + in.runtime);
  put(env, "AWS_ACCESS_KEY_ID", in.access_key_id.empty() ? dummy_access_key : std::string_view(in.access_key_id));
  put(env, "AWS_SECRET_ACCESS_KEY",
      in.secret_access_key.empty() ? dummy_secret_key : std::string_view(in.secret_access_key));
  put(env, "AWS_SESSION_TOKEN", dummy_session_token);
  put(env, "TZ", ":UTC");
  put(env, "AWS_ENDPOINT_URL", in.aws_endpoint_url);
  put(env, "TMPDIR", in.tmp_dir);

  // Unreserved defaults: the user's value replaces them in place.
  const std::array<std::pair<std::string_view, std::string>, 3> defaults{{
      {"LANG", "en_US.UTF-8"},
      {"PATH", in.host_path.empty() ? "/usr/local/bin:/usr/bin:/bin" : in.host_path},
      {"HOME", in.tmp_dir},
  }};
  for (const auto& [key, value] : defaults) {
    const std::string* mine = user_value(in.user, key);
    put(env, key, mine ? *mine : value);
  }
  if (!in.node_sdk_path.empty()) {
    const std::string* mine = user_value(in.user, "LAMBKIN_NODE_SDK_PATH");
    put(env, "LAMBKIN_NODE_SDK_PATH", mine ? *mine : in.node_sdk_path);
  }
  if (!in.node_extra_ca_certs.empty() && in.runtime.starts_with("nodejs")) {
    const std::string* mine = user_value(in.user, "NODE_EXTRA_CA_CERTS");
    put(env, "NODE_EXTRA_CA_CERTS", mine ? *mine : in.node_extra_ca_certs);
  }
  if (!in.node_extra_ca_certs.empty()) {  // every runtime: botocore and the AWS CLI read it
    const std::string* mine = user_value(in.user, "AWS_CA_BUNDLE");
    put(env, "AWS_CA_BUNDLE", mine ? *mine : in.node_extra_ca_certs);
  }

  // The user's variables: reserved ones dropped, duplicates resolved to the last value.
  for (const auto& kv : in.user) {
    const std::string& key = kv.first;
    if (is_reserved_key(key)) continue;
    const bool taken = std::any_of(env.begin(), env.end(), [&](const auto& e) { return e.first == key; });
    if (!taken) put(env, key, *user_value(in.user, key));
  }
  return env;
}

std::string log_stream_name(std::string_view version, std::chrono::system_clock::time_point now,
                            std::uint64_t hi, std::uint64_t lo) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(now)};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d/%02u/%02u/", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(lo));
  return std::string(buf) + "[" + std::string(version) + "]" + hex;
}

std::size_t user_environment_bytes(const environment_list& user) noexcept {
  std::size_t n = 0;
  for (const auto& [key, value] : user) n += key.size() + value.size();
  return n;
}

}  // namespace lambkin::io::lambda
