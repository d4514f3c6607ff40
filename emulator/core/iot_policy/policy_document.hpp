#pragma once
// An AWS IoT Core policy document (IAM policy grammar, the subset AWS IoT evaluates):
//
//   { "Version": "2012-10-17",
//     "Statement": [ { "Effect": "Allow" | "Deny",
//                      "Action": "iot:Publish" | [ … ],        (or "NotAction")
//                      "Resource": "arn:aws:iot:…:topic/x" | [ … ],   (or "NotResource")
//                      "Condition": { "StringEquals": { "iot:ClientId": "a" }, … } } ] }
//
// `Statement` may be one object or a list; `Action`/`Resource` a string or a list. Actions and
// resources may use `*` and `?` wildcards; resources may use policy variables
// (policy_variables.hpp), which are expanded per connection. Condition operators supported:
// StringEquals, StringNotEquals, StringLike, StringNotLike, Bool (each key a policy variable
// name, each value a string or a list of strings, any of which may match), and the String ones
// prefixed `ForAllValues:` / `ForAnyValue:` on `iot:ConnectAttributes`. Anything else is an
// error naming what lambkin does not support, never a silent allow.
#include "emulator/core/http/json_reader.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lambkin::iot_policy {

enum class condition_operator : unsigned char { string_equals, string_not_equals, string_like, string_not_like, boolean };

/// IAM's set operators, for multi-valued keys (`iot:ConnectAttributes`): `ForAllValues:` holds when
/// every value of the key matches (also when it has none), `ForAnyValue:` when at least one does.
enum class set_quantifier : unsigned char { none, for_all_values, for_any_value };

struct condition {
  condition_operator op = condition_operator::string_equals;
  set_quantifier quantifier = set_quantifier::none;
  std::string key;                  // "iot:Connection.Thing.IsAttached", "iot:ClientId", …
  std::vector<std::string> values;  // any may match (for the Not… operators: none may)
};

struct statement {
  bool allow = true;
  bool not_action = false;    // NotAction: every action except these
  bool not_resource = false;  // NotResource
  std::vector<std::string> actions;    // as written ("iot:Publish", "iot:*", "*")
  std::vector<std::string> resources;  // as written, variables unexpanded
  std::vector<condition> conditions;   // all must hold
};

struct policy_document {
  std::vector<statement> statements;
};

struct parse_error {
  std::string path;     // "Statement[1].Effect"
  std::string message;  // "must be Allow or Deny"
};

using parse_result = std::variant<policy_document, parse_error>;

/// A document as JSON text (what CreatePolicy takes).
parse_result parse_policy_document(std::string_view json);
/// A document already read as JSON (or converted from the template's YAML).
parse_result parse_policy_document(const http::json_value& doc);

}  // namespace lambkin::iot_policy
