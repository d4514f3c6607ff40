// lambda_api: the Lambda API's JSON shapes (field names exactly as the service model has them,
// so the AWS CLI and SDKs parse them).
#include "emulator/io/http/lambda_api_detail.hpp"

#include <boost/json/array.hpp>

#include <chrono>

namespace lambkin::io::http::lambda_api {

boost::json::object configuration_json(const call& c, const io::lambda::version_info& v,
                                       const std::string& arn_qualifier) {
  const auto& r = *v.record;
  const auto& f = r.config;
  const auto& s = c.service.settings();
  boost::json::object o;
  o["FunctionName"] = f.name.value();
  o["FunctionArn"] = c.arn(arn_qualifier);
  o["Runtime"] = f.runtime;
  // No IAM here: the role SAM would have created for the function.
  o["Role"] = "arn:aws:iam::" + s.account_id + ":role/" + f.logical_id + "Role";
  o["Handler"] = f.handler;
  o["CodeSize"] = r.code.size;
  o["Description"] = r.description;
  o["Timeout"] = std::chrono::duration_cast<seconds>(f.timeout).count();
  o["MemorySize"] = f.memory_mb;
  o["LastModified"] = r.last_modified;
  o["CodeSha256"] = r.code.sha256;
  o["Version"] = v.name;
  if (!f.environment.empty()) {
    boost::json::object vars;
    for (const auto& [k, val] : f.environment) vars[k] = val;
    o["Environment"] = boost::json::object{{"Variables", std::move(vars)}};
  }
  if (f.dead_letter) o["DeadLetterConfig"] = boost::json::object{{"TargetArn", f.dead_letter->target_arn}};
  o["TracingConfig"] = boost::json::object{{"Mode", "PassThrough"}};
  o["RevisionId"] = r.revision_id;
  o["State"] = "Active";
  o["LastUpdateStatus"] = "Successful";
  o["PackageType"] = "Zip";
  o["Architectures"] = boost::json::array{"x86_64"};
  o["EphemeralStorage"] = boost::json::object{{"Size", f.ephemeral_storage_mb}};
  o["SnapStart"] = boost::json::object{{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}};
  o["LoggingConfig"] = boost::json::object{{"LogFormat", s.json_logs ? "JSON" : "Text"},
                                           {"LogGroup", "/aws/lambda/" + f.name.value()}};
  return o;
}

boost::json::object alias_json(const call& c, const io::lambda::alias_info& a) {
  return {{"AliasArn", c.arn(a.name)},
          {"Name", a.name},
          {"FunctionVersion", a.version},
          {"Description", a.description},
          {"RevisionId", a.revision_id}};
}

boost::json::object provisioned_json(const call& c, const io::lambda::provisioned_info& p, bool with_arn) {
  boost::json::object o;
  if (with_arn) o["FunctionArn"] = c.arn(p.qualifier);
  o["RequestedProvisionedConcurrentExecutions"] = p.requested;
  o["AvailableProvisionedConcurrentExecutions"] = p.available;
  o["AllocatedProvisionedConcurrentExecutions"] = p.allocated;
  o["Status"] = p.status;
  if (!p.status_reason.empty()) o["StatusReason"] = p.status_reason;
  o["LastModified"] = p.last_modified;
  return o;
}

boost::json::object event_invoke_json(const io::lambda::event_invoke_info& e) {
  const auto destination = [](const std::string& arn) {
    return arn.empty() ? boost::json::object{} : boost::json::object{{"Destination", arn}};
  };
  return {{"LastModified", e.last_modified},
          {"FunctionArn", e.function_arn},
          {"MaximumRetryAttempts", e.max_retry_attempts},
          {"MaximumEventAgeInSeconds", e.max_event_age_seconds},
          {"DestinationConfig",
           boost::json::object{{"OnSuccess", destination(e.on_success)}, {"OnFailure", destination(e.on_failure)}}}};
}

}  // namespace lambkin::io::http::lambda_api
