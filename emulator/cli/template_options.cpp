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
  const auto checked = lambkin::rules::check_rules(result.config->rules);
  for (const auto& w : checked.warnings) std::cerr << "warning: " << w << '\n';
  for (const auto& e : checked.errors) std::cerr << e << '\n';
  if (!checked.errors.empty()) {
    std::cerr << checked.errors.size() << (checked.errors.size() == 1 ? " error" : " errors") << " in " << options.file
              << '\n';
    return std::nullopt;
  }
  return std::move(result.config);
}

}  // namespace lambkin::cli
