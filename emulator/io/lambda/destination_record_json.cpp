// The async invocation record (reference/lambda.md §4.2) as JSON, and where it goes.
#include "emulator/core/lambda/function_arn.hpp"
#include "emulator/io/lambda/function_host_detail.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace lambkin::io::lambda {
namespace {

/// JSON text kept exactly as the caller or the function wrote it (a reparse would rewrite numbers:
/// Boost.JSON prints 25.5 as 2.55E1); anything that does not parse becomes a JSON string.
std::string as_json(const std::string& text) {
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  if (ec) return boost::json::serialize(boost::json::value(text));
  return text;
}

}  // namespace

destination_delivery destination_for(const config::function_config& f, const lam::destination_record& record,
                                     const std::string& request_id, const std::string& payload,
                                     const std::string& response_body, const host_settings& s,
                                     const std::string& executed_version) {
  boost::json::object context;
  context["requestId"] = request_id;
  context["functionArn"] = lam::format_function_arn(s.region, s.account_id, f.name.value(), executed_version);
  context["condition"] = lam::to_string(record.condition);
  context["approximateInvokeCount"] = record.approximate_invoke_count;

  boost::json::object response;
  response["statusCode"] = record.status_code();
  response["executedVersion"] = executed_version;
  if (record.has_function_error()) response["functionError"] = "Unhandled";

  // Built as text so that the payloads keep their own JSON spelling; keys in AWS's order.
  std::string o = "{\"version\":\"1.0\",\"timestamp\":";
  o += boost::json::serialize(boost::json::value(lam::format_iso8601(wall_now_ms())));
  o += ",\"requestContext\":" + boost::json::serialize(context);
  o += ",\"requestPayload\":" + as_json(payload);
  o += ",\"responseContext\":" + boost::json::serialize(response);
  if (!response_body.empty()) {
    o += ",\"responsePayload\":" + as_json(response_body);
  } else if (const auto type = lam::error_type(record.outcome); !type.empty()) {
    boost::json::object error;
    error["errorType"] = type;
    error["errorMessage"] = lam::error_message(record.outcome, request_id);
    o += ",\"responsePayload\":" + boost::json::serialize(error);
  }
  o += '}';

  destination_delivery d;
  d.function = f.name.value();
  if (record.is_success()) {
    if (f.event_invoke.on_success) d.destination = "on-success";
  } else if (f.event_invoke.on_failure) {
    d.destination = "on-failure";
  } else if (f.dead_letter) {
    d.destination = "dlq";
  }
  d.record_json = std::move(o);
  return d;
}

}  // namespace lambkin::io::lambda
