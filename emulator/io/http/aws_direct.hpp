#pragma once
// In-process functions' `invocation_context::call_aws`: a request handed to the AWS endpoint's
// handler (aws_endpoint.hpp) as a Beast request, without a socket or HTTP framing in between;
// the answer comes back with its status, headers and body as over HTTP.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/inprocess_environment.hpp"

namespace lambkin::io::http {

/// Wraps `endpoint` (which must outlive the result). An unknown method is answered 400.
lambda::aws_direct_handler make_aws_direct(handler endpoint);

}  // namespace lambkin::io::http
