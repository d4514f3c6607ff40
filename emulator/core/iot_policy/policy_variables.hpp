#pragma once
// Policy variables: `${iot:ClientId}`, `${iot:Connection.Thing.ThingName}`,
// `${iot:Connection.Thing.IsAttached}`, `${iot:Connection.Thing.Attributes[name]}`, and IAM's
// escapes `${*}`, `${?}`, `${$}` (a literal `*`, `?`, `$`). They are fixed for a connection, so a
// policy is expanded once at CONNECT. A variable that has no value for the connection (no thing
// attached, an unknown attribute, a name lambkin does not know) makes the resource it appears in
// match nothing, as on AWS ("won't be resolved and will result in an access denied error").
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::iot_policy {

/// The values of one connection's variables, by name without `${}` ("iot:ClientId").
class variable_values {
 public:
  void set(std::string name, std::string value) { values_.insert_or_assign(std::move(name), std::move(value)); }
  /// The value, or nullopt when the variable is unknown or unresolved for this connection.
  std::optional<std::string_view> find(std::string_view name) const;
  /// A multi-valued condition key (`iot:ConnectAttributes`): only conditions read it, through
  /// `ForAllValues:` / `ForAnyValue:`; it never resolves in a resource.
  void set_list(std::string name, std::vector<std::string> values) {
    lists_.insert_or_assign(std::move(name), std::move(values));
  }
  /// The values of a multi-valued key; null when it is not one.
  const std::vector<std::string>* find_list(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;
};

/// `written` (a policy resource) as a compiled pattern (wildcard.hpp): wildcards active,
/// variables replaced by their values matched literally. nullopt if a variable is unresolved or
/// a `${` is not closed.
std::optional<std::string> expand_resource(std::string_view written, const variable_values& vars);

}  // namespace lambkin::iot_policy
