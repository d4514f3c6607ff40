#pragma once
// What `validate` and `run` share: the template argument, `--parameter-overrides`, and loading
// with every error and warning printed on stderr in the loader's `file:line:col: path: message` form.
#include "emulator/config/template_loader.hpp"

#include <CLI/App.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lambkin::cli {

struct template_options {
  std::string file;
  /// `Key=Value` pairs, as SAM CLI takes them (`--parameter-overrides A=1 B=2`).
  std::vector<std::string> parameter_overrides;
};

/// Adds the TEMPLATE positional and `--parameter-overrides` to `cmd`.
void add_template_options(CLI::App& cmd, template_options& options);

/// Loads the template; prints warnings, and errors (then returns nullopt). A malformed override
/// (no `=`) is reported the same way.
std::optional<config::template_config> load_or_report(const template_options& options,
                                                      const config::settings_overlay& overlay = {});

}  // namespace lambkin::cli
