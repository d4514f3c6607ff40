#pragma once
// The AWS IoT control-plane subset for topic rules, on the AWS endpoint, so that
// `aws iot … --endpoint-url` and the SDKs can change rules while lambkin runs:
//   GET    /rules                      ListTopicRules (?topic=, ?ruleDisabled=, ?maxResults=, ?nextToken=)
//   GET    /rules/{ruleName}           GetTopicRule
//   POST   /rules/{ruleName}           CreateTopicRule   (body: the topicRulePayload)
//   PATCH  /rules/{ruleName}           ReplaceTopicRule  (body: the topicRulePayload)
//   DELETE /rules/{ruleName}           DeleteTopicRule
//   POST   /rules/{ruleName}/enable    EnableTopicRule
//   POST   /rules/{ruleName}/disable   DisableTopicRule
// Errors as IoT answers them: 400 SqlParseException (bad SQL, with line and column),
// 400 InvalidRequestException (bad payload or name), 409 ResourceAlreadyExistsException, and
// 401 UnauthorizedException for a rule that does not exist (IoT's answer, not a 404).
#include "emulator/io/http/http_server.hpp"

#include <string_view>

namespace lambkin::io::rules {
class rule_engine;
}

namespace lambkin::io::http {

/// True for `/rules` and `/rules/…`.
bool is_iot_rules_path(std::string_view path) noexcept;

/// Answers one request on a rules path. `region`/`account` build the rule ARNs.
response handle_iot_rules(rules::rule_engine& engine, const request& req, std::string_view region,
                          std::string_view account);

}  // namespace lambkin::io::http
