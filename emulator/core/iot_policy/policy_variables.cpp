#include "emulator/core/iot_policy/policy_variables.hpp"

#include "emulator/core/iot_policy/wildcard.hpp"

namespace lambkin::iot_policy {

std::optional<std::string_view> variable_values::find(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return std::string_view(it->second);
}

const std::vector<std::string>* variable_values::find_list(std::string_view name) const {
  const auto it = lists_.find(name);
  return it == lists_.end() ? nullptr : &it->second;
}

std::optional<std::string> expand_resource(std::string_view written, const variable_values& vars) {
  std::string out;
  out.reserve(written.size());
  std::size_t i = 0;
  while (i < written.size()) {
    const std::size_t open = written.find("${", i);
    out += compile_pattern(written.substr(i, open == std::string_view::npos ? std::string_view::npos : open - i));
    if (open == std::string_view::npos) break;
    const std::size_t close = written.find('}', open + 2);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view name = written.substr(open + 2, close - open - 2);
    if (name == "*" || name == "?" || name == "$") {
      out += escape_pattern(name);
    } else if (auto value = vars.find(name)) {
      out += escape_pattern(*value);
    } else {
      return std::nullopt;
    }
    i = close + 1;
  }
  return out;
}

}  // namespace lambkin::iot_policy
