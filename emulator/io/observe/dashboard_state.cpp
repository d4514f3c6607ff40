#include "emulator/io/observe/dashboard_state.hpp"

#include "emulator/io/http/aws_endpoint.hpp"
#include "emulator/io/observe/observatory.hpp"
#include "emulator/io/rules/rule_engine.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace lambkin::io::observe {
namespace {
namespace json = boost::json;

json::array functions_json(const lambda::lambda_service& service) {
  json::array out;
  for (const auto& [name, host] : service.functions()) {
    const auto& p = host->pool();
    const auto& c = p.counters();
    json::object f;
    f["name"] = name;
    f["runtime"] = host->config().runtime;
    if (auto r = host->reserved_concurrency()) f["reserved"] = *r;
    f["invocations"] = c.invocations;
    f["cold_starts"] = c.cold_starts;
    f["warm_starts"] = c.warm_starts;
    f["throttles"] = c.throttles;
    f["errors"] = c.function_errors + c.timeouts + c.crashes + c.out_of_memory;
    f["in_flight"] = p.in_flight();
    f["queued"] = p.queued();
    json::array envs;
    for (const auto& e : p.environments()) {
      json::object o;
      o["id"] = e.id.value();
      o["state"] = lambkin::lambda::to_string(e.state);
      o["init_type"] = lambkin::lambda::to_string(e.init_type);
      o["version"] = host->version_name(e.version);
      o["invocations"] = e.invocations;
      envs.push_back(std::move(o));
    }
    f["environments"] = std::move(envs);
    out.push_back(std::move(f));
  }
  return out;
}

json::object mqtt_json(mqtt::mqtt_server& m) {
  const auto& t = m.traffic();
  json::object o;
  o["connections"] = m.connection_count();
  o["messages_in"] = t.messages_in;
  o["messages_out"] = t.messages_out;
  o["bytes_in"] = t.bytes_in;
  o["bytes_out"] = t.bytes_out;
  o["retained"] = m.broker().retained().size();
  json::array clients;
  m.connections().for_each([&](const std::shared_ptr<mqtt::connection>& c) {
    json::object cl;
    const auto client_id = m.broker().client_id_of(c->id());
    cl["client_id"] = client_id;
    cl["ip"] = c->remote_ip();
    auto it = t.clients().find(client_id);
    cl["messages"] = it == t.clients().end() ? 0 : it->second;
    clients.push_back(std::move(cl));
  });
  o["clients"] = std::move(clients);
  json::array topics;
  for (const auto& [topic, n] : t.topics()) topics.push_back(json::object{{"topic", topic}, {"messages", n}});
  o["topics"] = std::move(topics);
  return o;
}

json::array rules_json(const rules::rule_engine& engine) {
  json::array out;
  for (const auto* r : engine.list()) {
    json::object o;
    o["name"] = r->config.name;
    o["sql"] = r->config.sql;
    o["enabled"] = !r->config.disabled;
    const auto it = engine.rule_counters().find(r->config.name);
    const rules::engine_counters c = it == engine.rule_counters().end() ? rules::engine_counters{} : it->second;
    o["matched"] = c.matched;
    o["fired"] = c.fired;
    o["sql_errors"] = c.sql_errors;
    o["action_failures"] = c.action_failures;
    out.push_back(std::move(o));
  }
  return out;
}

json::array recent_json(const observatory& o) {
  json::array out;
  for (auto it = o.recent().rbegin(); it != o.recent().rend(); ++it) {
    json::object r;
    r["t_us"] = it->at_us;
    r["function"] = it->function;
    r["request_id"] = it->request_id;
    r["version"] = it->version;
    r["env"] = it->env;
    r["cold"] = it->cold;
    r["outcome"] = it->outcome;
    r["duration_ms"] = it->duration_ms;
    if (it->init_duration_ms >= 0) r["init_duration_ms"] = it->init_duration_ms;
    r["payload"] = it->payload;
    r["response"] = it->response;
    r["log"] = it->log;
    out.push_back(std::move(r));
  }
  return out;
}

json::array dlq_json(const lambda::lambda_service& service) {
  json::array out;
  const auto& records = service.destination_records();
  for (auto it = records.rbegin(); it != records.rend() && out.size() < 50; ++it) {
    if (it->destination == "on-success") continue;  // the dashboard shows failures
    boost::system::error_code ec;
    auto record = json::parse(it->record_json, ec);
    // A success without an on-success destination is dropped too, but it is no failure.
    if (const auto* ctx = ec || !record.is_object() ? nullptr : record.as_object().if_contains("requestContext"))
      if (const auto* cond = ctx->is_object() ? ctx->as_object().if_contains("condition") : nullptr;
          cond && *cond == "Success")
        continue;
    json::object o;
    o["function"] = it->function;
    o["destination"] = it->destination.empty() ? "dropped" : it->destination;
    o["record"] = ec ? json::value(it->record_json) : std::move(record);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

std::string dashboard_state_json(const http::endpoint_services& services) {
  json::object o;
  o["now_us"] = wall_now_us();
  o["last_seq"] = services.observe ? services.observe->timeline().last_seq() : 0;
  o["functions"] = services.lambda ? functions_json(*services.lambda) : json::array();
  if (services.mqtt) o["mqtt"] = mqtt_json(*services.mqtt);
  o["rules"] = services.rules ? rules_json(*services.rules) : json::array();
  json::object tables;
  if (services.observe)
    for (const auto& [op, n] : services.observe->table_operations()) tables[op] = n;
  o["tables"] = std::move(tables);
  o["recent"] = services.observe ? recent_json(*services.observe) : json::array();
  o["dlq"] = services.lambda ? dlq_json(*services.lambda) : json::array();
  return json::serialize(o);
}

}  // namespace lambkin::io::observe
