#pragma once
// The entry point: a SAM/CloudFormation template file → a validated `template_config`.
//
//   auto result = lambkin::config::load_template("template.yaml", {.parameter_overrides = {{"Stage", "prod"}}});
//   for (const auto& w : result.warnings) std::cerr << w.to_string() << '\n';
//   if (!result.ok()) { for (const auto& e : result.errors) std::cerr << e.to_string() << '\n'; return 1; }
//   use(*result.config);
//
// Loading, in order: YAML (a syntax error stops here); `Metadata.lambkin` settings with the
// command-line overlay applied over them; `Globals` merged into resources; `Parameters` with
// overrides; `Conditions`; then every resource: supported types become config structs, others a
// warning `ignored: <Type> <LogicalId>`; resources whose `Condition` is false are left out. Finally
// `Outputs`. All errors found are reported, not only the first.
#include "emulator/config/diagnostics.hpp"
#include "lambkin/config.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lambkin::config {

struct load_options {
  /// `--parameter-overrides Key=Value …`: each must name a declared parameter.
  std::map<std::string, std::string> parameter_overrides{};
  /// Settings from command-line flags; they win over `Metadata.lambkin`.
  settings_overlay overlay{};
};

struct load_result {
  /// Set exactly when `errors` is empty.
  std::optional<template_config> config;
  /// `FILE:LINE:COL: path: message`, in the order found.
  std::vector<diagnostic> errors;
  /// `ignored: AWS::SQS::Queue OrdersQueue`, and located warnings.
  std::vector<diagnostic> warnings;

  bool ok() const noexcept { return errors.empty(); }
  /// `errc::config_invalid` when there are errors, else success.
  std::error_code code() const noexcept;
};

/// Reads and validates the template at `file`. Relative code paths are taken from the template's
/// directory; messages name `file` as given.
load_result load_template(const std::filesystem::path& file, const load_options& options = {});

/// The same for template text already in memory; `file` names it in messages and its directory
/// anchors relative code paths.
load_result load_template_text(std::string_view text, const std::filesystem::path& file,
                               const load_options& options = {});

}  // namespace lambkin::config
