// Metrics, the timeline ring and the observatory (issue 10): the Prometheus text as a strict
// reader parses it, the broker's traffic counted with real mosquitto clients, timeline queries,
// and a timeline drawn by the simulator's SVG renderer.
#include "emulator/io/http/aws_endpoint.hpp"
#include "emulator/io/observe/metrics_page.hpp"
#include "emulator/io/observe/observatory.hpp"
#include "emulator/io/observe/prometheus_text.hpp"
#include "emulator/io/observe/timeline_ring.hpp"
#include "io/mqtt_server_support.hpp"
#include "io/observe_prometheus.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

using namespace lambkin::io::observe;
using lambkin::test::parse_prometheus;

namespace {

lifecycle_event event(event_kind kind, std::string function, std::uint64_t env, std::int64_t at_us,
                      std::string detail = {}, double ms = -1, std::string request = {}) {
  lifecycle_event e;
  e.kind = kind;
  e.function = std::move(function);
  e.env = env;
  e.at_us = at_us;
  e.detail = std::move(detail);
  e.duration_ms = ms;
  e.request_id = std::move(request);
  return e;
}

}  // namespace

TEST_CASE("prometheus_text writes families, escaped labels and cumulative histograms a strict reader accepts") {
  prometheus_text out;
  out.family("lambkin_test_total", "counter", "A counter,\nwith a newline in its help.");
  out.sample("lambkin_test_total", {{"function", "a\"b\\c\nd"}}, 3);
  out.family("lambkin_test_seconds", "histogram", "A histogram.");
  seconds_histogram h;
  h.observe(0.0004);
  h.observe(0.2);
  h.observe(1000);
  out.histogram("lambkin_test_seconds", {{"function", "f"}}, h);
  const auto page = parse_prometheus(out.str());
  REQUIRE_MESSAGE(page.error.empty(), page.error << "\n" << out.str());
  CHECK(page.value("lambkin_test_total", {{"function", "a\"b\\c\nd"}}) == 3);
  CHECK(page.value("lambkin_test_seconds_bucket", {{"function", "f"}, {"le", "0.001"}}) == 1);
  CHECK(page.value("lambkin_test_seconds_bucket", {{"function", "f"}, {"le", "0.25"}}) == 2);
  CHECK(page.value("lambkin_test_seconds_bucket", {{"function", "f"}, {"le", "900"}}) == 2);
  CHECK(page.value("lambkin_test_seconds_bucket", {{"function", "f"}, {"le", "+Inf"}}) == 3);
  CHECK(page.value("lambkin_test_seconds_count", {{"function", "f"}}) == 3);
  CHECK(page.value("lambkin_test_seconds_sum", {{"function", "f"}}) == doctest::Approx(1000.2004));
  CHECK(format_value(2) == "2");
  CHECK(format_value(0.25) == "0.25");
}

TEST_CASE("the timeline ring numbers events, drops the oldest when full, and filters by function, time and sequence") {
  timeline_ring ring(4);
  for (int i = 1; i <= 6; ++i) ring.push(event(event_kind::invoke_start, i % 2 ? "A" : "B", 1, i * 1000));
  CHECK(ring.size() == 4);
  CHECK(ring.first_seq() == 3);
  CHECK(ring.last_seq() == 6);
  auto query = [](auto set) {
    timeline_query q;
    set(q);
    return q;
  };
  CHECK(ring.query({}).size() == 4);
  CHECK(ring.query(query([](auto& q) { q.function = "A"; })).size() == 2);
  CHECK(ring.query(query([](auto& q) { q.since_us = 5000; })).size() == 2);
  CHECK(ring.query(query([](auto& q) { q.after_seq = 5; })).size() == 1);
  CHECK(ring.query(query([](auto& q) { q.after_seq = 1; })).size() == 4);  // before the oldest kept: everything
  const auto newest = ring.query(query([](auto& q) { q.limit = 1; }));
  REQUIRE(newest.size() == 1);
  CHECK(newest[0]->seq == 6);

  std::string error;
  auto parsed = parse_timeline_query("function=Store%20It&since=1700000000000.5&after=7&limit=3", error);
  REQUIRE(parsed);
  CHECK(parsed->function == "Store It");
  CHECK(parsed->since_us == 1700000000000500);
  CHECK(parsed->after_seq == 7);
  CHECK(parsed->limit == 3);
  CHECK_FALSE(parse_timeline_query("since=yesterday", error));
  CHECK(error.find("since") != std::string::npos);
  CHECK_FALSE(parse_timeline_query("limit=0", error));

  const auto json = boost::json::parse(timeline_json(ring, query([](auto& q) { q.function = "B"; }))).as_object();
  CHECK(json.at("events").as_array().size() == 2);
  CHECK(json.at("last_seq") == 6);
  CHECK(json.at("events").as_array()[0].at("event") == "invoke_start");
  CHECK(json.at("events").as_array()[0].at("time").as_string().ends_with("Z"));
}

TEST_CASE("the observatory keeps throttles by Reason, histograms, stops, open async events and wakes waiters") {
  boost::asio::io_context ioc;
  observatory o(ioc.get_executor());
  o.on_lifecycle(event(event_kind::throttled, "F", 0, 1, "ReservedFunctionConcurrentInvocationLimitExceeded"));
  o.on_lifecycle(event(event_kind::init_end, "F", 1, 2, "success", 150));
  o.on_lifecycle(event(event_kind::init_end, "F", 2, 3, "error", 10));
  o.on_lifecycle(event(event_kind::invoke_end, "F", 1, 4, "success", 2));
  o.on_lifecycle(event(event_kind::invoke_end, "F", 1, 5, "Runtime.ExitError", 3));
  o.on_lifecycle(event(event_kind::reaped, "F", 1, 6, "reaped"));
  o.on_lifecycle(event(event_kind::received, "F", 0, 7, "async", -1, "r-1"));
  o.on_lifecycle(event(event_kind::received, "F", 0, 8, "async", -1, "r-2"));
  o.on_lifecycle(event(event_kind::event_done, "F", 0, 9, "dlq", -1, "r-1"));
  const auto& f = o.functions().at("F");
  CHECK(f.throttles_by_reason.at("ReservedFunctionConcurrentInvocationLimitExceeded") == 1);
  CHECK(f.init_duration.count() == 1);  // failed inits are not init durations
  CHECK(f.init_duration.sum() == doctest::Approx(0.15));
  CHECK(f.duration.count() == 2);
  CHECK(f.outcomes.at("Runtime.ExitError") == 1);
  CHECK(f.stops.at("reaped") == 1);
  CHECK(f.async_open.size() == 1);
  CHECK(f.async_open.count("r-2") == 1);
  CHECK(f.async_finished.at("dlq") == 1);
  CHECK(o.timeline().last_seq() == 9);

  o.count_table_operation("PutItem");
  o.count_table_operation("PutItem");
  CHECK(o.table_operations().at("PutItem") == 2);

  // A waiter for news after the last event wakes when the next one arrives, not at its timeout.
  bool woke = false;
  boost::asio::co_spawn(ioc, o.wait_after(9, std::chrono::hours(1)), [&](std::exception_ptr) { woke = true; });
  ioc.poll();
  CHECK_FALSE(woke);
  o.on_lifecycle(event(event_kind::frozen, "F", 3, 10));
  ioc.poll();
  CHECK(woke);
  bool at_once = false;
  ioc.restart();  // poll() ran out of work, which stops an io_context
  boost::asio::co_spawn(ioc, o.wait_after(5, std::chrono::hours(1)), [&](std::exception_ptr) { at_once = true; });
  ioc.poll();
  CHECK(at_once);
}

TEST_CASE("broker metrics count real clients' connections, messages and bytes, and retained messages") {
  using namespace lambkin::test;
  mqtt_broker_thread broker;
  child_process sub(sub_args(broker, "mqttv311", "things/dev-1/temperature"));
  REQUIRE(subscribed(sub));
  auto pub = run(pub_args(broker, "mqttv311", "things/dev-1/temperature", R"({"temperature":21.5})", {"-r"}));
  REQUIRE(pub.code == 0);
  REQUIRE(sub.wait(client_timeout) == 0);

  const auto text = broker.call([](lambkin::io::mqtt::mqtt_server& s) {
    lambkin::io::http::endpoint_services services;
    services.mqtt = &s;
    return render_metrics(services);
  });
  const auto page = parse_prometheus(text);
  REQUIRE_MESSAGE(page.error.empty(), page.error);
  CHECK(page.value("lambkin_mqtt_connections_accepted_total") == 2);
  CHECK(page.value("lambkin_mqtt_messages_received_total") == 1);
  CHECK(page.value("lambkin_mqtt_messages_sent_total") == 1);
  CHECK(page.value("lambkin_mqtt_retained_messages") == 1);
  CHECK(page.value("lambkin_mqtt_received_bytes_total") > 20);  // CONNECTs, SUBSCRIBE, PUBLISH
  CHECK(page.value("lambkin_mqtt_sent_bytes_total") > 4);       // CONNACKs, SUBACK, PUBLISH
  CHECK(page.types.at("lambkin_dynamodb_operations_total") == "counter");
  const auto topics = broker.call([](lambkin::io::mqtt::mqtt_server& s) { return s.traffic().topics(); });
  CHECK(topics.at("things/dev-1/temperature") == 1);
}
