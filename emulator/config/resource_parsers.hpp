#pragma once
// One parser per supported resource type: resolved `Properties` → config structs, every value
// checked against AWS's limits. Each appends to `parse_context::out` and reports to `diags`.
//
//   function_parser.cpp  AWS::Serverless::Function, AWS::Lambda::Function
//   function_limits.cpp  environment, concurrency, async invocation settings of a function
//   event_parser.cpp     a function's Events: IoTRule → rules, HttpApi/Api → routes
//   rule_parser.cpp      AWS::IoT::TopicRule (and the actions of every rule)
//   table_parser.cpp     AWS::DynamoDB::Table, AWS::Serverless::SimpleTable
//   api_parser.cpp       AWS::Serverless::HttpApi, AWS::Serverless::Api
//   bucket_parser.cpp    AWS::S3::Bucket (and its Lambda notifications), a function's S3 events
#include "emulator/config/diagnostics.hpp"
#include "emulator/config/property_reader.hpp"
#include "emulator/config/resolver.hpp"
#include "emulator/config/resource_directory.hpp"
#include "lambkin/config.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lambkin::config {

struct parse_context {
  resolver& resolve;
  diagnostics& diags;
  const settings& config;
  std::filesystem::path template_dir;
  template_config& out;
  /// Reserved (or, without it, provisioned) concurrency of the functions parsed so far.
  long long reserved_total = 0;

  source_location location(mark at) const { return {diags.file(), at.line, at.column}; }
  /// The template function an ARN names (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`
  /// in this region and account), with its qualifier; nullopt for anything else.
  std::optional<std::pair<function_name, std::string>> function_for_arn(std::string_view arn);
};

void parse_function(resource_entry& e, parse_context& ctx);
void parse_topic_rule(resource_entry& e, parse_context& ctx);
void parse_table(resource_entry& e, parse_context& ctx);
void parse_api(resource_entry& e, parse_context& ctx);
void parse_bucket(resource_entry& e, parse_context& ctx);
// iot_parser.cpp: AWS IoT policies, certificates, things and their attachments.
void parse_iot_policy(resource_entry& e, parse_context& ctx);
void parse_iot_certificate(resource_entry& e, parse_context& ctx);
void parse_iot_thing(resource_entry& e, parse_context& ctx);
void parse_iot_policy_attachment(resource_entry& e, parse_context& ctx);
void parse_iot_thing_attachment(resource_entry& e, parse_context& ctx);

/// `Events` of a function already appended to `ctx.out.functions`.
void parse_function_events(const function_config& f, const property_reader& props, parse_context& ctx);

// function_limits.cpp: the parts of a function that have their own AWS limits.
void read_environment(const property_reader& props, function_config& f, parse_context& ctx);
void read_concurrency(const property_reader& props, function_config& f, parse_context& ctx);
void read_event_invoke(const property_reader& props, function_config& f, parse_context& ctx);
void read_dead_letter(const property_reader& props, function_config& f, bool serverless, parse_context& ctx);

// bucket_parser.cpp: a function's `S3` event (`Bucket`, `Events`, `Filter`) → a bucket notification.
void s3_event(const function_config& f, const std::string& event, const property_reader& ev, mark at,
              parse_context& ctx);

// rule_parser.cpp: adds a rule after checking its name (AWS's pattern, unique) at `at`/`path`.
void add_rule(rule_config r, mark at, const std::string& path, parse_context& ctx);
// rule_parser.cpp: one action object (`{Lambda: {FunctionArn: …}}`) of a rule.
std::optional<rule_action> read_rule_action(const node& n, const std::string& path, parse_context& ctx);

}  // namespace lambkin::config
