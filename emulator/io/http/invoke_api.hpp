#pragma once
// The Lambda Invoke API on the AWS endpoint (reference/lambda.md §2):
//   POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=…]
//   X-Amz-Invocation-Type: RequestResponse (default) | Event | DryRun
//   X-Amz-Log-Type: None | Tail          X-Amz-Client-Context: base64 JSON
// Answers: 200 with the function's output (also when it failed: `X-Amz-Function-Error:
// Unhandled`), `X-Amz-Executed-Version`, `X-Amz-Log-Result` (base64 of the last 4 KB of the log,
// Tail only); 202 for Event; 204 for DryRun. Errors with `x-amzn-ErrorType` and AWS's bodies:
// 404 ResourceNotFoundException (`Function not found: <ARN>`), 400 ValidationException /
// InvalidParameterValueException / InvalidRequestContentException, 413 RequestEntityTooLargeException
// (6,291,456 bytes sync, 1,048,576 bytes Event), 429 TooManyRequestsException with `Reason`,
// 500 ServiceException. Every answer carries `x-amzn-RequestId`.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/lambda_service.hpp"

#include <optional>
#include <string_view>

namespace lambkin::io::http {

/// Sync and async request payload limits (reference §2.4).
inline constexpr std::size_t max_sync_payload = 6291456;
inline constexpr std::size_t max_async_payload = 1048576;

/// The function-name segment of an Invoke path, or nullopt when `path` is not an Invoke path.
std::optional<std::string_view> invoke_function_segment(std::string_view path) noexcept;

/// Handles one Invoke request (the path already matched `invoke_function_segment`).
net::awaitable<response> handle_invoke(lambda::lambda_service& service, request req);

}  // namespace lambkin::io::http
