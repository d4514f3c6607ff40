#include "emulator/io/http/iot_rules_api.hpp"

#include "emulator/core/rules/rule_actions.hpp"
#include "emulator/core/text/url.hpp"
#include "emulator/io/rules/rule_engine.hpp"

#include <boost/json.hpp>

#include <regex>

namespace lambkin::io::http {
namespace json = boost::json;
namespace verb_ns = boost::beast::http;

namespace {

response iot_error(const request& req, unsigned status, std::string_view type, std::string_view message) {
  json::object body{{"message", message}};
  auto res = make_response(req, status, "application/json", json::serialize(body));
  res.set("x-amzn-ErrorType", std::string(type) + ":");
  return res;
}

response ok(const request& req, const json::value& body) {
  return make_response(req, 200, "application/json", json::serialize(body));
}

// ---- topicRulePayload JSON ⇄ config::rule_config -----------------------------------------------

config::param_value to_param(const json::value& v) {
  using config::param_value;
  param_value p;
  if (v.is_object()) {
    p.type = param_value::kind::object;
    for (const auto& [k, member] : v.as_object()) p.members.emplace_back(std::string(k), to_param(member));
  } else if (v.is_array()) {
    p.type = param_value::kind::list;
    for (const auto& item : v.as_array()) p.items.push_back(to_param(item));
  } else if (v.is_string()) {
    p.text = std::string(v.as_string());
  } else {
    p.text = json::serialize(v);  // numbers and booleans keep their JSON spelling
  }
  return p;
}

json::value from_param(const config::param_value& p, std::string_view key = {}) {
  using config::param_value;
  if (p.type == param_value::kind::object) {
    json::object o;
    for (const auto& m : p.members) o[m.key] = from_param(m.value, m.key);
    return o;
  }
  if (p.type == param_value::kind::list) {
    json::array a;
    for (const auto& item : p.items) a.push_back(from_param(item));
    return a;
  }
  if (key == "qos" || key == "batchMode" || key == "useBase64") {  // the API's non-string scalars
    json::error_code ec;
    auto v = json::parse(p.text, ec);
    if (!ec) return v;
  }
  return json::string(p.text);
}

/// The rule a topicRulePayload describes, or the InvalidRequestException message.
std::variant<config::rule_config, std::string> rule_from_payload(const std::string& name, const std::string& body) {
  json::error_code ec;
  auto doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return std::string("the topic rule payload is not a JSON object");
  const auto& o = doc.as_object();
  config::rule_config r;
  r.name = name;
  r.logical_id = name;
  r.origin = config::rule_origin::topic_rule_resource;
  const auto* sql = o.if_contains("sql");
  if (sql == nullptr || !sql->is_string()) return std::string("sql is required");
  r.sql = std::string(sql->as_string());
  if (const auto* v = o.if_contains("awsIotSqlVersion"); v && v->is_string()) {
    r.sql_version = std::string(v->as_string());
    if (!lambkin::rules::parse_sql_version(r.sql_version))
      return "awsIotSqlVersion must be 2015-10-08, 2016-03-23 or beta, not " + r.sql_version;
  }
  if (const auto* v = o.if_contains("description"); v && v->is_string()) r.description = std::string(v->as_string());
  if (const auto* v = o.if_contains("ruleDisabled"); v && v->is_bool()) r.disabled = v->as_bool();
  auto read_action = [](const json::value& a) -> std::optional<config::rule_action> {
    if (!a.is_object() || a.as_object().size() != 1) return std::nullopt;
    const auto& [type, params] = *a.as_object().begin();
    if (!params.is_object()) return std::nullopt;
    config::rule_action action;
    action.type = std::string(type);
    action.parameters = to_param(params);
    return action;
  };
  if (const auto* v = o.if_contains("actions")) {
    if (!v->is_array() || v->as_array().size() > 10) return std::string("actions must be a list of at most 10 actions");
    for (const auto& a : v->as_array()) {
      auto action = read_action(a);
      if (!action) return std::string("each action must be an object with one action type, like {\"lambda\": {…}}");
      r.actions.push_back(std::move(*action));
    }
  }
  if (const auto* v = o.if_contains("errorAction")) {
    auto action = read_action(*v);
    if (!action) return std::string("errorAction must be an object with one action type");
    r.error_action = std::move(*action);
  }
  return r;
}

json::object rule_json(const rules::rule_view& v, const std::string& arn) {
  const auto& c = v.config;
  json::array actions;
  for (const auto& a : c.actions) actions.push_back(json::object{{a.type, from_param(a.parameters)}});
  json::object rule{{"ruleName", c.name},
                    {"sql", c.sql},
                    {"description", c.description},
                    {"createdAt", static_cast<double>(v.created_at_ms) / 1000.0},
                    {"actions", std::move(actions)},
                    {"ruleDisabled", c.disabled},
                    {"awsIotSqlVersion", c.sql_version}};
  if (c.error_action) rule["errorAction"] = json::object{{c.error_action->type, from_param(c.error_action->parameters)}};
  return json::object{{"ruleArn", arn}, {"rule", std::move(rule)}};
}

std::string topic_pattern(const std::string& sql) {
  if (auto stmt = lambkin::rules::compile(sql)) return stmt->topic_filter();
  return {};
}

}  // namespace

bool is_iot_rules_path(std::string_view path) noexcept { return path == "/rules" || path.starts_with("/rules/"); }

response handle_iot_rules(rules::rule_engine& engine, const request& req, std::string_view region,
                          std::string_view account) {
  const auto [raw_path, query] = text::split_target(req.target());
  const auto arn_of = [&](const std::string& name) {
    return "arn:aws:iot:" + std::string(region) + ":" + std::string(account) + ":rule/" + name;
  };
  if (raw_path == "/rules") {
    if (req.method() != verb_ns::verb::get) return iot_error(req, 405, "MethodNotAllowedException", "use GET /rules");
    std::optional<std::string> topic;
    std::optional<bool> disabled;
    for (const auto& [k, v] : text::parse_query(query)) {
      if (k == "topic") topic = v;
      if (k == "ruleDisabled") disabled = v == "true";
    }
    json::array list;
    for (const auto* v : engine.list()) {
      const auto pattern = topic_pattern(v->config.sql);
      if (topic && pattern != *topic) continue;
      if (disabled && v->config.disabled != *disabled) continue;
      list.push_back(json::object{{"ruleArn", arn_of(v->config.name)},
                                  {"ruleName", v->config.name},
                                  {"topicPattern", pattern},
                                  {"createdAt", static_cast<double>(v->created_at_ms) / 1000.0},
                                  {"ruleDisabled", v->config.disabled}});
    }
    return ok(req, json::object{{"rules", std::move(list)}});
  }

  auto rest = raw_path.substr(std::string_view("/rules/").size());
  std::string_view op;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    op = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  const auto decoded = text::percent_decode(rest);
  const std::string name = decoded.value_or(std::string(rest));
  static const std::regex valid_name("[a-zA-Z0-9_]{1,128}");
  if (!std::regex_match(name, valid_name))
    return iot_error(req, 400, "InvalidRequestException",
                     "1 validation error detected: Value '" + name +
                         "' at 'ruleName' failed to satisfy constraint: Member must satisfy regular expression "
                         "pattern: ^[a-zA-Z0-9_]+$");
  const auto missing = [&] {
    return iot_error(req, 401, "UnauthorizedException", "Rule " + arn_of(name) + " does not exist");
  };

  if (!op.empty()) {
    if (req.method() != verb_ns::verb::post || (op != "enable" && op != "disable"))
      return iot_error(req, 404, "UnknownOperationException", "no IoT operation at " + std::string(raw_path));
    if (!engine.set_enabled(name, op == "enable")) return missing();
    return make_response(req, 200, "application/json", "");
  }

  switch (req.method()) {
    case verb_ns::verb::get: {
      const auto* v = engine.find(name);
      if (v == nullptr) return missing();
      return ok(req, rule_json(*v, arn_of(name)));
    }
    case verb_ns::verb::delete_:
      if (!engine.remove(name)) return missing();
      return make_response(req, 200, "application/json", "");
    case verb_ns::verb::post:
    case verb_ns::verb::patch: {
      const bool create = req.method() == verb_ns::verb::post;
      if (create && engine.find(name) != nullptr)
        return iot_error(req, 409, "ResourceAlreadyExistsException", "Rule " + name + " already exists");
      if (!create && engine.find(name) == nullptr) return missing();
      auto parsed = rule_from_payload(name, req.body());
      if (auto* err = std::get_if<std::string>(&parsed)) return iot_error(req, 400, "InvalidRequestException", *err);
      auto& rule = std::get<config::rule_config>(parsed);
      const auto version = lambkin::rules::parse_sql_version(rule.sql_version).value_or(lambkin::rules::default_rule_sql_version);
      if (auto stmt = lambkin::rules::compile(rule.sql, version); !stmt)
        return iot_error(req, 400, "SqlParseException", stmt.error().what());
      auto err = create ? engine.create(std::move(rule)) : engine.replace(std::move(rule));
      if (err) return iot_error(req, 400, "InvalidRequestException", *err);
      return make_response(req, 200, "application/json", "");
    }
    default:
      return iot_error(req, 405, "MethodNotAllowedException", "no IoT operation for this method on a rule");
  }
}

}  // namespace lambkin::io::http
