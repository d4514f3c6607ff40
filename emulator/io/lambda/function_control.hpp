#pragma once
// The control-plane view of one live function (reference/lambda.md §4.1, §5): the values
// `function_host` hands the Lambda API of the AWS endpoint, which turns them into AWS's JSON.
#include "emulator/io/lambda/code_package.hpp"
#include "lambkin/config.hpp"
#include "lambkin/error.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::io::lambda {

/// An expected control-plane error: the AWS exception (through errc, error.hpp maps it) and
/// AWS's message for it.
struct api_error {
  errc code{};
  std::string message;
};

/// `result.value()` on an error (a bug: callers test first) throws std::system_error.
[[noreturn]] void throw_exception_from_error(const api_error& e, const boost::source_location& loc);

template <class T>
using api_result = boost::system::result<T, api_error>;

/// What one version is made of. `$LATEST` gets a new record on every change; published ones
/// never change.
struct version_record {
  /// Code directory (the live one for `$LATEST`, a private copy for published versions), memory,
  /// timeout, environment, handler, runtime.
  config::function_config config;
  code_digest code;
  std::string description;
  /// `2019-08-14T22:26:11.234+0000`, as the Lambda API writes it.
  std::string last_modified;
  /// A UUID, new with every change (AWS's RevisionId).
  std::string revision_id;
};

/// A version by name; `record` stays valid until the function's next configuration change.
struct version_info {
  std::string name;
  const version_record* record = nullptr;
};

/// UpdateFunctionConfiguration's settable fields (nullopt: unchanged), already validated.
struct configuration_update {
  std::optional<int> memory_mb;
  std::optional<int> timeout_seconds;
  std::optional<std::vector<std::pair<std::string, std::string>>> environment;
  std::optional<std::string> description;
};

/// An alias as GetAlias shows it.
struct alias_info {
  std::string name;
  std::string version;
  std::string description;
  std::string revision_id;
};

/// A provisioned concurrency configuration and how far its environments got.
struct provisioned_info {
  /// The alias or version number it was put on.
  std::string qualifier;
  std::uint32_t requested = 0;
  /// Environments initialised (idle or busy).
  std::uint32_t available = 0;
  /// Environments started (initialising, idle or busy).
  std::uint32_t allocated = 0;
  /// IN_PROGRESS until `available == requested`, then READY; FAILED after repeated init failures.
  std::string status;
  std::string status_reason;
  std::string last_modified;
};

/// PutFunctionEventInvokeConfig's fields (nullopt: AWS's default / none).
struct event_invoke_update {
  std::optional<int> max_retry_attempts;
  std::optional<int> max_event_age_seconds;
  std::optional<std::string> on_success;
  std::optional<std::string> on_failure;
};

/// A function's async invocation settings as GetFunctionEventInvokeConfig shows them.
struct event_invoke_info {
  /// The function's ARN qualified with the qualifier it was put on (`$LATEST` by default).
  std::string function_arn;
  int max_retry_attempts = 2;
  int max_event_age_seconds = 21600;
  std::string on_success;
  std::string on_failure;
  /// Seconds since the epoch (the API's `LastModified` timestamp).
  double last_modified = 0;
};

}  // namespace lambkin::io::lambda
