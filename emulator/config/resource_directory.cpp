#include "emulator/config/resource_directory.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace lambkin::config {

resource_kind kind_of(std::string_view type) {
  static constexpr std::array<std::pair<std::string_view, resource_kind>, 13> kinds{{
      {"AWS::Serverless::Function", resource_kind::serverless_function},
      {"AWS::Lambda::Function", resource_kind::lambda_function},
      {"AWS::IoT::TopicRule", resource_kind::topic_rule},
      {"AWS::DynamoDB::Table", resource_kind::dynamodb_table},
      {"AWS::Serverless::SimpleTable", resource_kind::simple_table},
      {"AWS::Serverless::HttpApi", resource_kind::http_api},
      {"AWS::Serverless::Api", resource_kind::rest_api},
      {"AWS::S3::Bucket", resource_kind::s3_bucket},
      {"AWS::IoT::Policy", resource_kind::iot_policy},
      {"AWS::IoT::Certificate", resource_kind::iot_certificate},
      {"AWS::IoT::Thing", resource_kind::iot_thing},
      {"AWS::IoT::PolicyPrincipalAttachment", resource_kind::iot_policy_attachment},
      {"AWS::IoT::ThingPrincipalAttachment", resource_kind::iot_thing_attachment},
  }};
  for (const auto& [name, kind] : kinds)
    if (name == type) return kind;
  return resource_kind::other;
}

bool is_function(resource_kind k) {
  return k == resource_kind::serverless_function || k == resource_kind::lambda_function;
}

bool is_table(resource_kind k) {
  return k == resource_kind::dynamodb_table || k == resource_kind::simple_table;
}

std::string_view name_property(std::string_view type) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> names{{
      {"AWS::Serverless::Function", "FunctionName"},
      {"AWS::Lambda::Function", "FunctionName"},
      {"AWS::IoT::TopicRule", "RuleName"},
      {"AWS::DynamoDB::Table", "TableName"},
      {"AWS::Serverless::SimpleTable", "TableName"},
      {"AWS::SQS::Queue", "QueueName"},
      {"AWS::SNS::Topic", "TopicName"},
      {"AWS::IAM::Role", "RoleName"},
      {"AWS::S3::Bucket", "BucketName"},
      {"AWS::Events::Rule", "Name"},
      {"AWS::Logs::LogGroup", "LogGroupName"},
      {"AWS::StepFunctions::StateMachine", "StateMachineName"},
      {"AWS::IoT::Policy", "PolicyName"},
      {"AWS::IoT::Thing", "ThingName"},
  }};
  for (const auto& [t, property] : names)
    if (t == type) return property;
  return {};
}

namespace {

constexpr std::array<std::string_view, 9> resource_attributes{
    "Type",     "Properties",   "Condition",  "DependsOn",        "Metadata",
    "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy"};

bool is_alphanumeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

resource_directory::resource_directory(const node& root, diagnostics& diags) {
  const member* section = root.find_member("Resources");
  if (!section) {
    diags.error(root.at, "Resources", "is required (a template declares at least one resource)");
    return;
  }
  if (!section->value.is_map() || section->value.members.empty()) {
    diags.error(section->value.at, "Resources", "must be a map of at least one resource");
    return;
  }
  for (const auto& [id, key_at, def] : section->value.members) {
    const std::string path = "Resources." + id;
    if (!is_alphanumeric(id)) {
      diags.error(key_at, path, "logical ids must be alphanumeric (A-Za-z0-9)");
      continue;
    }
    if (!def.is_map()) {
      diags.error(def.at, path, "must be a map with a Type");
      continue;
    }
    bool ok = true;
    std::vector<std::string> known(resource_attributes.begin(), resource_attributes.end());
    for (const auto& m : def.members) {
      if (std::find(known.begin(), known.end(), m.key) == known.end()) {
        diags.error(m.key_at, join_path(path, m.key),
                    "unknown resource attribute '" + m.key + "'" + did_you_mean(m.key, known));
        ok = false;
      }
    }
    const node* type = def.find("Type");
    if (!type) {
      diags.error(def.at, path + ".Type", "is required");
      continue;
    }
    const bool custom = type->is_scalar() && type->text.starts_with("Custom::");
    if (!type->is_scalar() || (!custom && std::count(type->text.begin(), type->text.end(), ':') < 4)) {
      diags.error(type->at, path + ".Type", "must be a resource type such as AWS::Serverless::Function");
      continue;
    }
    if (!ok) continue;
    entries_.push_back(resource_entry{id, type->text, kind_of(type->text), &def, key_at, {}, {}});
  }
  add_implicit_apis();
}

void resource_directory::add_implicit_apis() {
  bool http = false, rest = false;
  for (const auto& e : entries_) {
    if (e.kind != resource_kind::serverless_function) continue;
    const node* props = e.definition->find("Properties");
    const node* events = props ? props->find("Events") : nullptr;
    if (!events || !events->is_map()) continue;
    for (const auto& ev : events->members) {
      const node* type = ev.value.find("Type");
      const node* ev_props = ev.value.find("Properties");
      if (!type || !type->is_scalar()) continue;
      if (type->text == "HttpApi" && !(ev_props && ev_props->find("ApiId"))) http = true;
      if (type->text == "Api" && !(ev_props && ev_props->find("RestApiId"))) rest = true;
    }
  }
  auto add = [this](std::string id, std::string type, resource_kind kind) {
    if (find(id)) return;  // the template declares it itself
    resource_entry e{std::move(id), std::move(type), kind, nullptr, {}, {}, {}};
    e.physical_name = e.logical_id;
    e.state = resource_entry::name_state::resolved;
    entries_.push_back(std::move(e));
  };
  if (http) add("ServerlessHttpApi", "AWS::Serverless::HttpApi", resource_kind::http_api);
  if (rest) add("ServerlessRestApi", "AWS::Serverless::Api", resource_kind::rest_api);
}

resource_entry* resource_directory::find(std::string_view logical_id) {
  for (auto& e : entries_)
    if (e.logical_id == logical_id) return &e;
  return nullptr;
}

std::vector<std::string> resource_directory::logical_ids() const {
  std::vector<std::string> ids;
  for (const auto& e : entries_) ids.push_back(e.logical_id);
  return ids;
}

}  // namespace lambkin::config
