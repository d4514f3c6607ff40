#pragma once
// lambkin's runtime client for C++ functions: the loop a custom-runtime `bootstrap` runs against
// the Lambda Runtime API (on lambkin, or on AWS Lambda itself: the protocol is the same).
//
//   int main() {
//     // Code here is the function's init phase (it ends at run_handler's first GET /next).
//     return lambkin::runtime::run_handler([](const lambkin::runtime::invocation_request& req) {
//       return lambkin::runtime::invocation_response::success(req.payload);
//     });
//   }
//
// The API follows aws-lambda-cpp (invocation_request, invocation_response::success/failure,
// run_handler); the HTTP transport stays out of this header.
//
// Thread safety: one runtime loop per process, on the thread that calls run_handler.
#include <chrono>
#include <functional>
#include <string>

namespace lambkin::runtime {

/// One invocation, as GET /2018-06-01/runtime/invocation/next returned it.
struct invocation_request {
  /// The event, as the caller sent it (normally JSON).
  std::string payload;
  /// The AWS request id (`Lambda-Runtime-Aws-Request-Id`).
  std::string request_id;
  /// The ARN the caller invoked: unqualified, version- or alias-qualified.
  std::string function_arn;
  /// Mobile SDK client context as JSON text; empty when the caller sent none.
  std::string client_context;
  /// `{"cognitoIdentityId":…,"cognitoIdentityPoolId":…}`; empty when there is none.
  std::string cognito_identity;
  /// The X-Ray trace header; also exported as `_X_AMZN_TRACE_ID` while the handler runs.
  std::string xray_trace_id;
  /// The event's content type (`application/json` unless the caller said otherwise).
  std::string content_type;
  /// When the invocation times out (wall clock).
  std::chrono::system_clock::time_point deadline;

  /// Milliseconds left until `deadline`; negative once it has passed.
  std::chrono::milliseconds get_time_remaining() const;
};

/// What a handler returns: a success payload or an error. Built only by the named constructors.
class invocation_response {
 public:
  /// The result, posted to `/invocation/{id}/response` with `content_type`.
  static invocation_response success(std::string payload, std::string content_type = "application/json");
  /// An error, posted to `/invocation/{id}/error` as
  /// `{"errorMessage":…,"errorType":…,"stackTrace":[]}` with the
  /// `Lambda-Runtime-Function-Error-Type: <error_type>` header. The caller receives the body;
  /// the service keeps `error_type` as it is only when it has the `Runtime.Xxx` or
  /// `Function.Xxx` form.
  static invocation_response failure(std::string error_message, std::string error_type);

  bool is_success() const { return success_; }
  /// The success payload, or the JSON error body of a failure.
  const std::string& payload() const { return payload_; }
  const std::string& content_type() const { return content_type_; }
  /// Empty for a success.
  const std::string& error_type() const { return error_type_; }

 private:
  invocation_response() = default;
  bool success_ = false;
  std::string payload_;
  std::string content_type_;
  std::string error_type_;
};

using handler_function = std::function<invocation_response(const invocation_request&)>;

/// The runtime loop, until the Runtime API goes away:
/// - reads `AWS_LAMBDA_RUNTIME_API` (`host:port`); unset or malformed → returns 1 at once;
/// - GET /next (waits as long as it takes), sets `_X_AMZN_TRACE_ID`, calls `handler`, and posts
///   its result to /response or /error;
/// - a handler that throws: the error is posted with the exception's type as `errorType` (e.g.
///   `std::runtime_error`) and `what()` as `errorMessage`; a non-std exception posts
///   `Runtime.UnhandledException`. The loop goes on;
/// - a refused submission (400, 403, 413) is reported on stderr and the loop goes on;
/// - returns non-zero on a fatal transport error (connection lost and not re-established, or a
///   GET /next answered with anything but 200, such as the 500 "exit now").
int run_handler(const handler_function& handler);

/// Reports a failed init (`POST /2018-06-01/runtime/init/error`) with `error_type` in the
/// `Lambda-Runtime-Function-Error-Type` header and `{"errorMessage":…,"errorType":…}` as body.
/// The runtime should exit afterwards. True when the service accepted it (202).
bool post_init_error(const std::string& error_type, const std::string& error_message);

}  // namespace lambkin::runtime
