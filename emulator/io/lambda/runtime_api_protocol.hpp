#pragma once
// The wire vocabulary of the Lambda Runtime API (reference/lambda.md §1): header names, the
// payload limit, the runtime state names RIE prints, routing of targets, the error bodies a
// runtime sees, and the normalisation of `Lambda-Runtime-Function-Error-Type`.
//
// Pure functions and constants; no sockets. The server (runtime_api_server) is the only user.
#include <boost/beast/http/verb.hpp>

#include <cstddef>
#include <ostream>  // boost/core's string_view (via verb.hpp) needs the complete std::ostream
#include <string>
#include <string_view>

namespace lambkin::io::lambda {

/// 6 MiB + 100 bytes (RIE's `interop.MaxPayloadSize`): the largest /response body.
inline constexpr std::size_t max_payload_size = 6'291'556;

namespace runtime_header {
inline constexpr std::string_view request_id = "Lambda-Runtime-Aws-Request-Id";
inline constexpr std::string_view deadline_ms = "Lambda-Runtime-Deadline-Ms";
inline constexpr std::string_view function_arn = "Lambda-Runtime-Invoked-Function-Arn";
inline constexpr std::string_view trace_id = "Lambda-Runtime-Trace-Id";
inline constexpr std::string_view client_context = "Lambda-Runtime-Client-Context";
inline constexpr std::string_view cognito_identity = "Lambda-Runtime-Cognito-Identity";
inline constexpr std::string_view error_type = "Lambda-Runtime-Function-Error-Type";
inline constexpr std::string_view response_mode = "Lambda-Runtime-Function-Response-Mode";
}  // namespace runtime_header

/// Where a runtime is in its lifecycle (RIE's `core/states.go`, without SnapStart).
/// - started: the process runs its init; no event has been handed out yet
/// - init_error: it posted /init/error; only a reset leaves this state
/// - running: it holds an event (GET /next returned it) and owes /response or /error
/// - response_sent: it answered; its next GET /next waits for the next event
/// A GET /next that is parked keeps the state it arrived in (started or response_sent), as in RIE.
enum class runtime_state { started, init_error, running, response_sent };

/// The names RIE puts in `InvalidStateTransition` messages: Started, InitError, Ready (running),
/// RuntimeResponseSentState.
std::string_view state_name(runtime_state s);

/// The transition a request asks for, named as RIE names its target states.
enum class runtime_transition { ready, invocation_response, invocation_error_response, init_error };
std::string_view transition_name(runtime_transition t);

/// What a request target means; `request_id` is set for response and error.
enum class runtime_route { next, response, error, init_error, not_found, method_not_allowed };
struct runtime_target {
  runtime_route route = runtime_route::not_found;
  std::string request_id;
};
/// Routes `GET /2018-06-01/runtime/invocation/next`, `POST …/invocation/{id}/response`,
/// `POST …/invocation/{id}/error`, `POST …/init/error`. The query string is ignored; a known path
/// with the wrong method is method_not_allowed; `{id}` may be empty (the caller answers 400).
runtime_target parse_runtime_target(boost::beast::http::verb method, std::string_view target);

/// `{"errorMessage":"<message>","errorType":"<type>"}`, fields in RIE's order.
std::string error_body(std::string_view error_type, std::string_view message);

/// The bodies of the runtime-facing errors, byte for byte as RIE renders them.
std::string invalid_request_id_body();                       // 400 InvalidRequestID
std::string invalid_response_mode_body();                    // 400 InvalidFunctionResponseMode
std::string request_too_large_body();                        // 413 RequestEntityTooLarge
std::string invalid_transition_body(runtime_state from, runtime_transition to);  // 403
/// The caller-facing error for an oversized response (`Function.ResponseSizeTooLarge`).
std::string response_too_large_error(std::size_t size);

/// `Lambda-Runtime-Function-Error-Type` as RIE normalises it:
/// - `(Runtime|Function)\.[A-Z][a-zA-Z]+` (the whole value) is kept;
/// - anything else starting with `Function.` becomes `Function.Unknown`;
/// - anything else, and a missing header, becomes `Runtime.Unknown`.
std::string normalize_error_type(std::string_view header_value);

/// The error body handed to the caller for /error and /init/error:
/// - a body that parses as JSON is passed through unchanged (any fields, any errorType);
/// - an empty or unparsable body is replaced by one built from the header:
///   `{"errorMessage":"<the raw body text>","errorType":"<header, or the normalised type>"}`.
std::string error_payload(std::string_view body, std::string_view header_value);

}  // namespace lambkin::io::lambda
