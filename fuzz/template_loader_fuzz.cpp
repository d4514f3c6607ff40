// libFuzzer target for template loading (emulator/config): the input is a SAM/CloudFormation
// template's text, loaded as `lambkin run` loads a file (load_template_text: YAML, Metadata.lambkin
// settings, Globals, Parameters, Conditions, intrinsics, every resource parser, Outputs), then the
// summary `lambkin validate` prints. Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./template_loader_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/template_loader
// Anything but a crash, a sanitizer report, a hang or a leak is fine: errors are diagnostics.
#include "emulator/config/summary.hpp"
#include "emulator/config/template_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A directory that does not exist: code paths resolve against it and are reported missing,
  // and nothing is written anywhere.
  static const std::filesystem::path file = "/nonexistent-lambkin-fuzz/template.yaml";
  auto result = lambkin::config::load_template_text(text, file);
  for (const auto& d : result.errors) (void)d.to_string();
  for (const auto& d : result.warnings) (void)d.to_string();
  if (result.config) (void)lambkin::config::format_summary(*result.config);
  return 0;
}
