// lambda_api: functions and versions — ListFunctions, GetFunction, Get/UpdateFunctionConfiguration,
// ListVersionsByFunction, PublishVersion, GetAccountSettings.
#include "emulator/io/http/lambda_api_detail.hpp"
#include "emulator/io/lambda/environment_variables.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace lambkin::io::http::lambda_api {
namespace {

const std::string key_pattern = "[a-zA-Z]([a-zA-Z0-9_])+";

bool is_variable_name(const std::string& key) {
  const auto alpha = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
  return key.size() >= 2 && alpha(key[0]) && std::all_of(key.begin() + 1, key.end(), [&](char ch) {
           return alpha(ch) || (ch >= '0' && ch <= '9') || ch == '_';
         });
}

/// `Environment.Variables` checked as Lambda checks them; the variables, or the error answer.
std::optional<std::vector<std::pair<std::string, std::string>>> read_environment(const call& c,
                                                                                 const boost::json::value& env,
                                                                                 response& failed) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* vars = env.is_object() ? env.as_object().if_contains("Variables") : nullptr;
  if (!env.is_object() || (vars && !vars->is_object() && !vars->is_null())) {
    failed = c.error(errc::invalid_request_content, "Could not parse request body into json: Environment");
    return std::nullopt;
  }
  if (!vars || vars->is_null()) return out;
  std::vector<std::string> reserved;
  boost::json::object measured;
  for (const auto& [k, v] : vars->as_object()) {
    const std::string key(k);
    if (!v.is_string()) {
      failed = c.error(errc::invalid_request_content, "Could not parse request body into json: Environment.Variables");
      return std::nullopt;
    }
    if (!is_variable_name(key)) {
      // Values are `sensitive` in the model: AWS's message names the field, not the value.
      failed = c.error(errc::validation,
                       "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: "
                       "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: " +
                           key_pattern + "]");
      return std::nullopt;
    }
    if (io::lambda::is_reserved_key(key)) reserved.push_back(key);
    out.emplace_back(key, std::string(v.as_string()));
    measured[k] = v;
  }
  if (!reserved.empty()) {
    std::string list;
    for (const auto& r : reserved) list += (list.empty() ? "" : ", ") + r;
    failed = c.error(errc::invalid_parameter_value,
                     "Lambda was unable to configure your environment variables because the environment variables you "
                     "have provided contains reserved keys that are currently not supported for modification. Reserved "
                     "keys used in this request: " + list);
    return std::nullopt;
  }
  const auto text = boost::json::serialize(measured);
  if (text.size() > io::lambda::user_environment_limit) {
    failed = c.error(errc::invalid_parameter_value,
                     "Lambda was unable to configure your environment variables because the environment variables you "
                     "have provided exceeded the 4KB limit. String measured: " + text);
    return std::nullopt;
  }
  return out;
}

std::optional<io::lambda::version_info> find_version(const call& c, response& failed) {
  const auto q = c.qualifier.value_or("");
  auto v = c.host->version(q);
  if (!v) failed = c.error(errc::resource_not_found, "Function not found: " + c.arn(q));
  return v;
}

}  // namespace

response paginate(const call& c, const char* key, std::vector<boost::json::value> items) {
  std::size_t max_items = 50, start = 0;
  if (const auto m = c.param("MaxItems")) {
    const auto n = std::atoll(m->c_str());
    if (n < 1 || n > 10000)
      return c.error(errc::validation, validation_message(*m, "maxItems", n < 1 ? "Member must have value greater than or equal to 1"
                                                                                : "Member must have value less than or equal to 10000"));
    max_items = static_cast<std::size_t>(n);
  }
  if (const auto m = c.param("Marker")) {
    const auto n = std::atoll(m->c_str());
    if (n < 0 || static_cast<std::size_t>(n) > items.size() || std::to_string(n) != *m)
      return c.error(errc::invalid_parameter_value, "Invalid marker: " + *m);
    start = static_cast<std::size_t>(n);
  }
  const auto end = std::min(items.size(), start + max_items);
  boost::json::array page(std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(start)),
                          std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(end)));
  boost::json::object o;
  o[key] = std::move(page);
  if (end < items.size()) o["NextMarker"] = std::to_string(end);
  return c.json(200, o);
}

response functions_list(call& c) {
  const auto which = c.param("FunctionVersion");
  if (which && *which != "ALL")
    return c.error(errc::validation, validation_message(*which, "functionVersion",
                                                        "Member must satisfy enum value set: [ALL]"));
  std::vector<boost::json::value> items;
  for (const auto& [name, host] : c.service.functions()) {
    c.host = host.get();
    if (!which) {
      items.emplace_back(configuration_json(c, *host->version("$LATEST"), ""));
      continue;
    }
    for (const auto& v : host->versions()) items.emplace_back(configuration_json(c, v, v.name));
  }
  return paginate(c, "Functions", std::move(items));
}

response account_settings(call& c) {
  const auto& acct = c.service.account();
  std::uint64_t code = 0;
  for (const auto& [name, host] : c.service.functions())
    for (const auto& v : host->versions()) code += v.record->code.size;
  boost::json::object limit{{"TotalCodeSize", 80530636800LL},
                            {"CodeSizeUnzipped", 262144000},
                            {"CodeSizeZipped", 52428800},
                            {"ConcurrentExecutions", acct.concurrency_limit()},
                            {"UnreservedConcurrentExecutions", acct.unreserved_capacity()}};
  boost::json::object usage{{"TotalCodeSize", code}, {"FunctionCount", c.service.functions().size()}};
  return c.json(200, boost::json::object{{"AccountLimit", std::move(limit)}, {"AccountUsage", std::move(usage)}});
}

response function_get(call& c) {
  response failed;
  const auto v = find_version(c, failed);
  if (!v) return failed;
  boost::json::object o;
  o["Configuration"] = configuration_json(c, *v, c.qualifier.value_or(""));
  o["Code"] = boost::json::object{{"RepositoryType", "S3"},
                                  {"Location", "file://" + v->record->config.code_dir.string()}};
  if (const auto reserved = c.host->reserved_concurrency())
    o["Concurrency"] = boost::json::object{{"ReservedConcurrentExecutions", *reserved}};
  return c.json(200, o);
}

response configuration_get(call& c) {
  response failed;
  const auto v = find_version(c, failed);
  if (!v) return failed;
  return c.json(200, configuration_json(c, *v, c.qualifier.value_or("")));
}

response configuration_update(call& c) {
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  bool bad = false;
  io::lambda::configuration_update u;
  for (const auto& [k, v] : *body) {
    // Role is accepted and ignored (no IAM here); what lambkin cannot change is refused, not ignored.
    if (k != "MemorySize" && k != "Timeout" && k != "Environment" && k != "Description" && k != "Role" &&
        k != "RevisionId" && k != "FunctionName")
      return c.error(errc::invalid_parameter_value,
                     "lambkin's UpdateFunctionConfiguration changes MemorySize, Timeout, Environment and Description; "
                     "not " + std::string(k));
  }
  if (const auto m = integer_member(*body, "MemorySize", bad)) {
    if (*m < 128 || *m > 10240)
      return c.error(errc::validation,
                     validation_message(std::to_string(*m), "memorySize",
                                        *m < 128 ? "Member must have value greater than or equal to 128"
                                                 : "Member must have value less than or equal to 10240"));
    u.memory_mb = static_cast<int>(*m);
  }
  if (const auto t = integer_member(*body, "Timeout", bad)) {
    if (*t < 1 || *t > 900)
      // [?] The model sets no maximum; the 900 s limit is enforced by the service.
      return c.error(errc::validation,
                     validation_message(std::to_string(*t), "timeout",
                                        *t < 1 ? "Member must have value greater than or equal to 1"
                                               : "Member must have value less than or equal to 900"));
    u.timeout_seconds = static_cast<int>(*t);
  }
  if (const auto d = string_member(*body, "Description", bad)) {
    if (d->size() > 256)
      return c.error(errc::validation, validation_message(*d, "description",
                                                          "Member must have length less than or equal to 256"));
    u.description = *d;
  }
  if (bad) return c.error(errc::invalid_request_content, "Could not parse request body into json: wrong value type");
  if (const auto* env = body->if_contains("Environment")) {
    auto vars = read_environment(c, *env, failed);
    if (!vars) return failed;
    u.environment = std::move(*vars);
  }
  const auto revision = string_member(*body, "RevisionId", bad);
  if (revision && *revision != c.host->version("$LATEST")->record->revision_id)
    return c.error(errc::precondition_failed,
                   "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API "
                   "to retrieve the latest Revision Id");
  auto result = c.host->update_configuration(u);
  if (!result) return c.error(result.error());
  return c.json(200, configuration_json(c, *result, ""));
}

response versions_list(call& c) {
  std::vector<boost::json::value> items;
  for (const auto& v : c.host->versions()) items.emplace_back(configuration_json(c, v, v.name));
  return paginate(c, "Versions", std::move(items));
}

response version_publish(call& c) {
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  bool bad = false;
  const auto description = string_member(*body, "Description", bad).value_or("");
  const auto sha = string_member(*body, "CodeSha256", bad).value_or("");
  const auto revision = string_member(*body, "RevisionId", bad).value_or("");
  if (bad) return c.error(errc::invalid_request_content, "Could not parse request body into json: wrong value type");
  if (description.size() > 256)
    return c.error(errc::validation, validation_message(description, "description",
                                                        "Member must have length less than or equal to 256"));
  auto result = c.host->publish_version(description, sha, revision);
  if (!result) return c.error(result.error());
  return c.json(201, configuration_json(c, *result, result->name));
}

}  // namespace lambkin::io::http::lambda_api
