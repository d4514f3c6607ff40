#pragma once
// lambda_api's private parts, shared by its source files (not a public header): one request's
// context and answers, the JSON shapes, and the per-area handlers.
#include "emulator/io/http/lambda_api.hpp"
#include "emulator/io/lambda/function_control.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::io::http::lambda_api {

namespace lam = lambkin::lambda;

/// One control-plane request: what it names and how to answer it.
struct call {
  const request& req;
  io::lambda::lambda_service& service;
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> query;
  /// The function the path names, once found; its qualifier (from the name or `?Qualifier=`).
  io::lambda::function_host* host = nullptr;
  std::optional<std::string> qualifier;

  /// A query parameter.
  std::optional<std::string> param(std::string_view key) const;
  response error(errc e, const std::string& message) const;
  response error(const io::lambda::api_error& e) const { return error(e.code, e.message); }
  response json(unsigned status, const boost::json::value& body) const;
  /// 204 (or another status) without a body.
  response empty(unsigned status = 204) const;
  /// The body as a JSON object (an empty body is `{}`); nullopt after setting `failed` to the
  /// InvalidRequestContentException answer.
  std::optional<boost::json::object> body(response& failed) const;
  /// The function's ARN, qualified when `q` is non-empty.
  std::string arn(const std::string& q = {}) const;
};

/// `1 validation error detected: Value '<value>' at '<field>' failed to satisfy constraint: <constraint>`.
std::string validation_message(const std::string& value, const std::string& field, const std::string& constraint);

/// One page of a list (`MaxItems`, 1–10,000, default 50; `Marker`: where the previous page
/// ended) under `key`, with `NextMarker` when more remain. A bad MaxItems or Marker answers
/// ValidationException / InvalidParameterValueException.
response paginate(const call& c, const char* key, std::vector<boost::json::value> items);

/// An integer member: nullopt when absent; `bad` set when present but not an integer.
std::optional<std::int64_t> integer_member(const boost::json::object& o, std::string_view key, bool& bad);
/// A string member: nullopt when absent; `bad` set when present but not a string.
std::optional<std::string> string_member(const boost::json::object& o, std::string_view key, bool& bad);

// ---- JSON shapes (lambda_api_json.cpp) ----
/// FunctionConfiguration; FunctionArn carries `:<arn_qualifier>` unless it is empty.
boost::json::object configuration_json(const call& c, const io::lambda::version_info& v,
                                       const std::string& arn_qualifier);
boost::json::object alias_json(const call& c, const io::lambda::alias_info& a);
boost::json::object provisioned_json(const call& c, const io::lambda::provisioned_info& p, bool with_arn);
boost::json::object event_invoke_json(const io::lambda::event_invoke_info& e);

// ---- handlers, by area; `c.host` is set ----
response functions_list(call& c);
response account_settings(call& c);
response function_get(call& c);
response configuration_get(call& c);
response configuration_update(call& c);
response versions_list(call& c);
response version_publish(call& c);
// lambda_api_aliases.cpp
response aliases(call& c, const std::optional<std::string>& alias);
// lambda_api_concurrency.cpp
response concurrency(call& c);
response provisioned_concurrency(call& c);
response event_invoke_config(call& c, bool list);

}  // namespace lambkin::io::http::lambda_api
