// lambda_api: aliases — Create/Get/List/Update/DeleteAlias.
#include "emulator/io/http/lambda_api_detail.hpp"

namespace lambkin::io::http::lambda_api {
namespace {

using verb = beast::http::verb;

response create(call& c) {
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  bool bad = false;
  const auto name = string_member(*body, "Name", bad);
  const auto version = string_member(*body, "FunctionVersion", bad);
  const auto description = string_member(*body, "Description", bad).value_or("");
  if (bad) return c.error(errc::invalid_request_content, "Could not parse request body into json: wrong value type");
  if (!name || !version)
    return c.error(errc::validation, "1 validation error detected: Value null at '" +
                                         std::string(name ? "functionVersion" : "name") +
                                         "' failed to satisfy constraint: Member must not be null");
  if (body->contains("RoutingConfig") && !body->at("RoutingConfig").is_null())
    return c.error(errc::invalid_parameter_value, "lambkin does not emulate weighted aliases (RoutingConfig)");
  auto result = c.host->create_alias(*name, *version, description);
  if (!result) return c.error(result.error());
  return c.json(201, alias_json(c, *result));
}

response update(call& c, const std::string& alias) {
  response failed;
  const auto body = c.body(failed);
  if (!body) return failed;
  bool bad = false;
  const auto version = string_member(*body, "FunctionVersion", bad);
  const auto description = string_member(*body, "Description", bad);
  const auto revision = string_member(*body, "RevisionId", bad);
  if (bad) return c.error(errc::invalid_request_content, "Could not parse request body into json: wrong value type");
  if (body->contains("RoutingConfig") && !body->at("RoutingConfig").is_null())
    return c.error(errc::invalid_parameter_value, "lambkin does not emulate weighted aliases (RoutingConfig)");
  if (revision) {
    const auto current = c.host->alias(alias);
    if (current && current->revision_id != *revision)
      return c.error(errc::precondition_failed,
                     "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias "
                     "API to retrieve the latest Revision Id");
  }
  auto result = c.host->update_alias(alias, version, description);
  if (!result) return c.error(result.error());
  return c.json(200, alias_json(c, *result));
}

}  // namespace

response aliases(call& c, const std::optional<std::string>& alias) {
  const auto method = c.req.method();
  if (!alias) {
    if (method == verb::post) return create(c);
    if (method != verb::get) return c.error(errc::unknown_operation, "use GET or POST on /aliases");
    std::vector<boost::json::value> items;
    for (const auto& a : c.host->aliases(c.param("FunctionVersion"))) items.emplace_back(alias_json(c, a));
    return paginate(c, "Aliases", std::move(items));
  }
  if (method == verb::get) {
    auto result = c.host->alias(*alias);
    if (!result) return c.error(result.error());
    return c.json(200, alias_json(c, *result));
  }
  if (method == verb::put) return update(c, *alias);
  if (method == verb::delete_) {
    (void)c.host->delete_alias(*alias);
    return c.empty(204);
  }
  return c.error(errc::unknown_operation, "use GET, PUT or DELETE on /aliases/{Name}");
}

}  // namespace lambkin::io::http::lambda_api
