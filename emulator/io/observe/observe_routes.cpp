#include "emulator/io/observe/observe_routes.hpp"

#include "emulator/io/http/aws_endpoint.hpp"
#include "emulator/io/observe/dashboard_assets.hpp"
#include "emulator/io/observe/dashboard_state.hpp"
#include "emulator/io/observe/metrics_page.hpp"
#include "emulator/io/observe/observatory.hpp"
#include "emulator/io/observe/prometheus_text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace lambkin::io::observe {
namespace {
namespace bhttp = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view prefix = "/_lambkin/";
constexpr std::string_view assets_prefix = "/_lambkin/assets/";
constexpr std::uint64_t first_batch = 500;

http::response no_store(http::response res) {
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

http::response json_error(const http::request& req, unsigned status, const std::string& message) {
  return http::make_response(req, status, "application/json", json::serialize(json::object{{"message", message}}));
}

std::uint64_t number_or_zero(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

/// The sequence number the client has seen: `Last-Event-ID`, or `?after=`; nullopt: a first request.
std::optional<std::uint64_t> seen_seq(const http::request& req, std::string_view query) {
  if (auto it = req.find("Last-Event-ID"); it != req.end() && !it->value().empty())
    return number_or_zero(std::string_view(it->value().data(), it->value().size()));
  for (auto pos = query.find("after="); pos != std::string_view::npos; pos = query.find("after=", pos + 1))
    if (pos == 0 || query[pos - 1] == '&') return number_or_zero(query.substr(pos + 6, query.find('&', pos) - pos - 6));
  return std::nullopt;
}

boost::asio::awaitable<http::response> events(const http::endpoint_services& services, http::request req,
                                              std::string_view query) {
  auto& o = *services.observe;
  auto seen = seen_seq(req, query);
  if (seen && *seen > o.timeline().last_seq()) seen.reset();  // a restarted lambkin: start over
  if (seen) co_await o.wait_after(*seen, std::chrono::milliseconds(2000));

  timeline_query q;
  const auto last = o.timeline().last_seq();
  q.after_seq = seen ? *seen : (last > first_batch ? last - first_batch : 0);
  json::array batch;
  for (const auto* e : o.timeline().query(q)) batch.push_back(to_json(*e));
  std::string body = "retry: 250\n\n";
  if (!batch.empty()) body += "event: timeline\ndata: " + json::serialize(batch) + "\n\n";
  body += "id: " + std::to_string(last) + "\nevent: state\ndata: " + dashboard_state_json(services) + "\n\n";
  co_return no_store(http::make_response(req, 200, "text/event-stream", std::move(body)));
}

}  // namespace

bool is_observe_path(std::string_view path) {
  return path == "/_lambkin" || path == prefix || path == "/_lambkin/metrics" || path == "/_lambkin/timeline" ||
         path == "/_lambkin/state" || path == "/_lambkin/events" || path.starts_with(assets_prefix);
}

boost::asio::awaitable<http::response> handle_observe(const http::endpoint_services& services, http::request req) {
  const auto target = std::string_view(req.target().data(), req.target().size());
  const auto q = target.find('?');
  const auto path = target.substr(0, q);
  const auto query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  if (req.method() != bhttp::verb::get) {
    auto res = json_error(req, 405, "use GET " + std::string(path));
    res.set(bhttp::field::allow, "GET");
    co_return res;
  }
  if (path == "/_lambkin") {
    auto res = http::make_response(req, 308, "text/plain", "see /_lambkin/\n");
    res.set(bhttp::field::location, "/_lambkin/");
    co_return res;
  }
  if (path == "/_lambkin/metrics")
    co_return no_store(http::make_response(req, 200, std::string(prometheus_content_type), render_metrics(services)));
  if (path == "/_lambkin/state")
    co_return no_store(http::make_response(req, 200, "application/json", dashboard_state_json(services)));
  if (!services.observe) co_return json_error(req, 404, "observation is off");
  if (path == "/_lambkin/timeline") {
    std::string error;
    auto tq = parse_timeline_query(query, error);
    if (!tq) co_return json_error(req, 400, error);
    co_return no_store(http::make_response(req, 200, "application/json", timeline_json(services.observe->timeline(), *tq)));
  }
  if (path == "/_lambkin/events") co_return co_await events(services, std::move(req), query);
  const auto name = path == prefix ? std::string_view("index.html") : path.substr(assets_prefix.size());
  if (const auto* a = find_asset(name))
    co_return http::make_response(req, 200, std::string(a->content_type), std::string(a->body));
  co_return json_error(req, 404, "no dashboard file " + std::string(name));
}

void count_dynamodb_operation(observatory* o, const http::request& req) {
  if (!o) return;
  auto it = req.find("X-Amz-Target");
  if (it == req.end()) return;
  const auto target = std::string_view(it->value().data(), it->value().size());
  const auto dot = target.find('.');
  o->count_table_operation(dot == std::string_view::npos ? target : target.substr(dot + 1));
}

}  // namespace lambkin::io::observe
