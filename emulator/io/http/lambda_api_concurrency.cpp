// lambda_api: concurrency and async settings — Get/Put/DeleteFunctionConcurrency,
// Put/Get/Delete/ListProvisionedConcurrencyConfig(s), Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s).
#include "emulator/io/http/lambda_api_detail.hpp"

#include <boost/json/array.hpp>

namespace lambkin::io::http::lambda_api {
namespace {

using verb = beast::http::verb;

response not_null(const call& c, const std::string& field) {
  return c.error(errc::validation, "1 validation error detected: Value null at '" + field +
                                       "' failed to satisfy constraint: Member must not be null");
}

response wrong_type(const call& c) {
  return c.error(errc::invalid_request_content, "Could not parse request body into json: wrong value type");
}

/// `DestinationConfig.<which>.Destination`, or empty.
std::optional<std::string> destination(const boost::json::object& body, std::string_view which, bool& bad) {
  const auto* config = body.if_contains("DestinationConfig");
  if (!config || config->is_null()) return std::nullopt;
  if (!config->is_object()) {
    bad = true;
    return std::nullopt;
  }
  const auto* d = config->as_object().if_contains(which);
  if (!d || d->is_null()) return std::nullopt;
  if (!d->is_object()) {
    bad = true;
    return std::nullopt;
  }
  return string_member(d->as_object(), "Destination", bad);
}

/// Reads an event-invoke body; `base` supplies the fields absent from an Update.
std::optional<io::lambda::event_invoke_update> read_event_invoke(const call& c, const boost::json::object& body,
                                                                 io::lambda::event_invoke_update base, response& failed) {
  bool bad = false;
  if (const auto r = integer_member(body, "MaximumRetryAttempts", bad)) {
    if (*r < 0 || *r > 2) {
      failed = c.error(errc::validation, validation_message(std::to_string(*r), "maximumRetryAttempts",
                                                            *r < 0 ? "Member must have value greater than or equal to 0"
                                                                   : "Member must have value less than or equal to 2"));
      return std::nullopt;
    }
    base.max_retry_attempts = static_cast<int>(*r);
  }
  if (const auto a = integer_member(body, "MaximumEventAgeInSeconds", bad)) {
    if (*a < 60 || *a > 21600) {
      failed = c.error(errc::validation,
                       validation_message(std::to_string(*a), "maximumEventAgeInSeconds",
                                          *a < 60 ? "Member must have value greater than or equal to 60"
                                                  : "Member must have value less than or equal to 21600"));
      return std::nullopt;
    }
    base.max_event_age_seconds = static_cast<int>(*a);
  }
  if (auto s = destination(body, "OnSuccess", bad)) base.on_success = std::move(*s);
  if (auto f = destination(body, "OnFailure", bad)) base.on_failure = std::move(*f);
  for (const auto* arn : {&base.on_success, &base.on_failure})
    if (*arn && !arn->value().empty() && !arn->value().starts_with("arn:")) {
      failed = c.error(errc::invalid_parameter_value, "The destination ARN " + arn->value() + " is invalid.");
      return std::nullopt;
    }
  if (bad) {
    failed = wrong_type(c);
    return std::nullopt;
  }
  return base;
}

}  // namespace

response concurrency(call& c) {
  const auto method = c.req.method();
  if (method == verb::get) {
    boost::json::object o;
    if (const auto r = c.host->reserved_concurrency()) o["ReservedConcurrentExecutions"] = *r;
    return c.json(200, o);
  }
  if (method == verb::delete_) {
    auto result = c.host->set_reserved_concurrency(std::nullopt);
    if (!result) return c.error(result.error());
    return c.empty(204);
  }
  if (method != verb::put) return c.error(errc::unknown_operation, "use GET, PUT or DELETE on /concurrency");
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  bool bad = false;
  const auto n = integer_member(*body, "ReservedConcurrentExecutions", bad);
  if (bad) return wrong_type(c);
  if (!n) return not_null(c, "reservedConcurrentExecutions");
  if (*n < 0)
    return c.error(errc::validation, validation_message(std::to_string(*n), "reservedConcurrentExecutions",
                                                        "Member must have value greater than or equal to 0"));
  auto result = c.host->set_reserved_concurrency(static_cast<std::uint32_t>(std::min<std::int64_t>(*n, UINT32_MAX)));
  if (!result) return c.error(result.error());
  return c.json(200, boost::json::object{{"ReservedConcurrentExecutions", *n}});
}

response provisioned_concurrency(call& c) {
  const auto method = c.req.method();
  if (method == verb::get && c.param("List") == "ALL") {
    std::vector<boost::json::value> items;
    for (const auto& p : c.host->provisioned_configs()) items.emplace_back(provisioned_json(c, p, true));
    return paginate(c, "ProvisionedConcurrencyConfigs", std::move(items));
  }
  if (!c.qualifier) return not_null(c, "qualifier");
  const auto& q = *c.qualifier;
  if (method == verb::get) {
    auto result = c.host->provisioned_concurrency(q);
    if (!result) return c.error(result.error());
    return c.json(200, provisioned_json(c, *result, false));
  }
  if (method == verb::delete_) {
    auto result = c.host->delete_provisioned_concurrency(q);
    if (!result) return c.error(result.error());
    return c.empty(204);
  }
  if (method != verb::put) return c.error(errc::unknown_operation, "use GET, PUT or DELETE on /provisioned-concurrency");
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  bool bad = false;
  const auto n = integer_member(*body, "ProvisionedConcurrentExecutions", bad);
  if (bad) return wrong_type(c);
  if (!n) return not_null(c, "provisionedConcurrentExecutions");
  if (*n < 1)
    return c.error(errc::validation, validation_message(std::to_string(*n), "provisionedConcurrentExecutions",
                                                        "Member must have value greater than or equal to 1"));
  auto result = c.host->put_provisioned_concurrency(q, static_cast<std::uint32_t>(std::min<std::int64_t>(*n, UINT32_MAX)));
  if (!result) return c.error(result.error());
  return c.json(202, provisioned_json(c, *result, false));
}

response event_invoke_config(call& c, bool list) {
  const auto method = c.req.method();
  const auto q = c.qualifier.value_or("");
  if (list) {
    std::vector<boost::json::value> items;
    if (auto current = c.host->event_invoke_config("")) items.emplace_back(event_invoke_json(*current));
    return paginate(c, "FunctionEventInvokeConfigs", std::move(items));
  }
  if (method == verb::get) {
    auto result = c.host->event_invoke_config(q);
    if (!result) return c.error(result.error());
    return c.json(200, event_invoke_json(*result));
  }
  if (method == verb::delete_) {
    auto result = c.host->delete_event_invoke_config(q);
    if (!result) return c.error(result.error());
    return c.empty(204);
  }
  if (method != verb::put && method != verb::post)
    return c.error(errc::unknown_operation, "use GET, PUT, POST or DELETE on /event-invoke-config");
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  io::lambda::event_invoke_update base;
  if (method == verb::post) {  // Update: what the request leaves out stays as it is
    auto current = c.host->event_invoke_config(q);
    if (!current) return c.error(current.error());
    base.max_retry_attempts = current->max_retry_attempts;
    base.max_event_age_seconds = current->max_event_age_seconds;
    base.on_success = current->on_success;
    base.on_failure = current->on_failure;
  }
  const auto update = read_event_invoke(c, *body, base, failed);
  if (!update) return failed;
  auto result = c.host->put_event_invoke_config(q, *update);
  if (!result) return c.error(result.error());
  return c.json(200, event_invoke_json(*result));
}

}  // namespace lambkin::io::http::lambda_api
