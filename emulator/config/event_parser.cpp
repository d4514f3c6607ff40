// A function's Events: IoTRule → rule_config, HttpApi/Api → route_config, S3 → bucket_notification
// (bucket_parser.cpp); the rest are warned about.
#include "emulator/config/resource_parsers.hpp"

#include <algorithm>
#include <cctype>

namespace lambkin::config {
namespace {

// SAM's event source types that lambkin does not emulate (reported, not silently dropped).
const std::vector<std::string> other_event_types{
    "AlexaSkill", "CloudWatchEvent", "CloudWatchLogs", "Cognito", "DocumentDB", "DynamoDB", "EventBridgeRule",
    "Kinesis",    "MQ",              "MSK",            "Schedule",   "ScheduleV2", "SelfManagedKafka",
    "SNS",        "SQS"};

const std::vector<std::string> methods{"ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"};

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string qualified_arn(const function_config& f) { return f.alias.empty() ? f.arn : f.arn + ":" + f.alias; }

void add_implicit_api(const std::string& id, api_kind kind, parse_context& ctx) {
  if (ctx.out.find_api(id)) return;
  api_config api;
  api.logical_id = id;
  api.kind = kind;
  api.stage_name = kind == api_kind::http ? "$default" : "Prod";  // SAM's stages for its implicit APIs
  api.implicit = true;
  ctx.out.apis.push_back(std::move(api));
}

void iot_rule_event(const function_config& f, const std::string& event, const property_reader& ev, mark at,
                    parse_context& ctx) {
  auto p = ev.child("Properties", true);
  if (!p) return;
  p->allow({"AwsIotSqlVersion", "Sql"});
  rule_config r;
  r.logical_id = f.logical_id + event;  // the TopicRule SAM generates has this logical id
  r.name = r.logical_id;
  r.origin = rule_origin::function_event;
  r.source = ctx.location(at);
  if (auto sql = p->string("Sql", true)) r.sql = *sql;
  if (auto v = p->one_of("AwsIotSqlVersion", {"2015-10-08", "2016-03-23", "beta"})) r.sql_version = *v;
  rule_action invoke;
  invoke.type = "lambda";
  invoke.parameters.type = param_value::kind::object;
  invoke.parameters.members.emplace_back("functionArn", param_value{param_value::kind::scalar, qualified_arn(f), {}, {}});
  invoke.function = f.name;
  invoke.qualifier = f.alias;
  r.actions.push_back(std::move(invoke));
  add_rule(std::move(r), at, ev.path(), ctx);
}

void api_event(const function_config& f, const std::string& event, const std::string& type,
               const property_reader& ev, mark at, parse_context& ctx) {
  const bool http = type == "HttpApi";
  const std::string api_key = http ? "ApiId" : "RestApiId";
  route_config route;
  route.kind = http ? api_kind::http : api_kind::rest;
  route.payload_format = http ? "2.0" : "1.0";
  route.function = f.name;
  route.qualifier = f.alias;
  route.event = f.logical_id + "." + event;
  route.source = ctx.location(at);
  auto p = ev.child("Properties", !http);
  if (!p && !http) return;
  const node empty{node::kind::map, {}, {}, {}, at};
  const property_reader props = p ? *p : property_reader(empty, ev.path("Properties"), ctx.diags);
  if (http) {
    props.allow({"ApiId", "Auth", "Method", "Path", "PayloadFormatVersion", "RouteSettings", "TimeoutInMillis"});
    if (auto v = props.one_of("PayloadFormatVersion", {"1.0", "2.0"})) route.payload_format = *v;
  } else {
    props.allow({"Auth", "Method", "Path", "RequestModel", "RequestParameters", "RestApiId", "TimeoutInMillis"});
  }
  route.api_id = http ? "ServerlessHttpApi" : "ServerlessRestApi";
  if (auto id = props.string(api_key)) {
    const resource_entry* api = ctx.resolve.resources().find(*id);
    const resource_kind wanted = http ? resource_kind::http_api : resource_kind::rest_api;
    if (!api || api->kind != wanted || !api->definition) {
      ctx.diags.error(props.find(api_key)->at, props.path(api_key),
                      "must name an " + std::string(http ? "AWS::Serverless::HttpApi" : "AWS::Serverless::Api") +
                          " of this template (e.g. !Ref MyApi), not '" + *id + "'");
      return;
    }
    route.api_id = *id;
  } else {
    add_implicit_api(route.api_id, route.kind, ctx);
  }
  if (http && !props.has("Path") && !props.has("Method")) {
    route.method = "ANY";  // SAM's default route catches every request no other route matches
    route.path = "$default";
  } else {
    auto path = props.string("Path", true);
    auto method = props.string("Method", true);
    if (!path || !method) return;
    route.method = upper(*method);
    route.path = *path;
    if (std::find(methods.begin(), methods.end(), route.method) == methods.end())
      ctx.diags.error(props.find("Method")->at, props.path("Method"),
                      "must be an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) or ANY");
    if (!path->starts_with("/"))
      ctx.diags.error(props.find("Path")->at, props.path("Path"), "must start with '/'");
  }
  for (const auto& other : ctx.out.routes)
    if (other.api_id == route.api_id && other.method == route.method && other.path == route.path) {
      ctx.diags.error(props.has("Path") ? props.find("Path")->at : at, ev.path("Properties"),
                      "route " + route.method + " " + route.path + " is already served by " + other.event);
      return;
    }
  ctx.out.routes.push_back(std::move(route));
}

}  // namespace

void parse_function_events(const function_config& f, const property_reader& props, parse_context& ctx) {
  auto events = props.child("Events");
  if (!events) return;
  for (const auto& m : events->map().members) {
    const std::string path = events->path(m.key);
    if (!std::all_of(m.key.begin(), m.key.end(), [](unsigned char c) { return std::isalnum(c); })) {
      ctx.diags.error(m.key_at, path, "event names must be alphanumeric (A-Za-z0-9)");
      continue;
    }
    const property_reader ev(m.value, path, ctx.diags);
    ev.allow({"Properties", "Type"});
    auto type = ev.string("Type", true);
    if (!type) continue;
    if (*type == "IoTRule") {
      iot_rule_event(f, m.key, ev, m.key_at, ctx);
    } else if (*type == "HttpApi" || *type == "Api") {
      api_event(f, m.key, *type, ev, m.key_at, ctx);
    } else if (*type == "S3") {
      s3_event(f, m.key, ev, m.key_at, ctx);
    } else if (std::find(other_event_types.begin(), other_event_types.end(), *type) != other_event_types.end()) {
      ctx.diags.warning("ignored: " + *type + " event " + f.logical_id + "." + m.key);
    } else {
      std::vector<std::string> known = other_event_types;
      known.insert(known.end(), {"IoTRule", "HttpApi", "Api", "S3"});
      ctx.diags.error(ev.find("Type")->at, ev.path("Type"), "unknown event type '" + *type + "'" + did_you_mean(*type, known));
    }
  }
}

}  // namespace lambkin::config
