#pragma once
// Shared by the config tests: paths of the test templates and loading them.
#include "emulator/config/template_loader.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

// So that failed comparisons of message lists show the messages.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& v) {
    std::string out = "{";
    for (const auto& s : v) out += "\n  \"" + s + "\"";
    out += v.empty() ? "}" : "\n}";
    return out.c_str();
  }
};

namespace lambkin::config::test {

/// tests/data/templates/<name>
inline std::string template_path(const std::string& name) {
  return std::string(LAMBKIN_TEST_DATA_DIR) + "/templates/" + name;
}

inline load_result load(const std::string& name, const load_options& options = {}) {
  return load_template(template_path(name), options);
}

/// Loads text as if it were the file tests/data/templates/<name> (for its relative code paths).
inline load_result load_text(const std::string& text, const load_options& options = {},
                             const std::string& name = "inline.yaml") {
  return load_template_text(text, template_path(name), options);
}

/// Loads and requires success; fails the test with every error otherwise.
inline template_config load_ok(const load_result& r) {
  for (const auto& e : r.errors) FAIL_CHECK(e.to_string());
  REQUIRE(r.ok());
  return *r.config;
}

inline std::vector<std::string> errors_of(const load_result& r) { return to_strings(r.errors); }
inline std::vector<std::string> warnings_of(const load_result& r) { return to_strings(r.warnings); }

}  // namespace lambkin::config::test
