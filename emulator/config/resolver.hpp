#pragma once
// Intrinsic functions, pseudo parameters and conditions: a `node` with `Ref`/`Fn::…` calls in,
// a plain `node` out.
//
// Supported: Ref (parameters, pseudo parameters, resources → physical id), Fn::Sub (string and
// [string, {vars}] forms, `${!Literal}`, `${Res.Attr}`), Fn::GetAtt ("X.Attr" and [X, Attr]),
// Fn::Join, Fn::If, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64, Fn::GetAZs; and, in
// `Conditions`, Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition. Other CloudFormation functions
// (Fn::ImportValue, Fn::Cidr, …) and unknown ones are errors.
//
// Errors name the field's path and the intrinsic's position; the failed value becomes
// `node::kind::invalid`, which readers skip, so one mistake gives one message.
//
// Thread safety: none; one resolver per load.
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/node.hpp"
#include "emulator/config/parameters.hpp"
#include "emulator/config/resource_directory.hpp"
#include "lambkin/config.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::config {

/// Standard base64 (with padding) of `bytes`, as Fn::Base64 returns it.
std::string base64(std::string_view bytes);

class resolver {
 public:
  /// `root` is the whole template (for `Conditions` and `Mappings`); `s` gives the pseudo
  /// parameters. All references must outlive the resolver.
  resolver(const node& root, const settings& s, const parameter_values& params, resource_directory& resources,
           diagnostics& diags);

  /// `n` with every intrinsic replaced by its value; nullopt when it is `AWS::NoValue` (the
  /// property is then absent). Map members and list items that resolve to NoValue are dropped.
  std::optional<node> resolve(const node& n, const std::string& path);

  /// The value of the condition called `name` (evaluated once, on first use). Reports an unknown
  /// or circular condition at `at`/`path` and answers false.
  bool condition(const std::string& name, mark at, const std::string& path);
  /// Evaluates every declared condition, so mistakes in unused ones are reported too.
  void check_conditions();

  /// A resource's physical name: its name property (`FunctionName`, `TableName`, `RuleName`,
  /// `QueueName`…) when set, else its logical id.
  const std::string& physical_name(resource_entry& e);
  /// `Resources.<id>.Properties` resolved: an empty map when absent, `invalid` after reporting
  /// one that is not a map. The name property is replaced by `physical_name(e)`, so a mistake
  /// in it is reported once.
  node resolve_properties(resource_entry& e);
  resource_directory& resources() noexcept { return resources_; }

  /// `arn:<partition>:lambda:<region>:<account>:function:<name>`.
  std::string function_arn(std::string_view name) const;
  std::string table_arn(std::string_view name) const;
  std::string rule_arn(std::string_view name) const;
  const settings& pseudo() const noexcept { return settings_; }

 private:
  std::optional<node> call(const std::string& fn, const node& arg, mark at, const std::string& path);
  std::optional<node> ref(const std::string& name, mark at, const std::string& path, std::string_view fn);
  std::optional<node> get_att(const std::string& id, const std::string& attr, mark at, const std::string& path,
                              std::string_view fn);
  std::optional<node> sub(const node& arg, mark at, const std::string& path);
  std::optional<node> join(const node& arg, mark at, const std::string& path);
  std::optional<node> select(const node& arg, mark at, const std::string& path);
  std::optional<node> split(const node& arg, mark at, const std::string& path);
  std::optional<node> find_in_map(const node& arg, mark at, const std::string& path);
  std::optional<node> fn_if(const node& arg, mark at, const std::string& path);
  /// `n` resolved and required to be a string; nullopt after reporting (or when already invalid).
  /// `fn` names the calling function in the message; empty for a plain property ("must be a string").
  std::optional<std::string> resolve_string(const node& n, const std::string& path, std::string_view fn);
  /// `arg` required to be a list of `count` items (0 = any); reports `fn`'s expected shape.
  bool expect_list(const node& arg, std::size_t count, std::string_view shape, const std::string& path,
                   std::string_view fn);
  std::string resource_arn(const resource_entry& e, const std::string& name) const;
  std::optional<std::string> resource_ref(resource_entry& e);
  std::string partition() const;

  // conditions.cpp
  std::optional<bool> evaluate(const node& expr, const std::string& path);

  struct condition_state {
    const node* expr = nullptr;
    bool evaluating = false;
    std::optional<bool> value;
  };

  const node& root_;
  const settings& settings_;
  const parameter_values& params_;
  resource_directory& resources_;
  diagnostics& diags_;
  std::map<std::string, condition_state, std::less<>> conditions_;
};

}  // namespace lambkin::config
