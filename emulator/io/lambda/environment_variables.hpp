#pragma once
// The environment a function's runtime process starts with (reference/lambda.md §1.6), built as
// an ordered list from plain inputs so it can be tested without spawning anything.
//
// Thread safety: free functions without shared state.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::io::lambda {

/// The credentials functions get unless `--require-auth` configures others: they only have to
/// look like credentials so that the AWS SDKs sign requests instead of hunting for real ones.
inline constexpr std::string_view dummy_access_key = "ASIALAMBKINEXAMPLE00";
inline constexpr std::string_view dummy_secret_key = "lambkin/dummy/secret/access/key/0000000000";

/// `KEY=value` pairs in the order the process sees them.
using environment_list = std::vector<std::pair<std::string, std::string>>;

/// What `lambda_environment` needs; every field is copied verbatim unless noted.
struct environment_inputs {
  std::string function_name;
  /// `$LATEST` or a version number (never an alias).
  std::string version = "$LATEST";
  int memory_mb = 128;
  /// The handler string (free-form for `provided*` runtimes).
  std::string handler;
  /// `nodejs20.x`, `python3.12`, `provided.al2023`…: managed runtimes get `AWS_EXECUTION_ENV`.
  std::string runtime;
  /// `host:port` of this environment's Runtime API listener.
  std::string runtime_api;
  /// `on-demand` or `provisioned-concurrency`.
  std::string initialization_type = "on-demand";
  std::string region = "us-east-1";
  /// lambkin's AWS endpoint, e.g. `http://127.0.0.1:4566`.
  std::string aws_endpoint_url;
  /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`; empty: lambkin's dummy pair (`dummy_access_key`).
  /// `lambkin run --require-auth` passes its first configured key, so the SDK's requests verify.
  std::string access_key_id, secret_access_key;
  /// Empty: `/aws/lambda/<function_name>`.
  std::string log_group;
  /// `YYYY/MM/DD/[<version>]<32 hex>`; see `log_stream_name`.
  std::string log_stream;
  /// The code directory (`LAMBDA_TASK_ROOT`, also the cwd).
  std::string task_root;
  /// Where lambkin's runtime bootstraps live (`LAMBDA_RUNTIME_DIR`); empty: not set.
  std::string runtime_dir;
  /// The environment's private temp directory (`TMPDIR`; also the default `HOME`).
  std::string tmp_dir;
  /// The host's PATH, so that `node` and `python3` are found; empty: `/usr/local/bin:/usr/bin:/bin`.
  std::string host_path;
  /// Where the Node.js runtime finds the AWS SDKs lambkin provides (`LAMBKIN_NODE_SDK_PATH`,
  /// searched after the function's own node_modules); empty: not set.
  std::string node_sdk_path;
  /// The CA of lambkin's HTTPS endpoint (`--https-ca`): NODE_EXTRA_CA_CERTS for Node runtimes and
  /// AWS_CA_BUNDLE for every runtime, each unless the function sets its own; empty: not set.
  std::string node_extra_ca_certs;
  /// The template's variables, in template order (a later duplicate wins).
  environment_list user;
};

/// The full environment of a runtime process:
///  - Lambda's variables of §1.6: `AWS_LAMBDA_RUNTIME_API`, `_HANDLER`, `LAMBDA_TASK_ROOT`,
///    `LAMBDA_RUNTIME_DIR`, `AWS_LAMBDA_FUNCTION_NAME`/`_VERSION`/`_MEMORY_SIZE`,
///    `AWS_LAMBDA_LOG_GROUP_NAME`/`_STREAM_NAME`, `AWS_LAMBDA_INITIALIZATION_TYPE`, `AWS_REGION`,
///    `AWS_DEFAULT_REGION`, `AWS_EXECUTION_ENV` (managed runtimes only: `AWS_Lambda_<runtime>`),
///    `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (the inputs' or the dummy pair), a dummy
///    `AWS_SESSION_TOKEN` (signed by the SDKs, never validated), `TZ=:UTC`;
///  - lambkin's own: `AWS_ENDPOINT_URL` (so the AWS SDK talks to lambkin) and `TMPDIR`;
///  - defaults a user may override, as on AWS: `LANG=en_US.UTF-8`, `PATH` (the host's), and
///    `HOME` = the private temp dir (so the SDK never reads the developer's `~/.aws`); and
///    lambkin's `LAMBKIN_NODE_SDK_PATH` when `node_sdk_path` is set;
///  - then the user's variables. Reserved keys (`is_reserved_key`) and lambkin's own are dropped
///    from the user's list: the platform's value wins, as in AWS's precedence. Nothing of the
///    host's environment leaks in except PATH.
/// The 4 KB limit on user variables is checked by the template loader; see `user_environment_bytes`.
environment_list lambda_environment(const environment_inputs& in);

/// True for keys Lambda refuses from users (§1.6) and keys lambkin sets itself
/// (`AWS_ENDPOINT_URL`, `TMPDIR`).
bool is_reserved_key(std::string_view key) noexcept;

/// `YYYY/MM/DD/[<version>]<32 lowercase hex>` for the UTC date of `now`; the hex digits are the
/// 128 bits `hi`,`lo` (callers pass random bits).
std::string log_stream_name(std::string_view version, std::chrono::system_clock::time_point now,
                            std::uint64_t hi, std::uint64_t lo);

/// Size of user variables as AWS counts it against the 4 KB limit: keys plus values.
std::size_t user_environment_bytes(const environment_list& user) noexcept;
inline constexpr std::size_t user_environment_limit = 4096;

}  // namespace lambkin::io::lambda
