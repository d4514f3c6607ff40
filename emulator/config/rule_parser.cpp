// AWS::IoT::TopicRule → rule_config, and the actions of every rule.
#include "emulator/config/resource_parsers.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace lambkin::config {
namespace {

// CloudFormation's action keys (AWS::IoT::TopicRule Action).
const std::vector<std::string> action_types{
    "CloudwatchAlarm", "CloudwatchLogs", "CloudwatchMetric", "DynamoDB",   "DynamoDBv2", "Elasticsearch",
    "Firehose",        "Http",           "IotAnalytics",     "IotEvents",  "IotSiteWise", "Kafka",
    "Kinesis",         "Lambda",         "Location",         "OpenSearch", "Republish",  "S3",
    "Sns",             "Sqs",            "StepFunctions",    "Timestream"};

// The IoT API names parameters like CloudFormation with a lower-case first letter.
std::string api_name(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

param_value to_param(const node& n) {
  param_value p;
  if (n.is_sequence()) {
    p.type = param_value::kind::list;
    for (const auto& item : n.items) p.items.push_back(to_param(item));
  } else if (n.is_map()) {
    p.type = param_value::kind::object;
    for (const auto& m : n.members) p.members.emplace_back(api_name(m.key), to_param(m.value));
  } else {
    p.text = n.text;
  }
  return p;
}

}  // namespace

void add_rule(rule_config r, mark at, const std::string& path, parse_context& ctx) {
  if (!std::regex_match(r.name, std::regex("[A-Za-z0-9_]{1,128}")))
    ctx.diags.error(at, path, "rule name '" + r.name + "' must be 1 to 128 letters, digits or underscores");
  for (const auto& other : ctx.out.rules)
    if (other.name == r.name)
      ctx.diags.error(at, path, "rule name '" + r.name + "' is already used by " + other.logical_id);
  ctx.out.rules.push_back(std::move(r));
}

std::optional<rule_action> read_rule_action(const node& n, const std::string& path, parse_context& ctx) {
  if (n.is_invalid()) return std::nullopt;
  if (!n.is_map() || n.members.size() != 1) {
    ctx.diags.error(n.at, path, "must be one action: a map with one key such as Lambda or Republish");
    return std::nullopt;
  }
  const member& m = n.members.front();
  const std::string action_path = join_path(path, m.key);
  if (std::find(action_types.begin(), action_types.end(), m.key) == action_types.end()) {
    ctx.diags.error(m.key_at, action_path, "unknown action '" + m.key + "'" + did_you_mean(m.key, action_types));
    return std::nullopt;
  }
  if (!m.value.is_map()) {
    ctx.diags.error(m.value.at, action_path, "must be a map of the action's parameters");
    return std::nullopt;
  }
  rule_action a;
  a.type = api_name(m.key);
  a.parameters = to_param(m.value);
  if (m.key == "Lambda") {
    const property_reader lambda(m.value, action_path, ctx.diags);
    auto arn = lambda.string("FunctionArn", true);
    if (!arn) return std::nullopt;
    if (auto target = ctx.function_for_arn(*arn)) {
      a.function = target->first;
      a.qualifier = target->second;
    } else {
      ctx.diags.warning(lambda.find("FunctionArn")->at, lambda.path("FunctionArn"),
                        "'" + *arn + "' is not a function of this template; lambkin cannot invoke it");
    }
  }
  return a;
}

void parse_topic_rule(resource_entry& e, parse_context& ctx) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow({"RuleName", "Tags", "TopicRulePayload"});
  rule_config r;
  r.logical_id = e.logical_id;
  r.name = ctx.resolve.physical_name(e);
  r.origin = rule_origin::topic_rule_resource;
  r.source = ctx.location(e.at);
  if (auto payload = props.child("TopicRulePayload", true)) {
    payload->allow({"Actions", "AwsIotSqlVersion", "Description", "ErrorAction", "RuleDisabled", "Sql"});
    if (auto sql = payload->string("Sql", true)) r.sql = *sql;
    if (auto v = payload->one_of("AwsIotSqlVersion", {"2015-10-08", "2016-03-23", "beta"})) r.sql_version = *v;
    if (auto v = payload->boolean("RuleDisabled")) r.disabled = *v;
    if (auto v = payload->string("Description")) r.description = *v;
    if (payload->require("Actions")) {
      const node* actions = payload->find("Actions");
      if (actions && (!actions->is_sequence() || actions->items.size() > 10)) {
        ctx.diags.error(actions->at, payload->path("Actions"), "must be a list of at most 10 actions");
      } else if (actions) {
        for (std::size_t i = 0; i < actions->items.size(); ++i)
          if (auto a = read_rule_action(actions->items[i], index_path(payload->path("Actions"), i), ctx))
            r.actions.push_back(std::move(*a));
      }
    }
    if (const node* error_action = payload->find("ErrorAction"))
      r.error_action = read_rule_action(*error_action, payload->path("ErrorAction"), ctx);
  }
  const node* name = props.find("RuleName");
  add_rule(std::move(r), name ? name->at : e.at, name ? props.path("RuleName") : "Resources." + e.logical_id, ctx);
}

}  // namespace lambkin::config
