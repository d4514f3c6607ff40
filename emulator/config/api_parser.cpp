// AWS::Serverless::HttpApi and AWS::Serverless::Api → api_config (routes come from function events).
#include "emulator/config/resource_parsers.hpp"

namespace lambkin::config {
namespace {

const std::vector<std::string> http_api_properties{
    "AccessLogSettings", "Auth", "CorsConfiguration", "DefaultRouteSettings", "DefinitionBody", "DefinitionUri",
    "Description", "DisableExecuteApiEndpoint", "Domain", "FailOnWarnings", "Name", "PropagateTags",
    "RouteSettings", "StageName", "StageVariables", "Tags"};

const std::vector<std::string> rest_api_properties{
    "AccessLogSetting", "AlwaysDeploy", "ApiKeySourceType", "Auth", "BinaryMediaTypes", "CacheClusterEnabled",
    "CacheClusterSize", "CanarySetting", "Cors", "DefinitionBody", "DefinitionUri", "Description",
    "DisableExecuteApiEndpoint", "Domain", "EndpointConfiguration", "FailOnWarnings", "GatewayResponses",
    "MergeDefinitions", "MethodSettings", "MinimumCompressionSize", "Mode", "Models", "Name", "OpenApiVersion",
    "PropagateTags", "StageName", "Tags", "TracingEnabled", "Variables"};

// REST API CORS values are header values in single quotes: "'GET,POST'" → GET, POST.
std::vector<std::string> unquote_list(std::string s) {
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') s = s.substr(1, s.size() - 2);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

std::optional<cors_config> http_cors(const property_reader& props) {
  const node* n = props.find("CorsConfiguration");
  if (!n) return std::nullopt;
  if (n->is_scalar()) {
    auto on = read_boolean(*n, props.path("CorsConfiguration"), props.diags());
    if (!on || !*on) return std::nullopt;
    return cors_config{{"*"}, {"*"}, {"*"}, {}, std::nullopt, false};  // `true`: allow everything
  }
  auto c = props.child("CorsConfiguration");
  if (!c) return std::nullopt;
  c->allow({"AllowCredentials", "AllowHeaders", "AllowMethods", "AllowOrigins", "ExposeHeaders", "MaxAge"});
  cors_config cors;
  if (auto v = c->string_list("AllowOrigins")) cors.allow_origins = *v;
  if (auto v = c->string_list("AllowMethods")) cors.allow_methods = *v;
  if (auto v = c->string_list("AllowHeaders")) cors.allow_headers = *v;
  if (auto v = c->string_list("ExposeHeaders")) cors.expose_headers = *v;
  if (auto v = c->integer("MaxAge", -1, 86400)) cors.max_age = static_cast<int>(*v);
  if (auto v = c->boolean("AllowCredentials")) cors.allow_credentials = *v;
  return cors;
}

std::optional<cors_config> rest_cors(const property_reader& props) {
  const node* n = props.find("Cors");
  if (!n) return std::nullopt;
  cors_config cors;
  if (n->is_scalar()) {
    cors.allow_origins = unquote_list(n->text);
    return cors;
  }
  auto c = props.child("Cors");
  if (!c) return std::nullopt;
  c->allow({"AllowCredentials", "AllowHeaders", "AllowMethods", "AllowOrigin", "MaxAge"});
  if (auto v = c->string("AllowOrigin", true)) cors.allow_origins = unquote_list(*v);
  if (auto v = c->string("AllowMethods")) cors.allow_methods = unquote_list(*v);
  if (auto v = c->string("AllowHeaders")) cors.allow_headers = unquote_list(*v);
  if (auto v = c->string("MaxAge")) {
    auto ages = unquote_list(*v);
    if (!ages.empty() && !ages.front().empty() && ages.front().find_first_not_of("0123456789") == std::string::npos)
      cors.max_age = std::stoi(ages.front());
  }
  if (auto v = c->boolean("AllowCredentials")) cors.allow_credentials = *v;
  return cors;
}

}  // namespace

void parse_api(resource_entry& e, parse_context& ctx) {
  const bool http = e.kind == resource_kind::http_api;
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  props.allow(http ? http_api_properties : rest_api_properties);
  api_config api;
  api.logical_id = e.logical_id;
  api.kind = http ? api_kind::http : api_kind::rest;
  api.source = ctx.location(e.at);
  if (auto stage = props.string("StageName", !http)) api.stage_name = *stage;
  api.cors = http ? http_cors(props) : rest_cors(props);
  for (const char* definition : {"DefinitionBody", "DefinitionUri"})
    if (props.has(definition))
      ctx.diags.warning(props.at(definition), props.path(definition),
                        "ignored: lambkin takes routes only from the functions' HttpApi/Api events");
  ctx.out.apis.push_back(std::move(api));
}

}  // namespace lambkin::config
