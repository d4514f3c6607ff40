#pragma once
// AWS-style error answers: the status from http_status(errc), `x-amzn-ErrorType`, and a JSON body.
// The one place an errc becomes an HTTP response on the AWS endpoint.
#include "emulator/io/http/http_server.hpp"
#include "lambkin/error.hpp"

#include <string_view>

namespace lambkin::io::http {

/// `{"__type":"<Type>","message":"<message>"}` (plus `"Reason"` and `"Type":"User"` for Lambda
/// throttles, as the Lambda API sends them).
response aws_error_response(const request& req, errc e, std::string_view message);

/// The Lambda API's error answer: as `aws_error_response`, plus `"Type":"User"` (who is at fault,
/// which the SDKs surface) for non-throttles, and `x-amzn-RequestId: <request_id>`.
response lambda_error_response(const request& req, errc e, std::string_view message, const std::string& request_id);

}  // namespace lambkin::io::http
