#include "emulator/io/lambda/runtime_api_protocol.hpp"

#include <doctest/doctest.h>

using namespace lambkin::io::lambda;
using boost::beast::http::verb;

TEST_CASE("parse_runtime_target routes the four runtime endpoints and nothing else") {
  auto next = parse_runtime_target(verb::get, "/2018-06-01/runtime/invocation/next");
  CHECK(next.route == runtime_route::next);
  auto res = parse_runtime_target(verb::post, "/2018-06-01/runtime/invocation/8476a536-e9f4/response");
  CHECK(res.route == runtime_route::response);
  CHECK(res.request_id == "8476a536-e9f4");
  auto err = parse_runtime_target(verb::post, "/2018-06-01/runtime/invocation/abc/error?x=1");
  CHECK(err.route == runtime_route::error);
  CHECK(err.request_id == "abc");
  CHECK(parse_runtime_target(verb::post, "/2018-06-01/runtime/init/error").route == runtime_route::init_error);

  auto empty_id = parse_runtime_target(verb::post, "/2018-06-01/runtime/invocation//response");
  CHECK(empty_id.route == runtime_route::response);
  CHECK(empty_id.request_id.empty());

  CHECK(parse_runtime_target(verb::post, "/2018-06-01/runtime/invocation/next").route ==
        runtime_route::method_not_allowed);
  CHECK(parse_runtime_target(verb::get, "/2018-06-01/runtime/init/error").route == runtime_route::method_not_allowed);
  CHECK(parse_runtime_target(verb::get, "/2018-06-01/runtime/invocation/a/b/response").route ==
        runtime_route::not_found);
  CHECK(parse_runtime_target(verb::get, "/2015-03-31/functions/f/invocations").route == runtime_route::not_found);
  CHECK(parse_runtime_target(verb::get, "/2018-06-01/runtime/invocation/abc").route == runtime_route::not_found);
}

TEST_CASE("normalize_error_type keeps Runtime.X and Function.X and maps the rest to Unknown, as RIE does") {
  CHECK(normalize_error_type("Runtime.ImportModuleError") == "Runtime.ImportModuleError");
  CHECK(normalize_error_type("Function.MyError") == "Function.MyError");
  CHECK(normalize_error_type("Function.bad") == "Function.Unknown");
  CHECK(normalize_error_type("Function.X") == "Function.Unknown");  // [A-Z][a-zA-Z]+ needs two letters
  CHECK(normalize_error_type("Function.My_Error") == "Function.Unknown");
  CHECK(normalize_error_type("Runtime.bad") == "Runtime.Unknown");
  CHECK(normalize_error_type("Unhandled") == "Runtime.Unknown");
  CHECK(normalize_error_type("Runtime.Error.Extra") == "Runtime.Unknown");
  CHECK(normalize_error_type("") == "Runtime.Unknown");
}

TEST_CASE("error_payload passes JSON through and builds the error from the header otherwise") {
  const std::string node_style = R"({"errorType":"TypeError","errorMessage":"x","trace":["at a"]})";
  CHECK(error_payload(node_style, "Runtime.Whatever") == node_style);
  CHECK(error_payload("", "Runtime.ExitError") == R"({"errorMessage":"","errorType":"Runtime.ExitError"})");
  CHECK(error_payload("", "") == R"({"errorMessage":"","errorType":"Runtime.Unknown"})");
  CHECK(error_payload("plain \"text\"", "Unhandled") == R"({"errorMessage":"plain \"text\"","errorType":"Unhandled"})");
}

TEST_CASE("the runtime-facing error bodies are RIE's, byte for byte") {
  CHECK(invalid_request_id_body() == R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})");
  CHECK(request_too_large_body() ==
        R"({"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"})");
  CHECK(invalid_response_mode_body() ==
        R"({"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"})");
  CHECK(invalid_transition_body(runtime_state::response_sent, runtime_transition::invocation_response) ==
        R"({"errorMessage":"State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. )"
        R"(Error: State transition is not allowed","errorType":"InvalidStateTransition"})");
  CHECK(response_too_large_error(7000000) ==
        R"({"errorMessage":"Response payload size (7000000 bytes) exceeded maximum allowed payload size )"
        R"((6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"})");
}
