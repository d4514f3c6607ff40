#pragma once
// What one authenticated connection may do: its policies' statements with the connection's
// variables expanded and its conditions already decided (they depend only on the connection),
// evaluated per request with IAM's rule (a matching Deny wins, else a matching Allow, else deny).
// Decisions are cached per (action, name); the cache is cleared when it reaches `cache_limit`.
#include "emulator/core/iot_policy/policy_document.hpp"
#include "emulator/core/iot_policy/policy_variables.hpp"
#include "emulator/core/mqtt/authority.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lambkin::iot_policy {

class connection_grant final : public mqtt::connection_authority {
 public:
  static constexpr std::size_t cache_limit = 4096;

  /// `arn_prefix` is `arn:aws:iot:<region>:<account>:`.
  connection_grant(std::string arn_prefix, const std::vector<const policy_document*>& policies,
                   const variable_values& vars);

  bool allowed(mqtt::iot_action action, std::string_view name) override;
  std::string resource(mqtt::iot_action action, std::string_view name) const override;

  /// Evaluations done (cache misses), for tests of the cache.
  std::size_t evaluations() const noexcept { return evaluations_; }

 private:
  struct compiled {
    bool allow = true;
    bool not_action = false;
    bool not_resource = false;
    std::vector<std::string> actions;
    std::vector<std::string> resources;  // compiled patterns (wildcard.hpp)
  };
  bool evaluate(mqtt::iot_action action, std::string_view name) const;

  std::string arn_prefix_;
  std::vector<compiled> statements_;
  std::unordered_map<std::string, bool> cache_;
  std::string key_;
  std::size_t evaluations_ = 0;
};

/// Whether a statement's conditions all hold for a connection with `vars`.
bool conditions_hold(const std::vector<condition>& conditions, const variable_values& vars);

}  // namespace lambkin::iot_policy
