#pragma once
// The content of an async invocation record (reference/lambda.md §4.2): what goes to an
// on-success / on-failure destination, or — for failures — the facts behind a DLQ message.
//
// The core decides the fields; the shell serialises them, filling in what it keeps itself:
//   "version": "1.0"                                  constant
//   "timestamp"                                       wall-clock of `timestamp`
//   requestContext.requestId                          the UUID the shell mapped to `invocation`
//   requestContext.functionArn                        from the function name + qualifier
//   requestContext.condition                          to_string(condition)
//   requestContext.approximateInvokeCount             approximate_invoke_count
//   requestPayload                                    the event's payload (keyed by `invocation`)
//   responseContext.statusCode / executedVersion / functionError   status_code(), executed_version,
//                                                     "Unhandled" when has_function_error()
//   responsePayload                                   the last attempt's body (success/function
//                                                     error), the environment's init error body, or
//                                                     {errorType, errorMessage} from `outcome`
// A DLQ message is the original payload with attributes RequestID, ErrorCode (= status_code())
// and ErrorMessage (first 1 KB of the error message).
#include "emulator/core/lambda/invocation.hpp"
#include "emulator/core/lambda/invocation_outcome.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"

#include <cstdint>
#include <string_view>

namespace lambkin::lambda {

enum class record_condition : std::uint8_t {
  /// The function returned a response (on-success destination).
  success,
  /// Every allowed attempt failed, or the event could never run (reserved concurrency 0).
  retries_exhausted,
  /// The event was older than MaximumEventAgeInSeconds before it could run again.
  event_age_exceeded,
};

/// "Success", "RetriesExhausted", "EventAgeExceeded" — the requestContext.condition values.
constexpr std::string_view to_string(record_condition c) noexcept {
  switch (c) {
    case record_condition::success: return "Success";
    case record_condition::retries_exhausted: return "RetriesExhausted";
    case record_condition::event_age_exceeded: return "EventAgeExceeded";
  }
  return "Unknown";
}

struct destination_record {
  invocation_id invocation;
  /// The version the event was for (responseContext.executedVersion).
  version_id executed_version;
  record_condition condition = record_condition::success;
  /// Attempts actually dispatched to an environment (throttles don't count; 0 = never ran).
  std::uint32_t approximate_invoke_count = 0;
  /// The last attempt's result; `throttled` when the event never ran.
  invocation_outcome outcome;
  /// Environment of the last attempt (its init error body, for init_error reported); 0 = none.
  environment_id environment;
  /// When the event was first enqueued, and when this record was made (the record's timestamp).
  time_point enqueued_at{};
  time_point timestamp{};

  constexpr bool is_success() const noexcept { return condition == record_condition::success; }
  /// responseContext.statusCode and the DLQ ErrorCode: 200 when the function ran (even if it
  /// failed: Lambda answers 200 with X-Amz-Function-Error), the API status otherwise (429, 500).
  constexpr int status_code() const noexcept {
    if (outcome.kind == outcome_kind::throttled) return 429;
    if (outcome.kind == outcome_kind::aborted) return 500;
    return 200;
  }
  /// responseContext.functionError = "Unhandled".
  constexpr bool has_function_error() const noexcept { return is_function_error(outcome); }
};

}  // namespace lambkin::lambda
