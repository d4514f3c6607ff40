#include "emulator/io/lambda/runtime_api_protocol.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace lambkin::io::lambda {
namespace {

constexpr std::string_view api_prefix = "/2018-06-01/runtime/";
constexpr std::string_view invocation_prefix = "invocation/";

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }

// `[A-Z][a-zA-Z]+`, the part after `Runtime.` or `Function.`.
bool is_reason(std::string_view s) {
  if (s.size() < 2 || !is_upper(s.front())) return false;
  for (char c : s)
    if (!is_alpha(c)) return false;
  return true;
}

runtime_target routed(boost::beast::http::verb method, boost::beast::http::verb expected, runtime_route route,
                      std::string id = {}) {
  if (method != expected) return {runtime_route::method_not_allowed, {}};
  return {route, std::move(id)};
}

}  // namespace

std::string_view state_name(runtime_state s) {
  switch (s) {
    case runtime_state::started: return "Started";
    case runtime_state::init_error: return "InitError";
    case runtime_state::running: return "Ready";
    case runtime_state::response_sent: return "RuntimeResponseSentState";
  }
  return "Unknown";
}

std::string_view transition_name(runtime_transition t) {
  switch (t) {
    case runtime_transition::ready: return "Ready";
    case runtime_transition::invocation_response: return "InvocationResponse";
    case runtime_transition::invocation_error_response: return "InvocationErrorResponse";
    case runtime_transition::init_error: return "InitError";
  }
  return "Unknown";
}

runtime_target parse_runtime_target(boost::beast::http::verb method, std::string_view target) {
  using boost::beast::http::verb;
  auto path = target.substr(0, target.find('?'));
  if (!path.starts_with(api_prefix)) return {};
  path.remove_prefix(api_prefix.size());
  if (path == "init/error") return routed(method, verb::post, runtime_route::init_error);
  if (!path.starts_with(invocation_prefix)) return {};
  path.remove_prefix(invocation_prefix.size());
  if (path == "next") return routed(method, verb::get, runtime_route::next);
  // `{id}/response` or `{id}/error`; the id itself contains no '/'.
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return {};
  const auto id = path.substr(0, slash);
  const auto action = path.substr(slash + 1);
  if (action == "response") return routed(method, verb::post, runtime_route::response, std::string(id));
  if (action == "error") return routed(method, verb::post, runtime_route::error, std::string(id));
  return {};
}

std::string error_body(std::string_view error_type, std::string_view message) {
  boost::json::object body;
  body["errorMessage"] = message;
  body["errorType"] = error_type;
  return boost::json::serialize(body);
}

std::string invalid_request_id_body() { return error_body("InvalidRequestID", "Invalid request ID"); }

std::string invalid_response_mode_body() {
  return error_body("InvalidFunctionResponseMode", "Invalid function response mode");
}

std::string request_too_large_body() {
  return error_body("RequestEntityTooLarge",
                    "Exceeded maximum allowed payload size (" + std::to_string(max_payload_size) + " bytes).");
}

std::string invalid_transition_body(runtime_state from, runtime_transition to) {
  std::string message = "State transition from ";
  message += state_name(from);
  message += " to ";
  message += transition_name(to);
  message += " failed for runtime. Error: State transition is not allowed";
  return error_body("InvalidStateTransition", message);
}

std::string response_too_large_error(std::size_t size) {
  return error_body("Function.ResponseSizeTooLarge",
                    "Response payload size (" + std::to_string(size) + " bytes) exceeded maximum allowed payload size (" +
                        std::to_string(max_payload_size) + " bytes).");
}

std::string normalize_error_type(std::string_view header_value) {
  constexpr std::string_view runtime_prefix = "Runtime.";
  constexpr std::string_view function_prefix = "Function.";
  if (header_value.starts_with(runtime_prefix) && is_reason(header_value.substr(runtime_prefix.size())))
    return std::string(header_value);
  if (header_value.starts_with(function_prefix)) {
    if (is_reason(header_value.substr(function_prefix.size()))) return std::string(header_value);
    return "Function.Unknown";
  }
  return "Runtime.Unknown";
}

std::string error_payload(std::string_view body, std::string_view header_value) {
  if (!body.empty()) {
    boost::system::error_code ec;
    boost::json::parse(body, ec);
    if (!ec) return std::string(body);  // pass through byte for byte
  }
  const auto type = header_value.empty() ? normalize_error_type(header_value) : std::string(header_value);
  return error_body(type, body);
}

}  // namespace lambkin::io::lambda
