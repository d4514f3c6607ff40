#pragma once
// The template's resources by logical id: what `Ref` and `Fn::GetAtt` can name.
//
// Built once from the raw `Resources` section (structure checked: each resource a map with a
// `Type` and only CloudFormation's resource attributes). SAM's implicit APIs
// (`ServerlessHttpApi`, `ServerlessRestApi`) are added when some function event needs them, since
// templates commonly `!Ref` them in Outputs. Physical names are computed later, on demand, by the
// resolver (they may themselves use intrinsics).
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lambkin::config {

enum class resource_kind {
  serverless_function,
  lambda_function,
  topic_rule,
  dynamodb_table,
  simple_table,
  http_api,
  rest_api,
  s3_bucket,
  iot_policy,             // AWS::IoT::Policy
  iot_certificate,        // AWS::IoT::Certificate
  iot_thing,              // AWS::IoT::Thing
  iot_policy_attachment,  // AWS::IoT::PolicyPrincipalAttachment
  iot_thing_attachment,   // AWS::IoT::ThingPrincipalAttachment
  other,  // not emulated: warned about, but still resolvable by Ref/GetAtt
};

struct resource_entry {
  std::string logical_id;
  std::string type;
  resource_kind kind = resource_kind::other;
  const node* definition = nullptr;  // the resource's map; nullptr for SAM's implicit APIs
  mark at;                           // where the logical id is written

  enum class name_state { unresolved, resolving, resolved };
  name_state state = name_state::unresolved;
  std::string physical_name;
};

resource_kind kind_of(std::string_view type);
bool is_function(resource_kind k);
bool is_table(resource_kind k);

/// The property that names a resource of `type` (`FunctionName`, `TableName`, `QueueName`…), or "".
std::string_view name_property(std::string_view type);

class resource_directory {
 public:
  /// Reads the `Resources` section of `root` (reports a missing or malformed one).
  resource_directory(const node& root, diagnostics& diags);

  std::vector<resource_entry>& entries() noexcept { return entries_; }
  const std::vector<resource_entry>& entries() const noexcept { return entries_; }
  resource_entry* find(std::string_view logical_id);
  std::vector<std::string> logical_ids() const;

 private:
  void add_implicit_apis();

  std::vector<resource_entry> entries_;
};

}  // namespace lambkin::config
