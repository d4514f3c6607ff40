#include "emulator/io/observe/metrics_page.hpp"

#include "emulator/io/http/aws_endpoint.hpp"
#include "emulator/io/observe/observatory.hpp"
#include "emulator/io/observe/prometheus_text.hpp"
#include "emulator/io/rules/rule_engine.hpp"

#include <algorithm>

namespace lambkin::io::observe {
namespace {

using hosts = std::map<std::string, std::unique_ptr<lambda::function_host>>;

const function_stats* stats_of(const observatory* o, const std::string& fn) {
  if (!o) return nullptr;
  auto it = o->functions().find(fn);
  return it == o->functions().end() ? nullptr : &it->second;
}

template <class F>
void per_function(prometheus_text& out, const hosts& fns, std::string_view name, std::string_view type,
                  std::string_view help, F value) {
  out.family(name, type, help);
  for (const auto& [fn, host] : fns) out.sample(name, {{"function", fn}}, value(host->pool()));
}

void lambda_metrics(prometheus_text& out, const lambda::lambda_service& service, const observatory* o) {
  const auto& fns = service.functions();
  using pool = lambkin::lambda::function_pool;
  auto counter = [](std::uint64_t v) { return static_cast<double>(v); };
  per_function(out, fns, "lambkin_lambda_invocations_total", "counter",
               "Invocation attempts dispatched to an execution environment.",
               [&](const pool& p) { return counter(p.counters().invocations); });
  per_function(out, fns, "lambkin_lambda_cold_starts_total", "counter",
               "On-demand environments started for an invocation (cold starts).",
               [&](const pool& p) { return counter(p.counters().cold_starts); });
  per_function(out, fns, "lambkin_lambda_warm_starts_total", "counter",
               "Invocations dispatched to an environment that was already initialised.",
               [&](const pool& p) { return counter(p.counters().warm_starts); });
  per_function(out, fns, "lambkin_lambda_provisioned_starts_total", "counter",
               "Provisioned-concurrency environments started.",
               [&](const pool& p) { return counter(p.counters().provisioned_starts); });

  out.family("lambkin_lambda_throttles_total", "counter", "Throttled invocations by the Reason of the 429.");
  for (const auto& [fn, host] : fns) {
    std::uint64_t sync = 0;
    if (const auto* s = stats_of(o, fn))
      for (const auto& [reason, n] : s->throttles_by_reason) {
        sync += n;
        out.sample("lambkin_lambda_throttles_total", {{"function", fn}, {"reason", reason}}, counter(n));
      }
    // Async throttles never produce a 429: attribute them to the pool's current cause.
    const auto total = host->pool().counters().throttles;
    if (total > sync) {
      const auto reason = host->pool().settings().reserved_concurrency
                              ? throttle_reason(errc::throttled_reserved_concurrency)
                              : throttle_reason(errc::throttled_account_concurrency);
      out.sample("lambkin_lambda_throttles_total", {{"function", fn}, {"reason", reason}}, counter(total - sync));
    }
  }

  out.family("lambkin_lambda_errors_total", "counter", "Failed invocations and inits by type.");
  for (const auto& [fn, host] : fns) {
    const auto& c = host->pool().counters();
    const std::pair<std::string_view, std::uint64_t> types[] = {
        {"function_error", c.function_errors}, {"timeout", c.timeouts}, {"crash", c.crashes},
        {"out_of_memory", c.out_of_memory},   {"init_failure", c.init_failures}};
    for (const auto& [type, n] : types)
      out.sample("lambkin_lambda_errors_total", {{"function", fn}, {"type", type}}, counter(n));
  }

  const seconds_histogram empty;
  out.family("lambkin_lambda_init_duration_seconds", "histogram", "Init Duration of successful inits.");
  for (const auto& [fn, host] : fns) {
    const auto* s = stats_of(o, fn);
    out.histogram("lambkin_lambda_init_duration_seconds", {{"function", fn}}, s ? s->init_duration : empty);
  }
  out.family("lambkin_lambda_duration_seconds", "histogram", "Duration of invocation attempts (REPORT Duration).");
  for (const auto& [fn, host] : fns) {
    const auto* s = stats_of(o, fn);
    out.histogram("lambkin_lambda_duration_seconds", {{"function", fn}}, s ? s->duration : empty);
  }

  per_function(out, fns, "lambkin_lambda_concurrent_executions", "gauge", "Invocations in flight.",
               [](const pool& p) { return static_cast<double>(p.in_flight()); });

  out.family("lambkin_lambda_environments", "gauge", "Execution environments by state (idle ones are frozen).");
  for (const auto& [fn, host] : fns) {
    std::size_t by_state[3] = {0, 0, 0};
    for (const auto& e : host->pool().environments()) ++by_state[static_cast<std::size_t>(e.state)];
    for (auto st : {lambkin::lambda::environment_state::initializing, lambkin::lambda::environment_state::idle,
                    lambkin::lambda::environment_state::busy})
      out.sample("lambkin_lambda_environments", {{"function", fn}, {"state", lambkin::lambda::to_string(st)}},
                 static_cast<double>(by_state[static_cast<std::size_t>(st)]));
  }

  out.family("lambkin_lambda_environments_stopped_total", "counter", "Execution environments stopped, by reason.");
  for (const auto& [fn, host] : fns)
    if (const auto* s = stats_of(o, fn))
      for (const auto& [reason, n] : s->stops)
        out.sample("lambkin_lambda_environments_stopped_total", {{"function", fn}, {"reason", reason}}, counter(n));

  per_function(out, fns, "lambkin_lambda_async_queue_depth", "gauge", "Async events waiting to run or to be retried.",
               [](const pool& p) { return static_cast<double>(p.queued()); });

  out.family("lambkin_lambda_async_oldest_event_age_seconds", "gauge",
             "Age of the oldest async event not finished yet (0 when none).");
  const auto now = wall_now_us();
  for (const auto& [fn, host] : fns) {
    double age = 0;
    if (const auto* s = stats_of(o, fn); s && !s->async_open.empty()) {
      std::int64_t oldest = now;
      for (const auto& [id, at] : s->async_open) oldest = std::min(oldest, at);
      age = static_cast<double>(now - oldest) / 1e6;
    }
    out.sample("lambkin_lambda_async_oldest_event_age_seconds", {{"function", fn}}, age);
  }

  out.family("lambkin_lambda_async_events_finished_total", "counter",
             "Async events finished, by where their record went (dropped: no destination).");
  for (const auto& [fn, host] : fns)
    if (const auto* s = stats_of(o, fn))
      for (const auto& [dest, n] : s->async_finished)
        out.sample("lambkin_lambda_async_events_finished_total", {{"function", fn}, {"destination", dest}}, counter(n));

  out.family("lambkin_lambda_dlq_size", "gauge", "Records kept for the function's dead-letter queue.");
  for (const auto& [fn, host] : fns) {
    std::size_t n = 0;
    for (const auto& d : service.destination_records())
      if (d.function == fn && d.destination == "dlq") ++n;
    out.sample("lambkin_lambda_dlq_size", {{"function", fn}}, static_cast<double>(n));
  }
}

void broker_metrics(prometheus_text& out, mqtt::mqtt_server& mqtt) {
  const auto& t = mqtt.traffic();
  auto one = [&](std::string_view name, std::string_view type, std::string_view help, double v) {
    out.family(name, type, help);
    out.sample(name, {}, v);
  };
  auto d = [](auto v) { return static_cast<double>(v); };
  one("lambkin_mqtt_connections", "gauge", "Open MQTT connections.", d(mqtt.connection_count()));
  one("lambkin_mqtt_connections_accepted_total", "counter", "MQTT connections accepted.", d(t.connections_accepted));
  one("lambkin_mqtt_sessions", "gauge", "MQTT sessions (connected or persistent).", d(mqtt.broker().session_count()));
  one("lambkin_mqtt_subscriptions", "gauge", "MQTT subscriptions.", d(mqtt.broker().subscription_count()));
  one("lambkin_mqtt_messages_received_total", "counter", "PUBLISH packets received from clients.", d(t.messages_in));
  one("lambkin_mqtt_messages_sent_total", "counter", "PUBLISH packets sent to clients.", d(t.messages_out));
  one("lambkin_mqtt_received_bytes_total", "counter", "Bytes read from MQTT connections.", d(t.bytes_in));
  one("lambkin_mqtt_sent_bytes_total", "counter", "Bytes written to MQTT connections.", d(t.bytes_out));
  one("lambkin_mqtt_retained_messages", "gauge", "Retained messages.", d(mqtt.broker().retained().size()));
}

void rule_metrics(prometheus_text& out, const rules::rule_engine& engine) {
  using counters = rules::engine_counters;
  const std::pair<std::string_view, std::uint64_t counters::*> families[] = {
      {"lambkin_rule_matches_total", &counters::matched},
      {"lambkin_rule_fired_total", &counters::fired},
      {"lambkin_rule_sql_errors_total", &counters::sql_errors},
      {"lambkin_rule_action_failures_total", &counters::action_failures},
      {"lambkin_rule_error_actions_total", &counters::error_actions}};
  const std::string_view helps[] = {"Messages that reached the topic rule.", "Messages whose WHERE clause held.",
                                    "SQL evaluation errors.", "Rule actions that failed.", "Error actions run."};
  for (std::size_t i = 0; i < std::size(families); ++i) {
    out.family(families[i].first, "counter", helps[i]);
    for (const auto* r : engine.list()) {
      const auto& name = r->config.name;
      auto it = engine.rule_counters().find(name);
      const auto v = it == engine.rule_counters().end() ? 0 : it->second.*families[i].second;
      out.sample(families[i].first, {{"rule", name}}, static_cast<double>(v));
    }
  }
}

}  // namespace

std::string render_metrics(const http::endpoint_services& services) {
  prometheus_text out;
  if (services.lambda) lambda_metrics(out, *services.lambda, services.observe);
  if (services.mqtt) broker_metrics(out, *services.mqtt);
  if (services.rules) rule_metrics(out, *services.rules);
  out.family("lambkin_dynamodb_operations_total", "counter", "DynamoDB API operations by type.");
  if (services.observe)
    for (const auto& [op, n] : services.observe->table_operations())
      out.sample("lambkin_dynamodb_operations_total", {{"op", op}}, static_cast<double>(n));
  return out.str();
}

}  // namespace lambkin::io::observe
