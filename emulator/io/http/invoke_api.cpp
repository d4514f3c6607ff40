#include "emulator/io/http/invoke_api.hpp"

#include "emulator/core/lambda/function_arn.hpp"
#include "emulator/core/lambda/request_ids.hpp"
#include "emulator/core/text/base64.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/busy_poll.hpp"
#include "emulator/io/http/aws_error.hpp"

#include <boost/json/parse.hpp>

#include <random>

namespace lambkin::io::http {
namespace {

namespace lam = lambkin::lambda;
constexpr std::string_view prefix = "/2015-03-31/functions/";
constexpr std::string_view suffix = "/invocations";

response lambda_error(const request& req, errc e, const std::string& message, const std::string& request_id) {
  return lambda_error_response(req, e, message, request_id);
}

/// A request id for answers that never reach a function (errors, Event, DryRun).
std::string new_request_id() {
  static lam::request_id_generator ids{std::random_device{}()};
  return ids.request_id();
}

std::string header(const request& req, std::string_view name) {
  auto it = req.find(beast::string_view(name.data(), name.size()));
  return it == req.end() ? std::string() : std::string(it->value());
}

}  // namespace

std::optional<std::string_view> invoke_function_segment(std::string_view path) noexcept {
  if (!path.starts_with(prefix) || !path.ends_with(suffix)) return std::nullopt;
  const auto name = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  return name;
}

net::awaitable<response> handle_invoke(lambda::lambda_service& service, request req) {
  const std::string api_request_id = new_request_id();
  const auto [path, query] = text::split_target(std::string_view(req.target().data(), req.target().size()));
  const auto segment = *invoke_function_segment(path);
  if (req.method() != beast::http::verb::post)
    co_return lambda_error(req, errc::unknown_operation, "Invoke takes POST", api_request_id);

  std::optional<std::string> qualifier;
  for (auto& [k, v] : text::parse_query(query))
    if (k == "Qualifier") qualifier = v;
  const auto decoded = text::percent_decode(segment);
  if (!decoded) co_return lambda_error(req, errc::validation, "Malformed function name in the path", api_request_id);
  auto ref = lam::parse_function_name(*decoded, qualifier ? std::optional<std::string_view>(*qualifier) : std::nullopt);
  if (!ref) co_return lambda_error(req, ref.error, ref.message, api_request_id);

  const auto& s = service.settings();
  const auto not_found = [&] {
    return lambda_error(req, errc::resource_not_found,
                        "Function not found: " + lam::format_function_arn(s.region, s.account_id, ref.ref->name,
                                                                          ref.ref->qualifier),
                        api_request_id);
  };
  auto* host = service.find(ref.ref->name);
  if (!host) co_return not_found();
  const auto version = host->resolve(ref.ref->qualifier.value_or(""));
  if (!version) co_return not_found();

  const auto type_header = header(req, "X-Amz-Invocation-Type");
  const std::string type = type_header.empty() ? "RequestResponse" : type_header;
  if (type != "RequestResponse" && type != "Event" && type != "DryRun")
    co_return lambda_error(req, errc::invalid_parameter_value,
                           "1 validation error detected: Value '" + type +
                               "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value "
                               "set: [Event, RequestResponse, DryRun]",
                           api_request_id);
  const auto log_type = header(req, "X-Amz-Log-Type");

  auto payload = std::move(req.body());
  if (type == "Event" && payload.size() > max_async_payload)
    co_return lambda_error(req, errc::request_too_large,
                           std::to_string(payload.size()) +
                               " byte payload is too large for the Event invocation type (limit " +
                               std::to_string(max_async_payload) + " bytes)",
                           api_request_id);
  if (payload.size() > max_sync_payload)
    co_return lambda_error(req, errc::request_too_large,
                           "Request must be smaller than " + std::to_string(max_sync_payload) +
                               " bytes for the InvokeFunction operation",
                           api_request_id);
  if (payload.empty()) payload = "{}";
  boost::system::error_code json_ec;
  boost::json::parse(payload, json_ec);
  if (json_ec)
    co_return lambda_error(req, errc::invalid_request_content,
                           "Could not parse request body into json: " + json_ec.message(), api_request_id);

  if (type == "DryRun") {
    auto res = make_response(req, 204, "application/json", "");
    res.set("x-amzn-RequestId", api_request_id);
    co_return res;
  }

  lambda::invoke_request call;
  call.payload = std::move(payload);
  call.type = type == "Event" ? lam::invocation_type::async : lam::invocation_type::sync;
  call.version = *version;
  call.invoked_arn = lam::format_function_arn(s.region, s.account_id, ref.ref->name, ref.ref->qualifier);
  if (const auto context = header(req, "X-Amz-Client-Context"); !context.empty() && type != "Event") {
    if (auto decoded_context = text::base64_decode(context)) call.client_context = std::move(*decoded_context);
  }
  auto result = co_await host->invoke(std::move(call));

  if (type == "Event") {
    if (result.store_error)  // not durable: no 202 (the event may still run; a retry may run it twice)
      co_return lambda_error(req, errc::service_error, "lambkin could not store the event: " + *result.store_error,
                             result.request_id);
    auto res = make_response(req, 202, "application/json", "");
    res.set("x-amzn-RequestId", result.request_id);
    co_return res;
  }
  if (result.outcome.kind == lam::outcome_kind::throttled)
    co_return lambda_error(req, result.outcome.throttle, "Rate Exceeded.", result.request_id);
  if (result.outcome.kind == lam::outcome_kind::aborted)
    co_return lambda_error(req, errc::service_error, "lambkin stopped before the function finished",
                           result.request_id);

  // The caller's next request is likely to follow at once (busy_poll.hpp).
  busy_poll::keep_awake(busy_poll::budget());
  auto res = make_response(req, 200, result.content_type, std::move(result.body));
  res.set("x-amzn-RequestId", result.request_id);
  res.set("X-Amz-Executed-Version", result.executed_version);
  if (result.function_error()) res.set("X-Amz-Function-Error", "Unhandled");
  if (log_type == "Tail") res.set("X-Amz-Log-Result", text::base64_encode(result.log_tail));
  co_return res;
}

}  // namespace lambkin::io::http
