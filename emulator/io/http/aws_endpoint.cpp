#include "emulator/io/http/aws_endpoint.hpp"

#include "emulator/io/http/aws_error.hpp"
#include "emulator/io/http/dynamodb_api.hpp"
#include "emulator/io/http/invoke_api.hpp"
#include "emulator/io/http/iot_data_api.hpp"
#include "emulator/io/http/iot_rules_api.hpp"
#include "emulator/io/rules/rule_engine.hpp"
#include "emulator/io/http/lambda_api.hpp"
#include "emulator/io/observe/observe_routes.hpp"
#include "emulator/io/s3/s3_api.hpp"
#include "emulator/core/text/url.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/version.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace lambkin::io::http {
namespace {

response health(const request& req, const endpoint_status& status) {
  boost::json::object body;
  body["status"] = "ok";
  body["version"] = version_string;
  body["pid"] = static_cast<std::int64_t>(::getpid());
  body["uptime_ms"] = std::chrono::duration_cast<milliseconds>(clock::now() - status.started).count();
  body["template"] = status.template_path;
  boost::json::object counts;
  counts["functions"] = status.functions;
  counts["rules"] = status.rules;
  counts["routes"] = status.routes;
  counts["tables"] = status.tables;
  body["resources"] = std::move(counts);
  return make_response(req, 200, "application/json", boost::json::serialize(body));
}

std::string destination_entry(std::int64_t seq, const std::string& function, const std::string& destination,
                              const std::string& record_json) {
  std::string e = "{";
  if (seq > 0) e += "\"seq\":" + std::to_string(seq) + ",";
  e += "\"function\":" + boost::json::serialize(boost::json::value(function));
  e += ",\"destination\":";
  e += destination.empty() ? std::string("null") : boost::json::serialize(boost::json::value(destination));
  e += ",\"record\":" + record_json + "}";
  return e;
}

/// GET /_lambkin/destinations: the records of finished async events, oldest first — the last 1,000,
/// or with the durable store `?after=<seq>&limit=<n>&function=<name>` pages through every one kept.
response destinations(const request& req, std::string_view query, lambda::lambda_service& service) {
  // The records are spliced in as text: reparsing them would respell their numbers (25.5 → 2.55E1).
  std::string body = "[";
  auto* store = service.settings().async_store;
  if (store) {
    std::optional<std::int64_t> after;
    std::int64_t limit = 1000;
    std::string function;
    for (auto& [k, v] : text::parse_query(query)) {
      char* end = nullptr;
      if (k == "after") after = std::strtoll(v.c_str(), &end, 10);
      else if (k == "limit") limit = std::clamp<std::int64_t>(std::strtoll(v.c_str(), &end, 10), 1, 10000);
      else if (k == "function") function = v;
    }
    const auto records =
        after || !function.empty() ? store->records(after.value_or(0), limit, function) : store->latest_records(limit);
    for (const auto& r : records) {
      if (body.size() > 1) body += ',';
      body += destination_entry(r.seq, r.function, r.destination, r.record_json);
    }
  } else {
    for (const auto& d : service.destination_records()) {
      if (body.size() > 1) body += ',';
      body += destination_entry(0, d.function, d.destination, d.record_json);
    }
  }
  body += ']';
  return make_response(req, 200, "application/json", std::move(body));
}

}  // namespace

handler make_aws_endpoint(const endpoint_status& status, const endpoint_services& services) {
  return [&status, &services](request req) -> net::awaitable<response> {
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto path = target.substr(0, target.find('?'));
    if (services.s3 && s3::is_s3_request(req)) co_return s3::handle_s3(*services.s3, req);
    if (services.tables && is_dynamodb_request(req)) {
      observe::count_dynamodb_operation(services.observe, req);
      co_return handle_dynamodb(*services.tables, req,
                                std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch()).count());
    }
    if (services.lambda && invoke_function_segment(path)) co_return co_await handle_invoke(*services.lambda, std::move(req));
    if (services.lambda && is_lambda_api_path(path)) co_return handle_lambda_api(*services.lambda, req);
    if (services.rules && is_iot_rules_path(path))
      co_return handle_iot_rules(*services.rules, req, services.rules->settings().region,
                                 services.rules->settings().account_id);
    if (services.broker && is_iot_data_path(path)) co_return co_await serve_iot_data(*services.broker, std::move(req));
    if (observe::is_observe_path(path)) co_return co_await observe::handle_observe(services, std::move(req));
    if (services.lambda && path == "/_lambkin/destinations" && req.method() == beast::http::verb::get)
      co_return destinations(req, text::split_target(target).second, *services.lambda);
    if (path == "/_lambkin/health") {
      if (req.method() != beast::http::verb::get)
        co_return aws_error_response(req, errc::unknown_operation, "use GET /_lambkin/health");
      co_return health(req, status);
    }
    co_return aws_error_response(
        req, errc::unknown_operation,
        "lambkin does not emulate " + std::string(req.method_string()) + " " + std::string(path));
  };
}

server_options aws_endpoint_options() {
  server_options o;
  const std::size_t others = o.body_limit;
  o.body_limit_for = [others](const request& head) { return s3::is_s3_request(head) ? s3::max_put_size : others; };
  o.on_body_too_large = [others](const request& head) {
    if (s3::is_s3_request(head)) return s3::entity_too_large(head);
    return make_response(head, 413, "application/json",
                         R"({"message":"Request must be smaller than )" + std::to_string(others) + R"( bytes"})");
  };
  return o;
}

}  // namespace lambkin::io::http
