#pragma once
// A topic rule, compiled: its SQL statement and its actions with their substitution templates
// parsed once, and the planning step that turns one message into what the actions must do.
// Pure: the shell (emulator/io/rules/rule_engine) matches topics, reads the clock, carries out the
// intents and reports failures back, from which `error_message` builds the error action's input.
//
//   auto rule = rules::compile_rule(cfg);                 // once, at load or CreateTopicRule
//   auto eval = rules::evaluate(rule->statement, msg);    // per message
//   auto plan = rules::plan_actions(*rule, msg, eval);    // intents + template failures
//
// Action types other than lambda, republish, dynamoDBv2, dynamoDB and http are kept as
// `not_emulated`: they appear in `warnings` at compile time and are skipped, never failed.
#include "emulator/core/rules/sql.hpp"
#include "emulator/core/rules/substitution_template.hpp"
#include "lambkin/config.hpp"

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace lambkin::rules {

enum class action_kind { lambda, republish, dynamodb_v2, dynamodb, http, not_emulated };

/// One parameter that may hold `${…}`: compiled once, rendered per message.
struct templated {
  std::string name;  // the API parameter name, for error messages (`topic`, `putItem.tableName`)
  substitution_template text;
};

struct compiled_action {
  action_kind kind = action_kind::not_emulated;
  std::string type;  // the API key: `lambda`, `republish`, `dynamoDBv2`, …
  /// Parameters that accept templates, by API name (`functionArn`, `topic`, `url`, `tableName`,
  /// `hashKeyValue`, `rangeKeyValue`, `putItem.tableName`, `headers.contentType`, …).
  std::vector<templated> params;
  /// Plain parameters (qos, hashKeyType, operation, payloadField…), by API name.
  std::vector<std::pair<std::string, std::string>> plain;
  /// HTTP headers (`headers[{key, value(T)}]`) and republish user properties (`{key, value(T)}`).
  std::vector<std::pair<std::string, substitution_template>> pairs;
  /// lambda: the function the template loader resolved `functionArn` to (nullopt when the ARN is
  /// templated or names no function of the template; the shell then parses the rendered ARN).
  std::optional<lambkin::function_name> function;
  std::string qualifier;

  const substitution_template* param(std::string_view name) const;
  std::string plain_or(std::string_view name, std::string fallback) const;
};

struct compiled_rule {
  std::string name;
  statement sql;
  bool enabled = true;
  std::string description;
  std::vector<compiled_action> actions;
  std::optional<compiled_action> error_action;
  /// "action 2 (kinesis) is not emulated by lambkin; the rule runs its other actions".
  std::vector<std::string> warnings;
};

/// A located reason why a rule cannot load: the SQL error (line and column within the SQL text),
/// or a bad action parameter.
struct rule_error {
  std::string rule;
  std::string message;
};

/// Compiles the SQL (in the rule's `sql_version`) and every action's templates.
result<compiled_rule, rule_error> compile_rule(const config::rule_config& cfg);

/// Every rule of a template compiled, for the loaders (`lambkin validate/run/invoke`, the embedding
/// API): errors and warnings as `file:line:col: rule NAME: message`.
struct rules_check {
  std::vector<std::string> errors, warnings;
};
rules_check check_rules(const std::vector<config::rule_config>& rules);

// ---- intents: what the shell must do for one message ---------------------------------------------

/// Invoke a function asynchronously (InvocationType Event) with `payload` as the event.
struct invoke_intent {
  std::string function_arn;  // rendered; with or without a qualifier
  std::optional<lambkin::function_name> function;  // resolved by the template loader when static
  std::string qualifier;
  std::string payload;
};

struct republish_intent {
  std::string topic;  // `$$` already turned into `$`
  int qos = 0;
  std::string payload;
  std::optional<int> payload_format_indicator;
  std::optional<std::string> content_type, response_topic, correlation_data;  // correlation: raw bytes
  std::optional<std::uint32_t> message_expiry;
  std::vector<std::pair<std::string, std::string>> user_properties;
};

/// A request to the table store in DynamoDB's JSON protocol (`PutItem`, `UpdateItem`,
/// `DeleteItem`), ready to be handed to the DynamoDB API handler.
struct table_intent {
  std::string operation;  // `PutItem`, `UpdateItem` or `DeleteItem`
  std::string table;
  std::string request_json;
};

struct http_intent {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using action_intent = std::variant<invoke_intent, republish_intent, table_intent, http_intent>;

/// One failed action, as the error action reports it.
struct action_failure {
  std::string failed_action;    // `LambdaAction`, `RepublishAction`, `DynamoDBv2Action`, …
  std::string failed_resource;  // the function ARN, topic, table or URL
  std::string error_message;
};

struct planned_action {
  std::size_t index = 0;  // in the rule's action list
  std::string failed_action;
  std::string resource;
  action_intent intent;
};

struct action_plan {
  std::vector<planned_action> actions;
  /// Actions whose parameters could not be rendered or whose input does not fit them
  /// (a dynamoDBv2 action given a result that is not an object…).
  std::vector<action_failure> failures;
};

/// The intents for one message whose statement produced `eval` (kind `output`; anything else
/// gives an empty plan). Templates are rendered against the original message `m`.
action_plan plan_actions(const compiled_rule& rule, const message_context& m, const evaluation& eval);

/// The error action's intent for one message whose actions failed: its input is `error_json`
/// (`error_message`). nullopt when the rule has no error action; a failure when it cannot even
/// be planned.
std::optional<std::variant<planned_action, action_failure>> plan_error_action(const compiled_rule& rule,
                                                                              const message_context& m,
                                                                              const std::string& error_json);

/// The error action's input (reference §2.11): ruleName, topic, cloudwatchTraceId, clientId,
/// base64OriginalPayload, failures[{failedAction, failedResource, errorMessage}].
std::string error_message(const std::string& rule_name, const message_context& m, const std::string& trace_id,
                          const std::vector<action_failure>& failures);

/// The name AWS uses for an action type in error messages (`lambda` → `LambdaAction`).
std::string failed_action_name(std::string_view type);

}  // namespace lambkin::rules
