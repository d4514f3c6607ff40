#include "emulator/core/rules/rule_actions.hpp"

#include "emulator/core/rules/dynamodb_item.hpp"
#include "emulator/core/text/base64.hpp"

#include <algorithm>
#include <charconv>

namespace lambkin::rules {
namespace {

using config::param_value;

action_kind kind_of(std::string_view type) {
  if (type == "lambda") return action_kind::lambda;
  if (type == "republish") return action_kind::republish;
  if (type == "dynamoDBv2") return action_kind::dynamodb_v2;
  if (type == "dynamoDB") return action_kind::dynamodb;
  if (type == "http") return action_kind::http;
  return action_kind::not_emulated;
}

/// The scalar parameter at a dotted path (`putItem.tableName`), or nullptr.
const param_value* scalar_at(const param_value& p, std::string_view path) {
  const param_value* at = &p;
  while (!path.empty()) {
    const auto dot = path.find('.');
    at = at->find(std::string(path.substr(0, dot)));
    if (at == nullptr) return nullptr;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return at->type == param_value::kind::scalar ? at : nullptr;
}

struct action_spec {
  std::vector<std::string_view> templated;  // may hold ${…}
  std::vector<std::string_view> plain;
  std::vector<std::string_view> required;
};

action_spec spec_of(action_kind k) {
  switch (k) {
    case action_kind::lambda:
      return {{"functionArn"}, {}, {"functionArn"}};
    case action_kind::republish:
      return {{"topic", "headers.contentType", "headers.responseTopic", "headers.correlationData",
               "headers.payloadFormatIndicator", "headers.messageExpiry"},
              {"qos"},
              {"topic"}};
    case action_kind::dynamodb_v2:
      return {{"putItem.tableName"}, {}, {"putItem.tableName"}};
    case action_kind::dynamodb:
      return {{"tableName", "hashKeyValue", "rangeKeyValue", "operation"},
              {"hashKeyField", "hashKeyType", "rangeKeyField", "rangeKeyType", "payloadField"},
              {"tableName", "hashKeyField", "hashKeyValue"}};
    case action_kind::http:
      return {{"url"}, {}, {"url"}};
    case action_kind::not_emulated:
      break;
  }
  return {};
}

result<compiled_action, std::string> compile_action(const config::rule_action& a, sql_version v) {
  compiled_action c;
  c.type = a.type;
  c.kind = kind_of(a.type);
  const auto spec = spec_of(c.kind);
  for (auto name : spec.required)
    if (scalar_at(a.parameters, name) == nullptr)
      return std::string("action ") + a.type + ": " + std::string(name) + " is required";
  for (auto name : spec.templated) {
    const auto* p = scalar_at(a.parameters, name);
    if (p == nullptr) continue;
    auto t = compile_template(p->text, v);
    if (!t) return std::string("action ") + a.type + ", " + std::string(name) + ": " + t.error().what();
    c.params.push_back({std::string(name), std::move(*t)});
  }
  for (auto name : spec.plain)
    if (const auto* p = scalar_at(a.parameters, name)) c.plain.emplace_back(std::string(name), p->text);
  // http headers [{key, value}] and republish headers.userProperties [{key, value}]
  const param_value* list = c.kind == action_kind::http ? a.parameters.find("headers")
                            : c.kind == action_kind::republish && a.parameters.find("headers")
                                ? a.parameters.find("headers")->find("userProperties")
                                : nullptr;
  if (list != nullptr && list->type == param_value::kind::list) {
    for (const auto& item : list->items) {
      const auto* key = item.find("key");
      const auto* value = item.find("value");
      if (key == nullptr || value == nullptr) return std::string("action ") + a.type + ": each header needs a key and a value";
      auto t = compile_template(value->text, v);
      if (!t) return std::string("action ") + a.type + ", header " + key->text + ": " + t.error().what();
      c.pairs.emplace_back(key->text, std::move(*t));
    }
  }
  if (c.kind == action_kind::republish) {
    const auto qos = c.plain_or("qos", "0");
    if (qos != "0" && qos != "1") return std::string("action republish: qos must be 0 or 1, not ") + qos;
  }
  return c;
}

struct render_state {
  const compiled_action& action;
  const message_context& m;
  std::optional<action_failure> failure;

  std::optional<std::string> get(std::string_view name, const std::string& resource) {
    const auto* t = action.param(name);
    if (t == nullptr) return std::nullopt;
    auto r = render(*t, m);
    if (!r) {
      if (!failure)
        failure = action_failure{failed_action_name(action.type), resource,
                                 std::string(name) + ": " + r.error().message};
      return std::nullopt;
    }
    return std::move(*r);
  }
};

std::optional<std::variant<planned_action, action_failure>> plan_one(const compiled_action& a, std::size_t index,
                                                                      const message_context& m, const value& result,
                                                                      const std::string& payload) {
  if (a.kind == action_kind::not_emulated) return std::nullopt;
  render_state rs{a, m, std::nullopt};
  planned_action p;
  p.index = index;
  p.failed_action = failed_action_name(a.type);
  auto fail = [&](std::string resource, std::string message) -> std::variant<planned_action, action_failure> {
    return action_failure{p.failed_action, std::move(resource), std::move(message)};
  };
  switch (a.kind) {
    case action_kind::lambda: {
      auto arn = rs.get("functionArn", "");
      if (!arn) return *rs.failure;
      p.resource = *arn;
      p.intent = invoke_intent{*arn, a.function, a.qualifier, payload};
      break;
    }
    case action_kind::republish: {
      auto topic = rs.get("topic", "");
      if (!topic) return *rs.failure;
      republish_intent r;
      // `$$` stands for a literal `$` so reserved topics survive template syntax.
      for (std::size_t i = 0; i < topic->size(); ++i) {
        if ((*topic)[i] == '$' && i + 1 < topic->size() && (*topic)[i + 1] == '$') ++i;
        r.topic += (*topic)[i];
      }
      p.resource = r.topic;
      r.qos = a.plain_or("qos", "0") == "1" ? 1 : 0;
      r.payload = payload;
      r.content_type = rs.get("headers.contentType", r.topic);
      r.response_topic = rs.get("headers.responseTopic", r.topic);
      if (auto c = rs.get("headers.correlationData", r.topic)) {
        auto raw = text::base64_decode(*c);
        if (!raw) return fail(r.topic, "headers.correlationData is not base64: " + *c);
        r.correlation_data = std::move(*raw);
      }
      if (auto f = rs.get("headers.payloadFormatIndicator", r.topic))
        r.payload_format_indicator = *f == "UTF8_DATA" ? 1 : 0;
      if (auto e = rs.get("headers.messageExpiry", r.topic)) {
        std::uint32_t seconds = 0;
        auto [ptr, ec] = std::from_chars(e->data(), e->data() + e->size(), seconds);
        if (ec != std::errc{} || ptr != e->data() + e->size())
          return fail(r.topic, "headers.messageExpiry is not a number of seconds: " + *e);
        r.message_expiry = seconds;
      }
      for (const auto& [key, tmpl] : a.pairs) {
        auto v = render(tmpl, m);
        if (!v) return fail(r.topic, "user property " + key + ": " + v.error().message);
        r.user_properties.emplace_back(key, std::move(*v));
      }
      if (rs.failure) return *rs.failure;
      p.intent = std::move(r);
      break;
    }
    case action_kind::dynamodb_v2: {
      auto table = rs.get("putItem.tableName", "");
      if (!table) return *rs.failure;
      p.resource = *table;
      auto req = put_item_request(*table, result);
      if (!req) return fail(*table, "the rule's result is not a JSON object, so it has no columns to write");
      p.intent = table_intent{"PutItem", *table, std::move(*req)};
      break;
    }
    case action_kind::dynamodb: {
      auto table = rs.get("tableName", "");
      if (!table) return *rs.failure;
      p.resource = *table;
      auto hash = rs.get("hashKeyValue", *table);
      auto range = rs.get("rangeKeyValue", *table);
      auto operation = rs.get("operation", *table).value_or("INSERT");
      if (rs.failure) return *rs.failure;
      const dynamodb_v1_keys keys{a.plain_or("hashKeyField", ""), *hash, a.plain_or("hashKeyType", "STRING"),
                                  a.plain_or("rangeKeyField", ""), range, a.plain_or("rangeKeyType", "STRING")};
      auto req = dynamodb_v1_request(*table, operation, keys, a.plain_or("payloadField", "payload"), result);
      if (!req) return fail(*table, "operation must be INSERT, UPDATE or DELETE, not " + operation);
      p.intent = table_intent{std::move(req->first), *table, std::move(req->second)};
      break;
    }
    case action_kind::http: {
      auto url = rs.get("url", "");
      if (!url) return *rs.failure;
      p.resource = *url;
      http_intent h{*url, {}, payload};
      for (const auto& [key, tmpl] : a.pairs) {
        auto v = render(tmpl, m);
        if (!v) return fail(*url, "header " + key + ": " + v.error().message);
        h.headers.emplace_back(key, std::move(*v));
      }
      p.intent = std::move(h);
      break;
    }
    case action_kind::not_emulated:
      return std::nullopt;
  }
  return p;
}

}  // namespace

const substitution_template* compiled_action::param(std::string_view name) const {
  for (const auto& p : params)
    if (p.name == name) return &p.text;
  return nullptr;
}

std::string compiled_action::plain_or(std::string_view name, std::string fallback) const {
  for (const auto& [k, v] : plain)
    if (k == name) return v;
  return fallback;
}

std::string failed_action_name(std::string_view type) {
  if (type == "lambda") return "LambdaAction";
  if (type == "republish") return "RepublishAction";
  if (type == "dynamoDBv2") return "DynamoDBv2Action";
  if (type == "dynamoDB") return "DynamoAction";
  if (type == "http") return "HttpAction";
  std::string name(type);
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name + "Action";
}

result<compiled_rule, rule_error> compile_rule(const config::rule_config& cfg) {
  const auto version = parse_sql_version(cfg.sql_version).value_or(default_rule_sql_version);
  auto stmt = compile(cfg.sql, version);
  if (!stmt) return rule_error{cfg.name, "SQL " + stmt.error().what()};
  compiled_rule r{cfg.name, std::move(*stmt), !cfg.disabled, cfg.description, {}, std::nullopt, {}};
  for (std::size_t i = 0; i < cfg.actions.size(); ++i) {
    auto a = compile_action(cfg.actions[i], version);
    if (!a) return rule_error{cfg.name, a.error()};
    if (a->kind == action_kind::not_emulated)
      r.warnings.push_back("action " + std::to_string(i + 1) + " (" + a->type +
                           ") is not emulated by lambkin; the rule runs its other actions");
    // A lambda action the template loader resolved keeps the function it found.
    a->function = cfg.actions[i].function;
    a->qualifier = cfg.actions[i].qualifier;
    r.actions.push_back(std::move(*a));
  }
  if (cfg.error_action) {
    auto a = compile_action(*cfg.error_action, version);
    if (!a) return rule_error{cfg.name, "errorAction: " + a.error()};
    if (a->kind == action_kind::not_emulated)
      r.warnings.push_back("errorAction (" + a->type + ") is not emulated by lambkin");
    r.error_action = std::move(*a);
  }
  return r;
}

rules_check check_rules(const std::vector<config::rule_config>& rules) {
  rules_check out;
  for (const auto& r : rules) {
    const auto where = r.source.file + ":" + std::to_string(r.source.line) + ":" + std::to_string(r.source.column) +
                       ": rule " + r.name + ": ";
    auto compiled = compile_rule(r);
    if (!compiled) {
      out.errors.push_back(where + compiled.error().message);
      continue;
    }
    for (const auto& w : compiled->warnings) out.warnings.push_back(where + w);
  }
  return out;
}

action_plan plan_actions(const compiled_rule& rule, const message_context& m, const evaluation& eval) {
  action_plan plan;
  if (eval.kind != evaluation::outcome::output) return plan;
  for (std::size_t i = 0; i < rule.actions.size(); ++i) {
    auto one = plan_one(rule.actions[i], i, m, eval.result, eval.payload);
    if (!one) continue;
    if (auto* p = std::get_if<planned_action>(&*one))
      plan.actions.push_back(std::move(*p));
    else
      plan.failures.push_back(std::get<action_failure>(std::move(*one)));
  }
  return plan;
}

std::optional<std::variant<planned_action, action_failure>> plan_error_action(const compiled_rule& rule,
                                                                              const message_context& m,
                                                                              const std::string& error_json) {
  if (!rule.error_action) return std::nullopt;
  // The error action's input is the error message: dynamoDBv2 writes its fields as columns.
  value as_value;
  message_context error_msg = m;
  error_msg.payload = error_json;
  if (auto doc = evaluate_expression("*", error_msg); doc) as_value = *doc;
  return plan_one(*rule.error_action, rule.actions.size(), m, as_value, error_json);
}

std::string error_message(const std::string& rule_name, const message_context& m, const std::string& trace_id,
                          const std::vector<action_failure>& failures) {
  std::string out = "{\"ruleName\":";
  append_json_string(out, rule_name);
  out += ",\"topic\":";
  append_json_string(out, m.topic);
  out += ",\"cloudwatchTraceId\":";
  append_json_string(out, trace_id);
  out += ",\"clientId\":";
  append_json_string(out, m.client_id);
  out += ",\"base64OriginalPayload\":";
  append_json_string(out, text::base64_encode(m.payload));
  out += ",\"failures\":[";
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (i != 0) out += ',';
    out += "{\"failedAction\":";
    append_json_string(out, failures[i].failed_action);
    out += ",\"failedResource\":";
    append_json_string(out, failures[i].failed_resource);
    out += ",\"errorMessage\":";
    append_json_string(out, failures[i].error_message);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace lambkin::rules
