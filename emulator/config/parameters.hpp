#pragma once
// Template `Parameters`: declarations, defaults, command-line overrides and constraints.
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::config {

struct parameter_value {
  std::string text;               // the value as given (list values joined with commas)
  std::vector<std::string> list;  // CommaDelimitedList / List<…>: the elements
  bool is_list = false;
};

using parameter_values = std::map<std::string, parameter_value, std::less<>>;

/// Reads the `Parameters` section of `root`. Each value is the override when one is given, else
/// the `Default`; it must satisfy the declared `Type` (String, Number, CommaDelimitedList,
/// List<Number>, and AWS-specific types as strings), `AllowedValues`, `AllowedPattern`,
/// `MinLength`/`MaxLength` and `MinValue`/`MaxValue`. Overrides must name declared parameters.
/// Problems are reported to `diags`; a parameter without a valid value is left out.
parameter_values read_parameters(const node& root, const std::map<std::string, std::string>& overrides,
                                 diagnostics& diags);

/// One `--parameter-overrides` item: `Key=Value`, or SAM's `ParameterKey=Key,ParameterValue=Value`.
/// nullopt when it is neither.
std::optional<std::pair<std::string, std::string>> parse_parameter_override(std::string_view item);

}  // namespace lambkin::config
