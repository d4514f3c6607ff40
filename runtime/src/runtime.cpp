// The runtime loop. Transport failures are values (http_reply::transport_error); exceptions are
// only the handler's, caught at the call so one bad invocation does not end the process.
#include "lambkin/runtime/runtime.hpp"

#include "http_connection.hpp"
#include "json_text.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <typeinfo>

#include <cxxabi.h>

namespace lambkin::runtime {
namespace {

constexpr std::string_view next_target = "/2018-06-01/runtime/invocation/next";
constexpr std::string_view init_error_target = "/2018-06-01/runtime/init/error";
constexpr std::string_view error_type_header = "Lambda-Runtime-Function-Error-Type";

void log_error(const std::string& message) { std::fprintf(stderr, "[lambkin-runtime] %s\n", message.c_str()); }

std::optional<detail::http_connection> connect_from_env() {
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  std::string host, port;
  if (!api || !detail::split_host_port(api, host, port)) {
    log_error("AWS_LAMBDA_RUNTIME_API is not set to host:port");
    return std::nullopt;
  }
  return std::optional<detail::http_connection>(std::in_place, std::move(host), std::move(port));
}

invocation_request to_request(detail::http_reply& reply) {
  invocation_request req;
  req.payload = std::move(reply.body);
  req.request_id = reply.header("Lambda-Runtime-Aws-Request-Id");
  req.function_arn = reply.header("Lambda-Runtime-Invoked-Function-Arn");
  req.client_context = reply.header("Lambda-Runtime-Client-Context");
  req.cognito_identity = reply.header("Lambda-Runtime-Cognito-Identity");
  req.xray_trace_id = reply.header("Lambda-Runtime-Trace-Id");
  req.content_type = reply.header("Content-Type");
  const auto deadline = reply.header("Lambda-Runtime-Deadline-Ms");
  long long ms = 0;
  std::from_chars(deadline.data(), deadline.data() + deadline.size(), ms);
  req.deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
  return req;
}

std::string demangled_type(const std::exception& e) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(typeid(e).name());
}

// The handler's answer; an exception becomes a failure named after its type.
invocation_response call(const handler_function& handler, const invocation_request& req) {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    return invocation_response::failure(e.what(), demangled_type(e));
  } catch (...) {
    return invocation_response::failure("Unknown exception", "Runtime.UnhandledException");
  }
}

void export_trace_id(const std::string& trace_id) {
  if (trace_id.empty())
    ::unsetenv("_X_AMZN_TRACE_ID");
  else
    ::setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), 1);
}

}  // namespace

std::chrono::milliseconds invocation_request::get_time_remaining() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::system_clock::now());
}

invocation_response invocation_response::success(std::string payload, std::string content_type) {
  invocation_response r;
  r.success_ = true;
  r.payload_ = std::move(payload);
  r.content_type_ = std::move(content_type);
  return r;
}

invocation_response invocation_response::failure(std::string error_message, std::string error_type) {
  invocation_response r;
  r.payload_ = "{\"errorMessage\":" + detail::json_string(error_message) +
               ",\"errorType\":" + detail::json_string(error_type) + ",\"stackTrace\":[]}";
  r.content_type_ = "application/json";
  r.error_type_ = std::move(error_type);
  return r;
}

int run_handler(const handler_function& handler) {
  auto connection = connect_from_env();
  if (!connection) return 1;
  for (;;) {
    auto next = connection->get(next_target);
    if (!next.transport_error.empty()) {
      log_error("GET next failed: " + next.transport_error);
      return 1;
    }
    if (next.status != 200) {
      // 403 (e.g. after an init error) or 500: the service wants this process gone.
      log_error("GET next answered " + std::to_string(next.status) + ": " + next.body);
      return 1;
    }
    const auto req = to_request(next);
    if (req.request_id.empty()) {
      log_error("GET next answered without a request id");
      return 1;
    }
    export_trace_id(req.xray_trace_id);
    const auto res = call(handler, req);

    const std::string base = "/2018-06-01/runtime/invocation/" + req.request_id;
    const auto posted = res.is_success()
                            ? connection->post(base + "/response", res.payload(), res.content_type())
                            : connection->post(base + "/error", res.payload(), res.content_type(),
                                               {{std::string(error_type_header), res.error_type()}});
    if (!posted.transport_error.empty()) {
      log_error("posting the result of " + req.request_id + " failed: " + posted.transport_error);
      return 1;
    }
    if (posted.status != 202)
      log_error("the result of " + req.request_id + " was refused (" + std::to_string(posted.status) +
                "): " + posted.body);
  }
}

bool post_init_error(const std::string& error_type, const std::string& error_message) {
  auto connection = connect_from_env();
  if (!connection) return false;
  const auto body = "{\"errorMessage\":" + detail::json_string(error_message) +
                    ",\"errorType\":" + detail::json_string(error_type) + "}";
  const auto reply = connection->post(init_error_target, body, "application/json",
                                      {{std::string(error_type_header), error_type}});
  if (!reply.transport_error.empty()) {
    log_error("posting the init error failed: " + reply.transport_error);
    return false;
  }
  if (reply.status != 202) log_error("the init error was refused (" + std::to_string(reply.status) + "): " + reply.body);
  return reply.status == 202;
}

}  // namespace lambkin::runtime
