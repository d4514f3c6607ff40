#pragma once
// The platform log lines Lambda writes around each init and invocation, exactly as CloudWatch
// shows them (reference/lambda.md §3.2), in the text format and in the JSON format that
// `LoggingConfig.LogFormat: JSON` (lambkin: `--log-format json`) selects.
//
// Text (fields TAB-separated where Lambda uses tabs):
//   INIT_START Runtime Version: nodejs:20.lambkin.v1\tRuntime Version ARN: arn:aws:lambda:…
//   START RequestId: <id> Version: $LATEST
//   END RequestId: <id>
//   REPORT RequestId: <id>\tDuration: 201.67 ms\tBilled Duration: 682 ms\tMemory Size: 2048 MB\t
//     Max Memory Used: 81 MB\tInit Duration: 480.25 ms\t            (one line; Init only when cold)
//   INIT_REPORT Init Duration: 9999.76 ms\tPhase: init\tStatus: timeout
//   2020-11-10T05:46:57.874Z <id> Task timed out after 3.00 seconds
// JSON: one object per line, `{"time":"<ISO 8601>","type":"platform.<kind>","record":{…}}`,
// with the Telemetry API's record shapes (platform.initStart, platform.start, platform.report,
// platform.initReport).
//
// Pure formatting: every time is a parameter (durations as `lambkin::duration`, wall times as
// epoch milliseconds). Durations print with two decimals, rounded half up from nanoseconds;
// negative durations print as 0.
#include "emulator/core/lambda/environment.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::lambda {

/// What INIT_START names. lambkin's own ids keep AWS's `<family>:<version>.v<N>` shape with
/// `lambkin` in the middle, so log parsers keep working and a reader can tell it is not AWS:
/// `nodejs:20.lambkin.v1`, ARN `arn:aws:lambda:<region>::runtime:lambkin-nodejs-20-v1`.
struct runtime_version {
  std::string id;
  std::string arn;
};

/// lambkin's runtime-version revision: bump it when the bootstraps change observably.
inline constexpr unsigned lambkin_runtime_revision = 1;

/// The runtime version for a template `Runtime` value: `nodejs20.x` → family `nodejs`, version
/// `20`; `python3.12` → `python`, `3.12`; `provided.al2023` → `provided`, `al2023`. A runtime
/// without a version part (`provided`) gives `provided:lambkin.v1`.
runtime_version lambkin_runtime_version(std::string_view runtime, std::string_view region,
                                        unsigned revision = lambkin_runtime_revision);

/// How an invocation ended, as REPORT tells it.
enum class report_status : std::uint8_t {
  /// The runtime posted a response. No `Status` field in text; JSON `"status":"success"`.
  success,
  /// The runtime posted an error itself (handler exception). Text shows nothing more (the
  /// runtime logged the error); JSON `"status":"error"` plus `errorType` when known [?].
  function_error,
  /// The platform ended it: crash or OOM. Text `Status: error\tError Type: <type>`.
  error,
  /// The function timeout expired. Text `Status: timeout`.
  timeout,
};

/// The figures of one REPORT line.
struct report_fields {
  std::string_view request_id;
  /// Invoke duration (from the event handed to the runtime to its result).
  duration elapsed{};
  std::uint32_t memory_size_mb = 128;
  std::uint32_t max_memory_used_mb = 0;
  /// Set on the first invocation of an environment only (cold start).
  std::optional<duration> init_duration;
  report_status status = report_status::success;
  /// `Runtime.ExitError`, `Runtime.OutOfMemory`, … (status error; function_error in JSON).
  std::string_view error_type;
  /// Billed Duration includes the init duration (Lambda since 1 Aug 2025); false gives the
  /// older rule (the invoke alone).
  bool bill_init = true;
};

/// "201.67": `d` in milliseconds with two decimals.
std::string format_duration_ms(duration d);

/// ceil(elapsed [+ init]) in whole milliseconds (1 ms granularity, rounded up).
std::int64_t billed_duration_ms(const report_fields& r) noexcept;

// ---- text ----

std::string init_start_line(const runtime_version& v);
std::string start_line(std::string_view request_id, std::string_view version);
std::string end_line(std::string_view request_id);
/// Every field is followed by a TAB, as in Lambda's lines (the last one too).
std::string report_line(const report_fields& r);
/// `error_type` is printed (`\tError Type: Runtime.ExitError`) unless status is success.
std::string init_report_line(duration init_duration, init_phase phase, report_status status,
                             std::string_view error_type = {});
/// `<ISO 8601 now> <request id> Task timed out after X.XX seconds`.
std::string timeout_line(epoch_ms now, std::string_view request_id, duration elapsed);

// ---- JSON (one line, no trailing newline) ----

/// `{"time":…,"type":"platform.initStart","record":{"initializationType":"on-demand",
/// "phase":"init","runtimeVersion":…,"runtimeVersionArn":…,"functionName":…,"functionVersion":…}}`
std::string init_start_json(epoch_ms time, const runtime_version& v, std::string_view function_name,
                            std::string_view function_version,
                            initialization_type type = initialization_type::on_demand,
                            init_phase phase = init_phase::init);
/// `{"time":…,"type":"platform.start","record":{"requestId":…,"version":…}}`
std::string start_json(epoch_ms time, std::string_view request_id, std::string_view version);
/// `{"time":…,"type":"platform.report","record":{"requestId":…,"metrics":{"durationMs":201.67,
/// "billedDurationMs":682,"memorySizeMB":2048,"maxMemoryUsedMB":81,"initDurationMs":480.25},
/// "status":"success"}}`, plus `"errorType"` after status when one is given and status isn't
/// success. Milliseconds print with at most two decimals and no trailing zeros.
std::string report_json(epoch_ms time, const report_fields& r);
/// `{"time":…,"type":"platform.initReport","record":{"initializationType":…,"phase":…,
/// "status":…[,"errorType":…],"metrics":{"durationMs":…}}}`
std::string init_report_json(epoch_ms time, duration init_duration, init_phase phase, report_status status,
                             std::string_view error_type = {},
                             initialization_type type = initialization_type::on_demand);
/// The timeout message as a JSON-format function log record [? shape inferred from the
/// runtimes' JSON records]: `{"timestamp":…,"level":"ERROR","requestId":…,
/// "message":"Task timed out after 3.00 seconds"}`.
std::string timeout_json(epoch_ms now, std::string_view request_id, duration elapsed);

/// "success", "error" (function_error and error) or "timeout".
std::string_view to_string(report_status s) noexcept;

}  // namespace lambkin::lambda
