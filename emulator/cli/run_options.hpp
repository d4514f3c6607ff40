#pragma once
// `run` and `invoke` start the same emulator: a loaded template → io::run_options.
#include "emulator/io/app.hpp"
#include "lambkin/config.hpp"

#include <string>

namespace lambkin::cli {

/// Ports and bind address from the template's settings (flags already applied), the data
/// directory (`.lambkin/` beside the template unless given, like SAM's `.aws-sam/`), the runtime
/// bootstraps' directory (`LAMBKIN_RUNTIME_DIR` or the source tree's `runtime/`), and the counts
/// /_lambkin/health reports. `tmpl` must outlive the options.
io::run_options run_options_for(const config::template_config& tmpl, const std::string& template_file,
                                const std::string& data_dir, const std::string& log_format);

}  // namespace lambkin::cli
