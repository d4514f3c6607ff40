// Metrics, the lifecycle timeline and the dashboard's routes on a real `lambkin run` with a real
// Node function (issue 10). Waiting is done with the events stream itself (`/_lambkin/events`
// holds its answer until there is news), never with sleeps.
#include "e2e/lambkin_instance.hpp"
#include "io/observe_prometheus.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

namespace bhttp = lambkin::test::bhttp;
using lambkin::test::fn;
using lambkin::test::lambkin_instance;
using lambkin::test::parse_prometheus;
using lambkin::test::template_for;

namespace {

const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";

std::string get(lambkin_instance& lk, const std::string& target) {
  auto res = lk.request(bhttp::verb::get, target);
  REQUIRE_MESSAGE(res.result_int() == 200, target << ": " << res.body());
  return res.body();
}

boost::json::array timeline(lambkin_instance& lk, const std::string& query) {
  return boost::json::parse(get(lk, "/_lambkin/timeline" + query)).at("events").as_array();
}

std::vector<std::string> kinds(const boost::json::array& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.emplace_back(e.at("event").as_string());
  return out;
}

/// Waits, through the events stream, until the timeline has an event of `kind` for `function`.
bool wait_for_event(lambkin_instance& lk, const std::string& function, const std::string& kind, int max_batches = 30) {
  std::uint64_t seen = 0;
  for (int i = 0; i < max_batches; ++i) {
    for (const auto& e : timeline(lk, "?function=" + function))
      if (e.at("event") == kind.c_str()) return true;
    auto res = lk.request(bhttp::verb::get, "/_lambkin/events?after=" + std::to_string(seen));
    const auto body = res.body();
    const auto id = body.rfind("id: ");
    if (id != std::string::npos) seen = std::stoull(body.substr(id + 4));
  }
  return false;
}

}  // namespace

TEST_CASE("metrics count cold and warm starts, durations, throttles by Reason and environments by state") {
  lambkin_instance lk(template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""},
                                    {"Closed", "nodejs20.x", "index.handler", data + "node-basic",
                                     "      ReservedConcurrentExecutions: 0\n"}}));
  REQUIRE(lk.invoke("Echo", R"({"n":1})").result_int() == 200);
  REQUIRE(lk.invoke("Echo", R"({"n":2})").result_int() == 200);
  REQUIRE(lk.invoke("Closed", "{}").result_int() == 429);
  {
    lambkin::test::http_client client(lk.aws_port());
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set("X-Amz-Target", "DynamoDB_20120810.ListTables");
    req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
    req.body() = "{}";
    req.prepare_payload();
    CHECK(client.send(req).result_int() == 200);
  }

  auto res = lk.request(bhttp::verb::get, "/_lambkin/metrics");
  REQUIRE(res.result_int() == 200);
  CHECK(std::string(res[bhttp::field::content_type]).starts_with("text/plain; version=0.0.4"));
  const auto page = parse_prometheus(res.body());
  REQUIRE_MESSAGE(page.error.empty(), page.error);
  const std::map<std::string, std::string> echo{{"function", "Echo"}};
  CHECK(page.value("lambkin_lambda_invocations_total", echo) == 2);
  CHECK(page.value("lambkin_lambda_cold_starts_total", echo) == 1);
  CHECK(page.value("lambkin_lambda_warm_starts_total", echo) == 1);
  CHECK(page.types.at("lambkin_lambda_duration_seconds") == "histogram");
  CHECK(page.value("lambkin_lambda_duration_seconds_count", echo) == 2);
  CHECK(page.value("lambkin_lambda_duration_seconds_bucket", {{"function", "Echo"}, {"le", "+Inf"}}) == 2);
  CHECK(page.value("lambkin_lambda_init_duration_seconds_count", echo) == 1);
  CHECK(page.value("lambkin_lambda_environments", {{"function", "Echo"}, {"state", "idle"}}) == 1);
  CHECK(page.value("lambkin_lambda_environments", {{"function", "Echo"}, {"state", "busy"}}) == 0);
  CHECK(page.value("lambkin_lambda_concurrent_executions", echo) == 0);
  CHECK(page.value("lambkin_lambda_throttles_total",
                   {{"function", "Closed"}, {"reason", "ReservedFunctionConcurrentInvocationLimitExceeded"}}) == 1);
  CHECK(page.value("lambkin_lambda_invocations_total", {{"function", "Closed"}}) == 0);
  CHECK(page.value("lambkin_lambda_errors_total", {{"function", "Echo"}, {"type", "function_error"}}) == 0);
  CHECK(page.value("lambkin_lambda_async_queue_depth", echo) == 0);
  CHECK(page.value("lambkin_lambda_dlq_size", echo) == 0);
  CHECK(page.value("lambkin_mqtt_connections") == 0);
  CHECK(page.value("lambkin_mqtt_retained_messages") == 0);
  CHECK(page.value("lambkin_dynamodb_operations_total", {{"op", "ListTables"}}) == 1);
}

TEST_CASE("the timeline records an environment created, initialised, invoked, frozen and reaped, and lambkin timeline --svg draws it") {
  lambkin_instance lk(template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""}},
                                   "    idle_retention: 1s\n"));
  const auto invoked = lk.invoke("Echo", R"({"n":1})");
  REQUIRE(invoked.result_int() == 200);
  const std::string request_id(invoked["x-amzn-RequestId"]);
  REQUIRE(wait_for_event(lk, "Echo", "reaped"));

  const auto events = timeline(lk, "?function=Echo");
  CHECK(kinds(events) == std::vector<std::string>{"received", "created", "init_start", "init_end", "invoke_start",
                                                  "invoke_end", "frozen", "reaped"});
  const auto& start = events[4].as_object();
  CHECK(start.at("request_id") == request_id.c_str());
  CHECK(start.at("cold") == true);
  CHECK(start.at("env") == events[1].at("env"));
  CHECK(events[3].at("detail") == "success");
  CHECK(events[3].at("duration_ms").as_double() > 0);
  CHECK(events[5].at("detail") == "success");
  CHECK(events[7].at("detail") == "reaped");
  for (std::size_t i = 1; i < events.size(); ++i) {
    CHECK(events[i].at("seq").to_number<std::uint64_t>() > events[i - 1].at("seq").to_number<std::uint64_t>());
    CHECK(events[i].at("t_us").as_int64() >= events[i - 1].at("t_us").as_int64());
  }

  // Filters: another function, a time after everything, a sequence number.
  CHECK(timeline(lk, "?function=Nope").empty());
  const auto last_ms = events.back().at("t_us").as_int64() / 1000 + 1;
  CHECK(timeline(lk, "?since=" + std::to_string(last_ms)).empty());
  CHECK(timeline(lk, "?after=" + std::to_string(events[5].at("seq").to_number<std::uint64_t>())).size() == 2);
  CHECK(lk.request(bhttp::verb::get, "/_lambkin/timeline?since=yesterday").result_int() == 400);

  lambkin::test::temp_dir dir;
  const auto svg = dir.path() / "run.svg";
  const auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "timeline", "--aws-port", std::to_string(lk.aws_port()),
                                     "--function", "Echo", "--svg", svg.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("timeline chart written to") != std::string::npos);
  std::ifstream in(svg);
  std::stringstream text;
  text << in.rdbuf();
  const auto drawn = text.str();
  CHECK(drawn.starts_with("<?xml"));
  CHECK(drawn.find("<g class=\"lane\" data-env=\"1\">") != std::string::npos);
  CHECK(drawn.find("1 invocations, 1 cold starts, 1 environments, 0 throttled") != std::string::npos);
  CHECK(drawn.find("reaped (idle)") != std::string::npos);

  const auto ascii = lambkin::test::run({lambkin::test::lambkin_exe(), "timeline", "--aws-port",
                                         std::to_string(lk.aws_port())});
  REQUIRE_MESSAGE(ascii.code == 0, ascii.err);
  CHECK(ascii.out.find("cold") != std::string::npos);
}

TEST_CASE("the dashboard is served from the binary and its event stream carries timeline batches and state") {
  lambkin_instance lk(template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""}}));
  auto page = lk.request(bhttp::verb::get, "/_lambkin/");
  REQUIRE(page.result_int() == 200);
  CHECK(std::string(page[bhttp::field::content_type]).starts_with("text/html"));
  CHECK(page.body().find("/_lambkin/assets/dashboard.js") != std::string::npos);
  CHECK(page.body().find("http://") == std::string::npos);  // nothing from elsewhere (offline)
  CHECK(lk.request(bhttp::verb::get, "/_lambkin/assets/dashboard.js").result_int() == 200);
  CHECK(lk.request(bhttp::verb::get, "/_lambkin/assets/dashboard.css").result_int() == 200);
  CHECK(lk.request(bhttp::verb::get, "/_lambkin/assets/nope.js").result_int() == 404);
  CHECK(lk.request(bhttp::verb::post, "/_lambkin/metrics").result_int() == 405);
  auto moved = lk.request(bhttp::verb::get, "/_lambkin");
  CHECK(moved.result_int() == 308);
  CHECK(moved[bhttp::field::location] == "/_lambkin/");

  // A first request gets the history at once; a later one, the news after its id.
  auto first = lk.request(bhttp::verb::get, "/_lambkin/events");
  REQUIRE(first.result_int() == 200);
  CHECK(first[bhttp::field::content_type] == "text/event-stream");
  CHECK(first.body().starts_with("retry: "));
  CHECK(first.body().find("event: state\ndata: {") != std::string::npos);
  const auto id = std::stoull(first.body().substr(first.body().rfind("id: ") + 4));
  REQUIRE(lk.invoke("Echo", "{}").result_int() == 200);
  auto next = lk.request(bhttp::verb::get, "/_lambkin/events?after=" + std::to_string(id));
  REQUIRE(next.result_int() == 200);
  CHECK(next.body().find("event: timeline\ndata: [") != std::string::npos);
  CHECK(next.body().find("\"event\":\"invoke_end\"") != std::string::npos);

  const auto state = boost::json::parse(get(lk, "/_lambkin/state")).as_object();
  const auto& f = state.at("functions").as_array().at(0).as_object();
  CHECK(f.at("name") == "Echo");
  CHECK(f.at("cold_starts") == 1);
  CHECK(f.at("environments").as_array().size() == 1);
  const auto& recent = state.at("recent").as_array().at(0).as_object();
  CHECK(recent.at("cold") == true);
  CHECK(recent.at("payload") == "{}");
  CHECK(std::string(recent.at("log").as_string()).find("REPORT RequestId:") != std::string::npos);
}
