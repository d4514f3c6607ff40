#include "emulator/config/template_loader.hpp"

#include "emulator/config/globals.hpp"
#include "emulator/config/outputs_reader.hpp"
#include "emulator/config/parameters.hpp"
#include "emulator/config/resolver.hpp"
#include "emulator/config/resource_directory.hpp"
#include "emulator/config/resource_parsers.hpp"
#include "emulator/config/settings_reader.hpp"
#include "emulator/config/yaml_reader.hpp"
#include "lambkin/error.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace lambkin::config {
namespace {

constexpr std::string_view serverless_transform = "AWS::Serverless-2016-10-31";

const std::vector<std::string> top_level_keys{
    "AWSTemplateFormatVersion", "Conditions", "Description", "Globals", "Mappings", "Metadata",
    "Outputs",                  "Parameters", "Resources",  "Rules",   "Transform"};

// Checks the top-level sections; answers whether the SAM transform is declared.
bool check_top_level(const node& root, diagnostics& diags) {
  for (const auto& m : root.members)
    if (std::find(top_level_keys.begin(), top_level_keys.end(), m.key) == top_level_keys.end())
      diags.error(m.key_at, m.key, "unknown template section '" + m.key + "'" + did_you_mean(m.key, top_level_keys));
  if (const node* version = root.find("AWSTemplateFormatVersion");
      version && !(version->is_scalar() && version->text == "2010-09-09"))
    diags.error(version->at, "AWSTemplateFormatVersion", "must be \"2010-09-09\"");
  const node* transform = root.find("Transform");
  if (!transform) return false;
  std::vector<const node*> names;
  if (transform->is_sequence())
    for (const auto& item : transform->items) names.push_back(&item);
  else
    names.push_back(transform);
  bool serverless = false;
  for (const node* n : names) {
    if (!n->is_scalar()) {
      diags.error(n->at, "Transform", "must be a transform name such as AWS::Serverless-2016-10-31");
    } else if (n->text == serverless_transform) {
      serverless = true;
    } else {
      diags.warning("ignored: Transform " + n->text);
    }
  }
  return serverless;
}

void require_transform(const node& root, const resource_directory& dir, diagnostics& diags) {
  const std::string why = "needs 'Transform: AWS::Serverless-2016-10-31' at the top of the template";
  if (const member* globals = root.find_member("Globals")) diags.error(globals->key_at, "Globals", why);
  for (const auto& e : dir.entries())
    if (e.definition && e.type.starts_with("AWS::Serverless::"))
      diags.error(e.definition->find("Type")->at, "Resources." + e.logical_id + ".Type", e.type + " " + why);
}

// A resource with a false `Condition` is not created; answers whether it is.
bool included(const resource_entry& e, resolver& r, diagnostics& diags) {
  const node* condition = e.definition->find("Condition");
  if (!condition) return true;
  const std::string path = "Resources." + e.logical_id + ".Condition";
  if (!condition->is_scalar()) {
    diags.error(condition->at, path, "must be the name of a condition");
    return false;
  }
  return r.condition(condition->text, condition->at, path);
}

void parse_resources(resource_directory& dir, resolver& r, parse_context& ctx) {
  for (auto& e : dir.entries()) {
    if (!e.definition || !included(e, r, ctx.diags)) continue;
    switch (e.kind) {
      case resource_kind::serverless_function:
      case resource_kind::lambda_function: parse_function(e, ctx); break;
      case resource_kind::topic_rule: parse_topic_rule(e, ctx); break;
      case resource_kind::dynamodb_table:
      case resource_kind::simple_table: parse_table(e, ctx); break;
      case resource_kind::http_api:
      case resource_kind::rest_api: parse_api(e, ctx); break;
      case resource_kind::s3_bucket: parse_bucket(e, ctx); break;
      case resource_kind::iot_policy: parse_iot_policy(e, ctx); break;
      case resource_kind::iot_certificate: parse_iot_certificate(e, ctx); break;
      case resource_kind::iot_thing: parse_iot_thing(e, ctx); break;
      case resource_kind::iot_policy_attachment: parse_iot_policy_attachment(e, ctx); break;
      case resource_kind::iot_thing_attachment: parse_iot_thing_attachment(e, ctx); break;
      case resource_kind::other: ctx.diags.warning("ignored: " + e.type + " " + e.logical_id); break;
    }
  }
}

load_result finish(diagnostics& diags, std::optional<template_config> config) {
  load_result result;
  result.errors = diags.take_errors();
  // In file order, as compilers report: checks run by topic, people read top to bottom.
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const diagnostic& a, const diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  result.warnings = diags.take_warnings();
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace

std::error_code load_result::code() const noexcept {
  return errors.empty() ? std::error_code{} : make_error_code(errc::config_invalid);
}

load_result load_template(const std::filesystem::path& file, const load_options& options) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    diagnostics diags(file.string());
    diags.error({}, {}, "cannot read the template");
    return finish(diags, std::nullopt);
  }
  return load_template_text(text.str(), file, options);
}

load_result load_template_text(std::string_view text, const std::filesystem::path& file, const load_options& options) {
  diagnostics diags(file.string());
  std::optional<node> root = read_yaml(text, diags);
  if (!root) return finish(diags, std::nullopt);
  if (!root->is_map()) {
    diags.error(root->at, {}, "a template must be a map with a Resources section");
    return finish(diags, std::nullopt);
  }
  const bool serverless = check_top_level(*root, diags);

  template_config out;
  out.source = file;
  if (const node* description = root->find("Description"); description && description->is_scalar())
    out.description = description->text;
  read_settings(*root, out.settings, diags);
  apply_overlay(out.settings, options.overlay);
  check_settings(*root, out.settings, diags);

  apply_globals(*root, diags);
  const parameter_values params = read_parameters(*root, options.parameter_overrides, diags);
  for (const auto& [name, value] : params) out.parameters[name] = value.text;
  resource_directory dir(*root, diags);
  if (!serverless) require_transform(*root, dir, diags);
  resolver r(*root, out.settings, params, dir, diags);
  r.check_conditions();

  const std::filesystem::path dir_of_template = std::filesystem::absolute(file).parent_path();
  parse_context ctx{r, diags, out.settings, dir_of_template, out};
  parse_resources(dir, r, ctx);
  read_outputs(*root, r, out, diags);
  return finish(diags, std::move(out));
}

}  // namespace lambkin::config
