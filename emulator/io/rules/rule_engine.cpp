#include "emulator/io/rules/rule_engine.hpp"

#include "emulator/core/lambda/function_arn.hpp"
#include "emulator/core/lambda/random.hpp"
#include "emulator/core/lambda/request_ids.hpp"
#include "emulator/io/http/http_client.hpp"
#include "emulator/io/http/invoke_api.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/broker_api.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <chrono>
#include <random>
#include <unordered_map>

namespace lambkin::io::rules {
namespace net = boost::asio;
namespace core_rules = lambkin::rules;
namespace lam = lambkin::lambda;
namespace core_mqtt = lambkin::mqtt;

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct rule_engine::entry {
  rule_view view;
  std::shared_ptr<const core_rules::compiled_rule> compiled;
  std::optional<core_mqtt::listener_id> listener;
};

struct rule_engine::impl {
  impl(net::any_io_executor ex, mqtt::broker_api& b, lambda::lambda_service* f, http::handler t, engine_settings s)
      : executor(std::move(ex)), broker(b), functions(f), tables(std::move(t)), settings(std::move(s)) {}

  net::any_io_executor executor;
  mqtt::broker_api& broker;
  lambda::lambda_service* functions;
  http::handler tables;
  engine_settings settings;
  std::shared_ptr<spdlog::logger> log = logger("rules");
  std::map<std::string, std::unique_ptr<entry>> rules;
  std::unordered_map<std::uint64_t, entry*> by_listener;
  lam::splitmix64 rng{std::random_device{}()};

  std::string uuid() { return lam::make_request_id(rng); }

  /// One action; the error message when it failed.
  net::awaitable<std::optional<std::string>> execute(const core_rules::action_intent& intent) {
    if (const auto* i = std::get_if<core_rules::invoke_intent>(&intent)) co_return invoke(*i);
    if (const auto* r = std::get_if<core_rules::republish_intent>(&intent)) co_return republish(*r);
    if (const auto* t = std::get_if<core_rules::table_intent>(&intent)) co_return co_await table(*t);
    co_return co_await post(std::get<core_rules::http_intent>(intent));
  }

  /// Queues the event at once (the function's pool and the durable store's current batch), so
  /// that it is stored before the MQTT writer sends the message's PUBACK.
  std::optional<std::string> invoke(const core_rules::invoke_intent& i) {
    std::string name;
    std::string qualifier;
    if (i.function) {
      name = i.function->value();
      qualifier = i.qualifier;
    } else {
      auto ref = lam::parse_function_name(i.function_arn);
      if (!ref) return ref.message;
      name = ref.ref->name;
      qualifier = ref.ref->qualifier.value_or("");
    }
    auto* host = functions == nullptr ? nullptr : functions->find(name);
    if (host == nullptr)
      return "Function not found: " + lam::format_function_arn(settings.region, settings.account_id, name);
    const auto version = host->resolve(qualifier);
    if (!version)
      return "Function not found: " +
          lam::format_function_arn(settings.region, settings.account_id, name, qualifier);
    if (i.payload.size() > http::max_async_payload)
      return std::to_string(i.payload.size()) + " byte payload is too large for the Event invocation type (limit " +
          std::to_string(http::max_async_payload) + " bytes)";
    // Validated without building a document on the heap: a stack buffer holds what it needs.
    boost::system::error_code ec;
    unsigned char scratch[4096];
    boost::json::monotonic_resource mr(scratch, sizeof scratch);
    boost::json::parse(i.payload, ec, &mr);
    if (ec) return "the rule's result is not JSON, and Lambda takes JSON events (use encode(*, 'base64'))";
    lambda::invoke_request req;
    req.payload = i.payload;
    req.type = lam::invocation_type::async;
    req.version = *version;
    req.invoked_arn = lam::format_function_arn(settings.region, settings.account_id, name,
                                               qualifier.empty() ? std::nullopt : std::optional<std::string_view>(qualifier));
    host->enqueue(std::move(req));
    return std::nullopt;
  }

  std::optional<std::string> republish(const core_rules::republish_intent& r) {
    core_mqtt::publish_request p;
    p.topic = r.topic;
    p.payload = core_mqtt::shared_bytes(r.payload);
    p.qos = r.qos == 1 ? core_mqtt::qos1 : core_mqtt::qos0;
    if (r.payload_format_indicator)
      p.props.payload_format_indicator =
          *r.payload_format_indicator == 1 ? core_mqtt::payload_format::utf8 : core_mqtt::payload_format::unspecified;
    p.props.content_type = r.content_type;
    p.props.response_topic = r.response_topic;
    p.props.correlation_data = r.correlation_data;
    p.props.message_expiry_interval = r.message_expiry;
    for (const auto& [k, v] : r.user_properties) p.props.user_properties.push_back({k, v});
    if (auto ec = broker.publish(std::move(p))) return ec.message();
    return std::nullopt;
  }

  net::awaitable<std::optional<std::string>> table(const core_rules::table_intent& t) {
    if (!tables) co_return "the table store is not running";
    http::request req{boost::beast::http::verb::post, "/", 11};
    req.set("X-Amz-Target", "DynamoDB_20120810." + t.operation);
    req.set(boost::beast::http::field::content_type, "application/x-amz-json-1.0");
    req.set(boost::beast::http::field::host, "lambkin");
    req.body() = t.request_json;
    req.prepare_payload();
    auto res = co_await tables(std::move(req));
    if (res.result_int() == 200) co_return std::nullopt;
    // DynamoDB's error body: {"__type":"…#ValidationException","message":"…"}
    std::string message = res.body();
    boost::system::error_code ec;
    auto doc = boost::json::parse(res.body(), ec);
    if (!ec && doc.is_object()) {
      const auto& o = doc.as_object();
      std::string type;
      if (const auto* v = o.if_contains("__type"); v && v->is_string()) type = std::string(v->as_string());
      if (const auto hash = type.find('#'); hash != std::string::npos) type = type.substr(hash + 1);
      for (const char* key : {"message", "Message"})
        if (const auto* v = o.if_contains(key); v && v->is_string()) message = std::string(v->as_string());
      if (!type.empty()) message = type + ": " + message;
    }
    co_return message;
  }

  net::awaitable<std::optional<std::string>> post(const core_rules::http_intent& h) {
    http::client_request req;
    req.url = h.url;
    req.headers = h.headers;
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = h.body;
    auto res = co_await http::async_send(executor, std::move(req));
    if (res.error) co_return *res.error;
    if (res.status < 200 || res.status >= 300)
      co_return "HTTP " + std::to_string(res.status) + " from " + h.url;
    co_return std::nullopt;
  }
};

rule_engine::rule_engine(net::any_io_executor executor, mqtt::broker_api& broker, lambda::lambda_service* functions,
                         http::handler tables, engine_settings settings)
    : impl_(std::make_unique<impl>(std::move(executor), broker, functions, std::move(tables), std::move(settings))) {}

rule_engine::~rule_engine() {
  for (auto& [name, e] : impl_->rules) unsubscribe(*e);
}

std::optional<std::string> rule_engine::load(const std::vector<config::rule_config>& rules) {
  for (const auto& r : rules) {
    auto compiled = core_rules::compile_rule(r);
    if (!compiled) return "rule " + r.name + ": " + compiled.error().message;
  }
  const auto now = wall_ms();
  for (const auto& r : rules)
    if (auto err = add(r, now, false)) return err;  // the CLI has printed their warnings
  return std::nullopt;
}

std::optional<std::string> rule_engine::add(config::rule_config rule, std::int64_t created_at, bool log_warnings) {
  auto compiled = core_rules::compile_rule(rule);
  if (!compiled) return "rule " + rule.name + ": " + compiled.error().message;
  if (log_warnings)
    for (const auto& w : compiled->warnings) impl_->log->warn("rule {}: {}", rule.name, w);
  auto e = std::make_unique<entry>();
  e->compiled = std::make_shared<const core_rules::compiled_rule>(std::move(*compiled));
  e->view = rule_view{std::move(rule), created_at};
  auto& slot = impl_->rules[e->view.config.name];
  slot = std::move(e);
  if (slot->compiled->enabled) subscribe(*slot);
  return std::nullopt;
}

void rule_engine::subscribe(entry& e) {
  if (e.listener) return;
  const auto& filter = e.compiled->sql.topic_filter();
  if (filter.empty()) return;  // no FROM: reachable through Basic Ingest only
  e.listener = impl_->broker.add_listener(filter);
  if (e.listener) impl_->by_listener[e.listener->value()] = &e;
  else impl_->log->warn("rule {}: FROM '{}' is not a valid topic filter; the rule gets Basic Ingest messages only",
                        e.view.config.name, filter);
}

void rule_engine::unsubscribe(entry& e) {
  if (!e.listener) return;
  impl_->broker.remove_listener(*e.listener);
  impl_->by_listener.erase(e.listener->value());
  e.listener.reset();
}

std::optional<std::string> rule_engine::create(config::rule_config rule) {
  if (impl_->rules.contains(rule.name)) return "rule " + rule.name + " already exists";
  return add(std::move(rule), wall_ms(), true);
}

std::optional<std::string> rule_engine::replace(config::rule_config rule) {
  auto it = impl_->rules.find(rule.name);
  if (it == impl_->rules.end()) return "rule " + rule.name + " does not exist";
  auto compiled = core_rules::compile_rule(rule);
  if (!compiled) return "rule " + rule.name + ": " + compiled.error().message;
  const auto created = it->second->view.created_at_ms;
  unsubscribe(*it->second);
  impl_->rules.erase(it);
  return add(std::move(rule), created, true);
}

bool rule_engine::remove(const std::string& name) {
  auto it = impl_->rules.find(name);
  if (it == impl_->rules.end()) return false;
  unsubscribe(*it->second);
  impl_->rules.erase(it);
  return true;
}

bool rule_engine::set_enabled(const std::string& name, bool enabled) {
  auto it = impl_->rules.find(name);
  if (it == impl_->rules.end()) return false;
  auto& e = *it->second;
  e.view.config.disabled = !enabled;
  auto copy = std::make_shared<core_rules::compiled_rule>(*e.compiled);
  copy->enabled = enabled;
  e.compiled = std::move(copy);
  if (enabled) subscribe(e);
  else unsubscribe(e);
  return true;
}

const engine_settings& rule_engine::settings() const noexcept { return impl_->settings; }

const rule_view* rule_engine::find(const std::string& name) const {
  auto it = impl_->rules.find(name);
  return it == impl_->rules.end() ? nullptr : &it->second->view;
}

std::vector<const rule_view*> rule_engine::list() const {
  std::vector<const rule_view*> out;
  for (const auto& [name, e] : impl_->rules) out.push_back(&e->view);
  return out;
}

void rule_engine::on_message(const core_mqtt::listener_message& m) {
  auto it = impl_->by_listener.find(m.listener.value());
  if (it == impl_->by_listener.end()) return;
  fire(*it->second, *m.msg, m.client_id, m.principal);
}

void rule_engine::on_ingest(const core_mqtt::rule_ingest& m) {
  auto it = impl_->rules.find(m.rule);
  if (it == impl_->rules.end() || !it->second->compiled->enabled) {
    impl_->log->debug("Basic Ingest to {}: no such enabled rule, message dropped", m.original_topic);
    return;
  }
  fire(*it->second, *m.msg, m.client_id, m.principal);
}

void rule_engine::fire(entry& e, const core_mqtt::message& msg, const std::string& client_id,
                       const std::string& principal) {
  ++counters_.matched;
  auto& per_rule = rule_counters_[e.compiled->name];
  ++per_rule.matched;
  auto ctx = std::make_shared<core_rules::message_context>();
  ctx->topic = msg.topic;
  ctx->payload = std::string(msg.payload.view());
  ctx->client_id = client_id.empty() ? "n/a" : client_id;
  ctx->principal = principal;
  ctx->timestamp_ms = wall_ms();
  ctx->account_id = impl_->settings.account_id;
  ctx->trace_id = impl_->uuid();
  if (msg.props.payload_format_indicator)
    ctx->payload_format_indicator = static_cast<int>(*msg.props.payload_format_indicator);
  ctx->content_type = msg.props.content_type;
  ctx->response_topic = msg.props.response_topic;
  ctx->correlation_data = msg.props.correlation_data;
  for (const auto& p : msg.props.user_properties) ctx->user_properties.emplace_back(p.name, p.value);
  auto* self = impl_.get();
  ctx->new_uuid = [self] { return self->uuid(); };
  ctx->random = [self] { return static_cast<double>(self->rng.next() >> 11) * 0x1.0p-53; };

  const auto& rule = e.compiled;
  auto eval = core_rules::evaluate(rule->sql, *ctx);
  if (eval.kind == core_rules::evaluation::outcome::error) {
    ++counters_.sql_errors;
    ++per_rule.sql_errors;
    impl_->log->warn("rule {}: SQL evaluation failed on a message to {}: {}", rule->name, msg.topic,
                     eval.error_message);
    return;
  }
  if (eval.kind == core_rules::evaluation::outcome::no_output) return;
  ++counters_.fired;
  ++per_rule.fired;
  auto plan = core_rules::plan_actions(*rule, *ctx, eval);
  if (plan.actions.empty() && plan.failures.empty()) return;
  impl_->log->debug("rule {} fired on {}: {} action(s)", rule->name, msg.topic, plan.actions.size());
  // Lambda actions queue their event now (see impl::invoke); the others run in the coroutine.
  std::vector<std::optional<std::string>> invoked(plan.actions.size());
  bool all_queued = plan.failures.empty();
  for (std::size_t k = 0; k < plan.actions.size(); ++k) {
    if (const auto* i = std::get_if<core_rules::invoke_intent>(&plan.actions[k].intent)) {
      invoked[k] = self->invoke(*i);
      all_queued = all_queued && !invoked[k];
    } else {
      all_queued = false;
    }
  }
  if (all_queued) return;  // only Lambda actions, all queued: nothing left for a coroutine to do
  net::co_spawn(
      impl_->executor,
      [this, self, rule, ctx, plan = std::move(plan), invoked = std::move(invoked)]() mutable -> net::awaitable<void> {
        auto failures = std::move(plan.failures);
        for (std::size_t k = 0; k < plan.actions.size(); ++k) {
          const auto& a = plan.actions[k];
          std::optional<std::string> err;
          if (std::holds_alternative<core_rules::invoke_intent>(a.intent)) err = std::move(invoked[k]);
          else err = co_await self->execute(a.intent);
          if (err) failures.push_back({a.failed_action, a.resource, std::move(*err)});
        }
        if (failures.empty()) co_return;
        counters_.action_failures += failures.size();
        rule_counters_[rule->name].action_failures += failures.size();
        for (const auto& f : failures)
          self->log->warn("rule {}: {} on {} failed: {}", rule->name, f.failed_action, f.failed_resource,
                          f.error_message);
        if (!rule->error_action) co_return;
        const auto message = core_rules::error_message(rule->name, *ctx, *ctx->trace_id, failures);
        auto planned = core_rules::plan_error_action(*rule, *ctx, message);
        if (!planned) co_return;
        ++counters_.error_actions;
        ++rule_counters_[rule->name].error_actions;
        if (const auto* f = std::get_if<core_rules::action_failure>(&*planned)) {
          self->log->warn("rule {}: the error action could not run: {}", rule->name, f->error_message);
          co_return;
        }
        const auto& p = std::get<core_rules::planned_action>(*planned);
        if (auto err = co_await self->execute(p.intent))
          self->log->warn("rule {}: the error action ({} on {}) failed too: {}", rule->name, p.failed_action,
                          p.resource, *err);
      },
      net::detached);
}

}  // namespace lambkin::io::rules
