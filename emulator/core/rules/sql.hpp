#pragma once
// AWS IoT SQL for topic rules: compile a rule's SQL once, evaluate it against each matching
// message. Pure: no clock (timestamp() is the message's `timestamp_ms`), no randomness of its own
// (newuuid() and rand() call the generators the caller passes in), no I/O.
//
//   auto stmt = rules::compile("SELECT temperature, topic(2) AS deviceId FROM 'things/+/temperature'",
//                              rules::sql_version::v2016_03_23);
//   if (!stmt) log(stmt.error().what());        // "line 1, column 27: unexpected token 'FORM'"
//   auto out = rules::evaluate(*stmt, message);  // out.kind: no_output | output | error
//
// Matching a message's topic against `topic_filter()` is the caller's job (a rule set keeps a
// topic trie); evaluate() does not look at the filter.
#include "emulator/core/result.hpp"
#include "emulator/core/rules/value.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::rules {

/// `awsIotSqlVersion`. AWS's default, when a rule omits it, is 2015-10-08 (CloudFormation docs);
/// 2016-03-23 is the recommended one and what `lambkin sql` uses unless told otherwise.
enum class sql_version { v2015_10_08, v2016_03_23, beta };
inline constexpr sql_version default_rule_sql_version = sql_version::v2015_10_08;
/// "2015-10-08", "2016-03-23" or "beta"; nullopt for anything else.
std::optional<sql_version> parse_sql_version(std::string_view text);
std::string_view to_string(sql_version v);

/// A located compile error: `what()` is "line L, column C: <message>".
struct sql_error {
  int line = 1;
  int column = 1;    // 1-based, in characters of the SQL text
  std::string token;  // the offending token's text (empty at end of input)
  std::string message;
  std::string what() const;
};

/// Everything about one incoming message that a rule can see.
struct message_context {
  std::string topic;    // as published; a Basic Ingest `$aws/rules/<name>/` prefix already removed
  std::string payload;  // raw bytes: JSON or not
  std::string client_id = "n/a";  // "n/a" when the message did not arrive over MQTT
  std::string principal;
  std::int64_t timestamp_ms = 0;  // what timestamp() returns: the shell's clock, read once per message
  std::string account_id = "000000000000";
  std::optional<std::string> trace_id;  // traceid(); nullopt (Undefined) when not over MQTT
  // MQTT 5 PUBLISH properties (get_mqtt_property / get_user_properties).
  std::optional<int> payload_format_indicator;
  std::optional<std::string> content_type;
  std::optional<std::string> response_topic;
  std::optional<std::string> correlation_data;  // raw bytes; get_mqtt_property returns base64
  std::vector<std::pair<std::string, std::string>> user_properties;
  /// newuuid(): must return a fresh UUID string each call. Empty: newuuid() is an evaluation error.
  std::function<std::string()> new_uuid;
  /// rand(): must return a double in [0, 1). Empty: rand() is an evaluation error.
  std::function<double()> random;
};

namespace detail {
struct query;
}
struct evaluation;

/// A compiled rule SQL statement. Cheap to copy (shared, immutable).
class statement {
 public:
  /// The FROM topic filter without its quotes (`things/+/temperature`); empty when there is no FROM.
  const std::string& topic_filter() const;
  sql_version version() const;
  /// The SQL text it was compiled from.
  const std::string& text() const;

 private:
  explicit statement(std::shared_ptr<const detail::query> q) : query_(std::move(q)) {}
  std::shared_ptr<const detail::query> query_;
  friend result<statement, sql_error> compile(std::string_view, sql_version);
  friend evaluation evaluate(const statement&, const message_context&);
};

/// Parses and checks a statement. Errors: syntax (with the offending token), functions that do not
/// exist or take other argument counts, features of a later SQL version (object/array literals,
/// nested SELECT, encode, … in 2015-10-08), and the functions lambkin does not emulate because they
/// call other AWS services (aws_lambda, get_dynamodb, get_secret, get_thing_shadow,
/// get_registry_data, machinelearning_predict): "function X is not emulated by lambkin".
result<statement, sql_error> compile(std::string_view sql, sql_version v = sql_version::v2016_03_23);

/// What one statement made of one message.
struct evaluation {
  enum class outcome {
    no_output,  // WHERE was not Boolean true: the rule matched but fires no action
    output,     // `payload` is what the actions receive
    error,      // the statement could not be evaluated; `error_message` says why (AWS logs it)
  };
  outcome kind = outcome::no_output;
  /// The outgoing payload: JSON text, or the raw bytes of a non-JSON payload selected with `SELECT *`
  /// (then `binary` is true). A `SELECT VALUE` of Undefined is the empty string.
  std::string payload;
  bool binary = false;
  /// The result as a value (an Object for `SELECT items`, anything for `SELECT VALUE`), for actions
  /// that look at fields (dynamoDBv2 columns, timestream measures).
  value result;
  std::string error_message;
};

/// Evaluates WHERE (against the original message), then SELECT.
evaluation evaluate(const statement& s, const message_context& m);

/// Evaluates one expression of the statement language against a message, e.g. for tests or a REPL.
result<value, std::string> evaluate_expression(std::string_view expr, const message_context& m,
                                               sql_version v = sql_version::v2016_03_23);

}  // namespace lambkin::rules
