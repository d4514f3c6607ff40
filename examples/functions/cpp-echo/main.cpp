// cpp-echo: a custom-runtime Lambda function (`provided.al2023`) built on lambkin_runtime.
//
// It answers `{"echo": <event>, "request_id": …, "remaining_ms": …, "function_arn": …,
// "trace_id": …}`. Fields of a JSON-object event steer it, in this order:
//   "sleep_ms": N    sleep N ms first (timeout tests)
//   "exit": N        exit the process with code N, answering nothing (crash tests)
//   "throw": "text"  throw std::runtime_error("text") from the handler
//   "fail": true     return a failure (errorType "EchoFailure", errorMessage from "message")
//   "pad_bytes": N   add "pad": N × 'x' to the answer (response size tests)
// With CPP_ECHO_INIT_ERROR=<message> in the environment it reports an init error and exits 1.
#include <lambkin/runtime/runtime.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/src.hpp>  // Boost.JSON compiled in: no run-time dependency on libboost_json
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace json = boost::json;
using lambkin::runtime::invocation_request;
using lambkin::runtime::invocation_response;

namespace {

std::int64_t int_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return -1;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return -1;
}

invocation_response echo(const invocation_request& req) {
  json::error_code ec;
  auto event = json::parse(req.payload, ec);
  if (ec) return invocation_response::failure("the event is not JSON: " + ec.message(), "InvalidEvent");

  std::int64_t pad = 0;
  if (const auto* o = event.if_object()) {
    if (const auto ms = int_field(*o, "sleep_ms"); ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    if (const auto code = int_field(*o, "exit"); code >= 0) {
      std::fflush(stdout);
      std::fflush(stderr);
      std::_Exit(static_cast<int>(code));
    }
    if (const auto* text = o->if_contains("throw"); text && text->is_string())
      throw std::runtime_error(std::string(text->get_string()));
    if (const auto* fail = o->if_contains("fail"); fail && fail->is_bool() && fail->get_bool()) {
      const auto* message = o->if_contains("message");
      return invocation_response::failure(
          message && message->is_string() ? std::string(message->get_string()) : "failing as asked", "EchoFailure");
    }
    pad = int_field(*o, "pad_bytes");
  }

  json::object out;
  out["echo"] = std::move(event);
  out["request_id"] = req.request_id;
  out["remaining_ms"] = req.get_time_remaining().count();
  out["function_arn"] = req.function_arn;
  const char* trace = std::getenv("_X_AMZN_TRACE_ID");
  out["trace_id"] = trace ? trace : "";
  if (pad > 0) out["pad"] = std::string(static_cast<std::size_t>(pad), 'x');
  return invocation_response::success(json::serialize(out));
}

}  // namespace

int main() {
  // Everything before run_handler is the function's init phase.
  if (const char* message = std::getenv("CPP_ECHO_INIT_ERROR")) {
    lambkin::runtime::post_init_error("Runtime.EchoInitError", message);
    return 1;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  return lambkin::runtime::run_handler(echo);
}
