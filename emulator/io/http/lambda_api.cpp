// lambda_api: routing a control-plane request to its handler, and the answers they share.
#include "emulator/io/http/lambda_api.hpp"

#include "emulator/core/lambda/function_arn.hpp"
#include "emulator/core/lambda/request_ids.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/http/aws_error.hpp"
#include "emulator/io/http/lambda_api_detail.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <random>

namespace lambkin::io::http {
namespace {

using lambda_api::call;
using verb = beast::http::verb;

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.starts_with('/')) path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();  // a trailing slash
  return parts;
}

/// `2015-03-31`: the API version every Lambda path starts with.
bool is_api_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

std::string new_request_id() {
  static lambkin::lambda::request_id_generator ids{std::random_device{}()};
  return ids.request_id();
}

response unknown(const call& c) {
  return c.error(errc::unknown_operation, "lambkin does not emulate " + std::string(c.req.method_string()) + " " +
                                              std::string(c.req.target()));
}

/// Finds the function `segment` names (percent-encoded name, ARN or partial ARN).
std::optional<response> find_function(call& c, std::string_view segment) {
  const auto decoded = text::percent_decode(segment);
  if (!decoded) return c.error(errc::validation, "Malformed function name in the path");
  const auto query_qualifier = c.param("Qualifier");
  auto ref = lambkin::lambda::parse_function_name(
      *decoded, query_qualifier ? std::optional<std::string_view>(*query_qualifier) : std::nullopt);
  if (!ref) return c.error(ref.error, ref.message);
  const auto& s = c.service.settings();
  c.host = c.service.find(ref.ref->name);
  c.qualifier = ref.ref->qualifier;
  if (!c.host)
    return c.error(errc::resource_not_found,
                   "Function not found: " + lambkin::lambda::format_function_arn(s.region, s.account_id, ref.ref->name,
                                                                                  ref.ref->qualifier));
  return std::nullopt;
}

response route(call& c, const std::vector<std::string_view>& parts) {
  const auto method = c.req.method();
  if (parts[1] == "account-settings") return method == verb::get ? lambda_api::account_settings(c) : unknown(c);
  if (parts.size() == 2 || (parts.size() == 3 && parts[2].empty()))
    return method == verb::get ? lambda_api::functions_list(c) : unknown(c);
  if (auto failed = find_function(c, parts[2])) return std::move(*failed);
  const std::string_view sub = parts.size() > 3 ? parts[3] : std::string_view();
  if (parts.size() == 3) return method == verb::get ? lambda_api::function_get(c) : unknown(c);
  if (sub == "configuration" && parts.size() == 4) {
    if (method == verb::get) return lambda_api::configuration_get(c);
    if (method == verb::put) return lambda_api::configuration_update(c);
  }
  if (sub == "versions" && parts.size() == 4) {
    if (method == verb::get) return lambda_api::versions_list(c);
    if (method == verb::post) return lambda_api::version_publish(c);
  }
  if (sub == "aliases" && parts.size() <= 5) {
    std::optional<std::string> alias;
    if (parts.size() == 5) alias = text::percent_decode(parts[4]).value_or(std::string(parts[4]));
    return lambda_api::aliases(c, alias);
  }
  if (sub == "concurrency" && parts.size() == 4) return lambda_api::concurrency(c);
  if (sub == "provisioned-concurrency" && parts.size() == 4) return lambda_api::provisioned_concurrency(c);
  if (sub == "event-invoke-config") {
    if (parts.size() == 4) return lambda_api::event_invoke_config(c, false);
    if (parts.size() == 5 && parts[4] == "list" && method == verb::get) return lambda_api::event_invoke_config(c, true);
  }
  return unknown(c);
}

}  // namespace

bool is_lambda_api_path(std::string_view path) noexcept {
  const auto parts = split_path(path);
  return parts.size() >= 2 && is_api_date(parts[0]) && (parts[1] == "functions" || parts[1] == "account-settings");
}

response handle_lambda_api(lambda::lambda_service& service, const request& req) {
  const auto [path, query] = text::split_target(std::string_view(req.target().data(), req.target().size()));
  call c{req, service, new_request_id(), text::parse_query(query), nullptr, std::nullopt};
  return route(c, split_path(path));
}

namespace lambda_api {

std::optional<std::string> call::param(std::string_view key) const {
  for (const auto& [k, v] : query)
    if (k == key) return v;
  return std::nullopt;
}

response call::error(errc e, const std::string& message) const {
  return lambda_error_response(req, e, message, request_id);
}

response call::json(unsigned status, const boost::json::value& body) const {
  auto res = make_response(req, status, "application/json", boost::json::serialize(body));
  res.set("x-amzn-RequestId", request_id);
  return res;
}

response call::empty(unsigned status) const {
  auto res = make_response(req, status, "application/json", "");
  res.set("x-amzn-RequestId", request_id);
  return res;
}

std::optional<boost::json::object> call::body(response& failed) const {
  if (req.body().empty()) return boost::json::object{};
  boost::system::error_code ec;
  auto v = boost::json::parse(req.body(), ec);
  if (ec || !v.is_object()) {
    failed = error(errc::invalid_request_content,
                   "Could not parse request body into json: " + (ec ? ec.message() : std::string("not an object")));
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::string call::arn(const std::string& q) const {
  return q.empty() ? host->config().arn : host->config().arn + ":" + q;
}

std::string validation_message(const std::string& value, const std::string& field, const std::string& constraint) {
  return "1 validation error detected: Value '" + value + "' at '" + field + "' failed to satisfy constraint: " +
         constraint;
}

std::optional<std::int64_t> integer_member(const boost::json::object& o, std::string_view key, bool& bad) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->as_uint64());
  bad = true;
  return std::nullopt;
}

std::optional<std::string> string_member(const boost::json::object& o, std::string_view key, bool& bad) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->as_string());
  bad = true;
  return std::nullopt;
}

}  // namespace lambda_api
}  // namespace lambkin::io::http
