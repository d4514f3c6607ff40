#pragma once
// The rules engine, live: every topic rule of the template (and those created through the IoT
// API while lambkin runs), fed by the broker and carrying out their actions.
//
// Matching: each enabled rule is a broker listener on its FROM filter, so the broker's subscription
// trie finds the rules of a message (no scan over rules); Basic Ingest messages
// (`$aws/rules/<name>/…`) go to the named rule only. Per message: the SQL core evaluates WHERE then
// SELECT (emulator/core/rules/sql.hpp), `plan_actions` renders the actions' templates, and this
// class carries the intents out — lambda: an async (Event) invoke of the function; republish: a
// broker publish; dynamoDBv2/dynamoDB: a DynamoDB JSON request to the table store handler; http: a
// POST. When any action fails, the error action runs once with AWS's error message (§2.11).
//
// Logs (logger "rules"): a warning per action type not emulated (at load), one line per SQL
// evaluation error and per failed action, debug lines per fired rule.
//
// Thread safety: single-threaded (the io_context's thread).
#include "emulator/core/mqtt/broker_output.hpp"
#include "emulator/core/rules/rule_actions.hpp"
#include "emulator/io/http/http_server.hpp"
#include "lambkin/config.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambkin::io::lambda {
class lambda_service;
}
namespace lambkin::io::mqtt {
class broker_api;
}

namespace lambkin::io::rules {

struct engine_settings {
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
};

/// Counters since start (the dashboard and tests read them).
struct engine_counters {
  std::uint64_t matched = 0;       // messages that reached a rule
  std::uint64_t fired = 0;         // … whose WHERE was true (actions planned)
  std::uint64_t sql_errors = 0;    // evaluation errors (logged, no error action)
  std::uint64_t action_failures = 0;
  std::uint64_t error_actions = 0;  // error actions run
};

/// A rule as the IoT control API shows it.
struct rule_view {
  config::rule_config config;
  std::int64_t created_at_ms = 0;
};

class rule_engine {
 public:
  /// `tables` answers DynamoDB JSON requests (the AWS endpoint's handler); may be empty, then table
  /// actions fail with "the table store is not running".
  rule_engine(boost::asio::any_io_executor executor, mqtt::broker_api& broker, lambda::lambda_service* functions,
              http::handler tables, engine_settings settings);
  ~rule_engine();
  rule_engine(const rule_engine&) = delete;
  rule_engine& operator=(const rule_engine&) = delete;

  /// Compiles and enables every rule; on the first that cannot load, returns its error
  /// ("rule StoreTemperatureReading: SQL line 1, column 8: …") and loads none.
  std::optional<std::string> load(const std::vector<config::rule_config>& rules);

  // ---- control plane (IoT CreateTopicRule, ReplaceTopicRule, …) -------------------------------

  /// Adds a rule; an existing name is an error ("already exists"), like a bad SQL statement.
  std::optional<std::string> create(config::rule_config rule);
  /// Replaces a rule's definition (keeps its name and creation time).
  std::optional<std::string> replace(config::rule_config rule);
  bool remove(const std::string& name);
  /// Enables or disables; false when there is no such rule.
  bool set_enabled(const std::string& name, bool enabled);
  const rule_view* find(const std::string& name) const;
  std::vector<const rule_view*> list() const;

  /// Broker inputs (set as the broker_api's listener and rule sinks).
  void on_message(const lambkin::mqtt::listener_message& m);
  void on_ingest(const lambkin::mqtt::rule_ingest& m);

  const engine_counters& counters() const noexcept { return counters_; }
  /// The same counters per rule name (rules removed since keep theirs).
  const std::map<std::string, engine_counters>& rule_counters() const noexcept { return rule_counters_; }
  const engine_settings& settings() const noexcept;

 private:
  struct entry;
  std::optional<std::string> add(config::rule_config rule, std::int64_t created_at, bool log_warnings);
  void subscribe(entry& e);
  void unsubscribe(entry& e);
  void fire(entry& e, const lambkin::mqtt::message& msg, const std::string& client_id, const std::string& principal);

  struct impl;
  std::unique_ptr<impl> impl_;
  engine_counters counters_;
  std::map<std::string, engine_counters> rule_counters_;
};

}  // namespace lambkin::io::rules
