// resolver: what Ref and Fn::GetAtt return for resources — physical names, ARNs, attributes.
#include "emulator/config/resolver.hpp"

#include "emulator/config/iot_certificate.hpp"

#include <cctype>
#include <filesystem>

namespace lambkin::config {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::string resolver::partition() const {
  if (settings_.region.starts_with("cn-")) return "aws-cn";
  if (settings_.region.starts_with("us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string resolver::function_arn(std::string_view name) const {
  return "arn:" + partition() + ":lambda:" + settings_.region + ":" + settings_.account_id + ":function:" +
         std::string(name);
}

std::string resolver::table_arn(std::string_view name) const {
  return "arn:" + partition() + ":dynamodb:" + settings_.region + ":" + settings_.account_id + ":table/" +
         std::string(name);
}

std::string resolver::rule_arn(std::string_view name) const {
  return "arn:" + partition() + ":iot:" + settings_.region + ":" + settings_.account_id + ":rule/" +
         std::string(name);
}

const std::string& resolver::physical_name(resource_entry& e) {
  using state = resource_entry::name_state;
  if (e.state == state::resolved) return e.physical_name;
  e.physical_name = e.logical_id;
  if (e.state == state::resolving) {
    diags_.error(e.at, "Resources." + e.logical_id, "its name depends on itself");
    return e.physical_name;
  }
  e.state = state::resolving;
  const node* props = e.definition ? e.definition->find("Properties") : nullptr;
  const std::string_view property = name_property(e.type);
  const node* value = props && !property.empty() ? props->find(property) : nullptr;
  if (value) {
    const std::string path = "Resources." + e.logical_id + ".Properties." + std::string(property);
    if (auto name = resolve_string(*value, path, {})) e.physical_name = std::move(*name);
  } else if (e.kind == resource_kind::iot_certificate) {
    // `!Ref` of a certificate is its id (the SHA-256 of its DER); reported by parse_iot_certificate.
    const node* pem = props ? props->find("CertificatePem") : nullptr;
    auto text = pem ? resolve_string(*pem, "Resources." + e.logical_id + ".Properties.CertificatePem", {}) : std::nullopt;
    std::string error;
    if (text)
      if (auto id = certificate_id_of(*text, std::filesystem::path(diags_.file()).parent_path(), error))
        e.physical_name = std::move(*id);
  } else if (e.type == "AWS::S3::Bucket") {
    // CloudFormation names a bucket `<stack>-<logical id>-<random>` in lower case; lambkin drops the
    // random part so the name is the same on every run.
    std::string name = lower(settings_.stack_name + "-" + e.logical_id);
    if (name.size() > 63) name.resize(63);
    while (!name.empty() && (name.back() == '-' || name.back() == '.')) name.pop_back();
    e.physical_name = std::move(name);
  }
  e.state = state::resolved;
  return e.physical_name;
}

node resolver::resolve_properties(resource_entry& e) {
  const std::string path = "Resources." + e.logical_id + ".Properties";
  const member* props = e.definition ? e.definition->find_member("Properties") : nullptr;
  if (!props) return node{node::kind::map, {}, {}, {}, e.definition ? e.definition->at : e.at};
  if (!props->value.is_map()) {
    diags_.error(props->value.at, path, "must be a map");
    return node::invalid(props->value.at);
  }
  const std::string_view property = name_property(e.type);
  node out{node::kind::map, {}, {}, {}, props->value.at};
  for (const auto& m : props->value.members) {
    if (!property.empty() && m.key == property) {
      out.members.push_back(member{m.key, m.key_at, node::scalar(physical_name(e), m.value.at)});
    } else if (auto value = resolve(m.value, join_path(path, m.key))) {
      out.members.push_back(member{m.key, m.key_at, std::move(*value)});
    }
  }
  return out;
}

std::string resolver::resource_arn(const resource_entry& e, const std::string& name) const {
  const std::string& region = settings_.region;
  const std::string& account = settings_.account_id;
  if (is_function(e.kind)) return function_arn(name);
  if (is_table(e.kind)) return table_arn(name);
  if (e.kind == resource_kind::topic_rule) return rule_arn(name);
  if (e.kind == resource_kind::iot_certificate)
    return "arn:" + partition() + ":iot:" + region + ":" + account + ":cert/" + name;
  if (e.type == "AWS::IAM::Role") return "arn:" + partition() + ":iam::" + account + ":role/" + name;
  if (e.type == "AWS::S3::Bucket") return "arn:" + partition() + ":s3:::" + name;
  if (e.type == "AWS::SQS::Queue" || e.type == "AWS::SNS::Topic")
    return "arn:" + partition() + ":" + (e.type == "AWS::SQS::Queue" ? "sqs" : "sns") + ":" + region + ":" + account +
           ":" + name;
  // AWS::Service::Thing → arn:aws:service:region:account:thing/name, the common shape.
  const std::size_t a = e.type.find("::"), b = e.type.rfind("::");
  const std::string service = a == b ? "custom" : lower(e.type.substr(a + 2, b - a - 2));
  return "arn:" + partition() + ":" + service + ":" + region + ":" + account + ":" + lower(e.type.substr(b + 2)) +
         "/" + name;
}

std::optional<std::string> resolver::resource_ref(resource_entry& e) {
  const std::string& name = physical_name(e);
  if (e.type == "AWS::SQS::Queue")
    return "https://sqs." + settings_.region + ".amazonaws.com/" + settings_.account_id + "/" + name;
  if (e.type == "AWS::SNS::Topic") return resource_arn(e, name);
  return name;
}

std::optional<node> resolver::get_att(const std::string& id, const std::string& attr, mark at,
                                      const std::string& path, std::string_view fn) {
  resource_entry* e = resources_.find(id);
  if (!e) {
    diags_.error(at, path, std::string(fn) + ": '" + id + "' is not a resource" +
                               did_you_mean(id, resources_.logical_ids()));
    return node::invalid(at);
  }
  const std::string name = physical_name(*e);
  std::vector<std::string> known;
  switch (e->kind) {
    case resource_kind::serverless_function:
    case resource_kind::lambda_function:
    case resource_kind::topic_rule:
      known = {"Arn"};
      break;
    case resource_kind::dynamodb_table:
    case resource_kind::simple_table:
      known = {"Arn", "StreamArn"};
      if (attr == "StreamArn") return node::scalar(resource_arn(*e, name) + "/stream/1970-01-01T00:00:00.000", at);
      break;
    case resource_kind::http_api:
      known = {"ApiEndpoint", "ApiId"};
      if (attr == "ApiEndpoint")
        return node::scalar("https://" + name + ".execute-api." + settings_.region + ".amazonaws.com", at);
      if (attr == "ApiId") return node::scalar(name, at);
      break;
    case resource_kind::s3_bucket:
      known = {"Arn", "DomainName", "RegionalDomainName", "WebsiteURL"};
      if (attr == "DomainName") return node::scalar(name + ".s3.amazonaws.com", at);
      if (attr == "RegionalDomainName") return node::scalar(name + ".s3." + settings_.region + ".amazonaws.com", at);
      if (attr == "WebsiteURL")
        return node::scalar("http://" + name + ".s3-website-" + settings_.region + ".amazonaws.com", at);
      break;
    case resource_kind::iot_policy:
    case resource_kind::iot_certificate:
    case resource_kind::iot_thing:
      known = {"Arn", "Id"};
      if (attr == "Id") return node::scalar(name, at);
      break;
    case resource_kind::iot_policy_attachment:
    case resource_kind::iot_thing_attachment:
      known = {};
      break;
    case resource_kind::rest_api:
      known = {"RootResourceId"};
      if (attr == "RootResourceId") return node::scalar(name + "-root", at);
      break;
    case resource_kind::other:
      // lambkin does not know this type's attributes: an ARN for `Arn`-like ones, the name otherwise.
      if (attr == "Arn" || attr.ends_with("Arn")) return node::scalar(resource_arn(*e, name), at);
      if (attr == "QueueUrl") return node::scalar(*resource_ref(*e), at);
      return node::scalar(name, at);
  }
  if (attr == "Arn") return node::scalar(resource_arn(*e, name), at);
  diags_.error(at, path, std::string(fn) + ": " + id + " (" + e->type + ") has no attribute '" + attr +
                             "'; lambkin knows " + join_names(known));
  return node::invalid(at);
}

}  // namespace lambkin::config
