#include "emulator/cli/template_options.hpp"

#include "emulator/config/parameters.hpp"

#include "emulator/core/rules/rule_actions.hpp"

#include <iostream>

namespace lambkin::cli {

void add_template_options(CLI::App& cmd, template_options& options) {
  cmd.add_option("template", options.file, "SAM/CloudFormation template (YAML)")->required();
  cmd.add_option("--parameter-overrides", options.parameter_overrides,
                 "Template parameters as Key=Value (repeatable), winning over their defaults");
}

std::optional<config::template_config> load_or_report(const template_options& options,
                                                      const config::settings_overlay& overlay) {
  config::load_options load;
  load.overlay = overlay;
  for (const auto& item : options.parameter_overrides) {
    auto kv = config::parse_parameter_override(item);
    if (!kv) {
      std::cerr << "--parameter-overrides " << item
                << ": expected Key=Value or ParameterKey=Key,ParameterValue=Value\n";
      return std::nullopt;
    }
    load.parameter_overrides[kv->first] = kv->second;
  }
  auto result = config::load_template(options.file, load);
  for (const auto& w : result.warnings) std::cerr << "warning: " << w.to_string() << '\n';
  if (!result.ok()) {
    for (const auto& e : result.errors) std::cerr << e.to_string() << '\n';
    std::cerr << result.errors.size() << (result.errors.size() == 1 ? " error" : " errors") << " in "
              << options.file << '\n';
    return std::nullopt;
  }
  // Rules are checked here too, so that validate, run and invoke all report a bad SQL statement
  // (with its line and column inside the SQL) before anything starts.
  std::size_t rule_errors = 0;
  for (const auto& r : result.config->rules) {
    const auto where = r.source.file + ":" + std::to_string(r.source.line) + ":" + std::to_string(r.source.column) + ": ";
    auto compiled = lambkin::rules::compile_rule(r);
    if (!compiled) {
      std::cerr << where << "rule " << r.name << ": " << compiled.error().message << '\n';
      ++rule_errors;
      continue;
    }
    for (const auto& w : compiled->warnings) std::cerr << "warning: " << where << "rule " << r.name << ": " << w << '\n';
  }
  if (rule_errors != 0) {
    std::cerr << rule_errors << (rule_errors == 1 ? " error" : " errors") << " in " << options.file << '\n';
    return std::nullopt;
  }
  return std::move(result.config);
}

}  // namespace lambkin::cli
