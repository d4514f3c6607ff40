#include "emulator/config/globals.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace lambkin::config {
namespace {

struct section_rule {
  std::string resource_type;
  std::vector<std::string> allowed;
};

// The properties SAM accepts in each Globals section.
const std::map<std::string, section_rule>& sections() {
  static const std::map<std::string, section_rule> rules{
      {"Function",
       {"AWS::Serverless::Function",
        {"Architectures", "AssumeRolePolicyDocument", "AutoPublishAlias", "AutoPublishAliasAllProperties",
         "CodeSigningConfigArn", "CodeUri", "DeadLetterQueue", "DeploymentPreference", "Description",
         "Environment", "EphemeralStorage", "EventInvokeConfig", "FileSystemConfigs", "FunctionUrlConfig",
         "Handler", "KmsKeyArn", "Layers", "LoggingConfig", "MemorySize", "PermissionsBoundary", "PropagateTags",
         "ProvisionedConcurrencyConfig", "RecursiveLoop", "ReservedConcurrentExecutions", "Runtime",
         "RuntimeManagementConfig", "SnapStart", "SourceKMSKeyArn", "Tags", "Timeout", "Tracing", "VpcConfig"}}},
      {"HttpApi",
       {"AWS::Serverless::HttpApi",
        {"AccessLogSettings", "Auth", "CorsConfiguration", "DefaultRouteSettings", "Domain", "FailOnWarnings",
         "PropagateTags", "RouteSettings", "StageVariables", "Tags"}}},
      {"Api",
       {"AWS::Serverless::Api",
        {"AccessLogSetting", "Auth", "BinaryMediaTypes", "CacheClusterEnabled", "CacheClusterSize",
         "CanarySetting", "Cors", "DefinitionUri", "Domain", "EndpointConfiguration", "GatewayResponses",
         "MethodSettings", "MinimumCompressionSize", "Name", "OpenApiVersion", "PropagateTags", "StageName",
         "TracingEnabled", "Variables"}}},
      {"SimpleTable", {"AWS::Serverless::SimpleTable", {"SSESpecification"}}},
  };
  return rules;
}

void merge(node& into, const node& global) {
  if (into.is_map() && global.is_map() && !is_intrinsic(into) && !is_intrinsic(global)) {
    std::vector<member> merged;
    for (const auto& g : global.members)
      if (!into.find(g.key)) merged.push_back(g);
    for (auto& m : into.members) {
      if (const node* g = global.find(m.key)) merge(m.value, *g);
      merged.push_back(std::move(m));
    }
    into.members = std::move(merged);
  } else if (into.is_sequence() && global.is_sequence()) {
    into.items.insert(into.items.begin(), global.items.begin(), global.items.end());
  }
  // Otherwise the resource's own value wins.
}

}  // namespace

void apply_globals(node& root, diagnostics& diags) {
  const node* globals = root.find("Globals");
  if (!globals) return;
  if (!globals->is_map()) {
    diags.error(globals->at, "Globals", "must be a map of sections (Function, HttpApi, Api, SimpleTable)");
    return;
  }
  std::vector<std::string> names;
  for (const auto& [name, rule] : sections()) names.push_back(name);
  node* resources = root.find("Resources");
  for (const auto& section : globals->members) {
    const std::string path = "Globals." + section.key;
    auto rule = sections().find(section.key);
    if (rule == sections().end()) {
      diags.error(section.key_at, path, "unknown Globals section '" + section.key + "'" + did_you_mean(section.key, names));
      continue;
    }
    if (!section.value.is_map()) {
      diags.error(section.value.at, path, "must be a map of properties");
      continue;
    }
    node allowed{node::kind::map, {}, {}, {}, section.value.at};
    for (const auto& m : section.value.members) {
      const auto& ok = rule->second.allowed;
      if (std::find(ok.begin(), ok.end(), m.key) != ok.end()) {
        allowed.members.push_back(m);
      } else {
        diags.error(m.key_at, join_path(path, m.key),
                    "'" + m.key + "' cannot be set in Globals" + did_you_mean(m.key, ok));
      }
    }
    if (!resources || !resources->is_map()) continue;
    for (auto& r : resources->members) {
      const node* type = r.value.find("Type");
      if (!r.value.is_map() || !type || type->text != rule->second.resource_type) continue;
      node* props = r.value.find("Properties");
      if (!props) {
        r.value.members.push_back(member{"Properties", r.key_at, node{node::kind::map, {}, {}, {}, r.key_at}});
        props = &r.value.members.back().value;
      }
      if (props->is_map()) merge(*props, allowed);
    }
  }
}

}  // namespace lambkin::config
