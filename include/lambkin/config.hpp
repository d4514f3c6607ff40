#pragma once
// lambkin's configuration, as loaded from a SAM/CloudFormation template (emulator/config).
//
// Plain structs with AWS's defaults, consumed by the subsystems: the function pools take
// `function_config`, the rules engine `rule_config`, the HTTP API `route_config`/`api_config`, the
// table store `table_config`, the shells `settings`. The loader has already validated every value
// against AWS's limits, so consumers may rely on the documented ranges.
//
// References between resources are resolved to physical names: a route's or rule action's
// `function` is the `name` of a `function_config` of the same template.
#include "lambkin/clock.hpp"
#include "lambkin/ids.hpp"
#include "lambkin/timing.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::config {

/// Where a resource (or field) is written in the template; line and column are 1-based, 0 = unknown.
struct source_location {
  std::string file;
  int line = 0;
  int column = 0;
};

// ---- lambkin's own settings (template `Metadata.lambkin`, then command-line flags) -----------

/// How long an idle execution environment is kept before it is reaped. `min == max` is a fixed
/// retention; otherwise each environment draws uniformly from [min, max] with a generator seeded
/// by `seed` (AWS's retention is "non-deterministic"; a seed makes lambkin's reproducible).
struct retention_window {
  duration min = minutes(10);
  duration max = minutes(10);
  std::optional<std::uint64_t> seed;

  bool randomised() const noexcept { return min != max; }
  bool operator==(const retention_window&) const = default;
};

/// Listener ports; 0 = pick a free one (the real ones are reported by `--ready-file`).
struct port_settings {
  std::uint16_t mqtt = 1883;
  std::uint16_t ws = 8083;
  std::uint16_t http = 3000;
  std::uint16_t aws = 4566;
  bool operator==(const port_settings&) const = default;
};

struct settings {
  timing_profile timing = timing_profile::aws;
  /// nullopt: the timing profile decides (`aws`: a fixed 10 minutes).
  std::optional<retention_window> idle_retention;
  /// The account's concurrency limit (AWS default 1000).
  int account_concurrency = 1000;
  /// Concurrency that reserved concurrency may never take from the account (AWS: 100).
  int unreserved_minimum = 100;
  port_settings ports;
  /// Address every listener binds to.
  std::string bind = "127.0.0.1";
  /// `AWS::Region`, `AWS::AccountId` and `AWS::StackName` as the template sees them.
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  std::string stack_name = "lambkin";
};

/// Settings given on the command line: each set field wins over the template's.
struct settings_overlay {
  std::optional<timing_profile> timing{};
  std::optional<retention_window> idle_retention{};
  std::optional<int> account_concurrency{};
  std::optional<int> unreserved_minimum{};
  std::optional<std::uint16_t> mqtt_port{};
  std::optional<std::uint16_t> ws_port{};
  std::optional<std::uint16_t> http_port{};
  std::optional<std::uint16_t> aws_port{};
  std::optional<std::string> bind{};
  std::optional<std::string> region{};
  std::optional<std::string> account_id{};
  std::optional<std::string> stack_name{};
};

/// Copies every field set in `overlay` over `s`; fields left empty keep their value.
inline void apply_overlay(settings& s, const settings_overlay& overlay) {
  auto set = [](auto& field, const auto& value) {
    if (value) field = *value;
  };
  set(s.timing, overlay.timing);
  if (overlay.idle_retention) s.idle_retention = overlay.idle_retention;
  set(s.account_concurrency, overlay.account_concurrency);
  set(s.unreserved_minimum, overlay.unreserved_minimum);
  set(s.ports.mqtt, overlay.mqtt_port);
  set(s.ports.ws, overlay.ws_port);
  set(s.ports.http, overlay.http_port);
  set(s.ports.aws, overlay.aws_port);
  set(s.bind, overlay.bind);
  set(s.region, overlay.region);
  set(s.account_id, overlay.account_id);
  set(s.stack_name, overlay.stack_name);
}

// ---- functions --------------------------------------------------------------------------------

/// Where an async invocation record goes (`EventInvokeConfig.DestinationConfig`).
struct destination_config {
  /// SAM's `Type`: `SQS`, `SNS`, `Lambda`, `EventBridge` or `S3Bucket`.
  std::string type;
  /// The destination ARN; empty for SQS/SNS when SAM would create the queue/topic itself.
  std::string arn;
  /// Set when `arn` names a function of this template (`type == "Lambda"`).
  std::optional<function_name> function;
};

/// `EventInvokeConfig`: how async invocations are retried and where their records go.
struct event_invoke_config {
  int max_retry_attempts = 2;             // 0–2
  duration max_event_age = hours(6);      // 60 s – 6 h
  std::optional<destination_config> on_success;
  std::optional<destination_config> on_failure;
};

/// The dead-letter queue of async events that exhausted their retries.
struct dead_letter_config {
  std::string type;        // `SQS` or `SNS` (derived from the ARN for AWS::Lambda::Function)
  std::string target_arn;
};

struct function_config {
  std::string logical_id;
  /// The physical name: `FunctionName` if given, else the logical id.
  function_name name;
  /// `arn:aws:lambda:<region>:<account>:function:<name>`.
  std::string arn;
  /// One of the supported runtimes (`provided.al2023`, `nodejs20.x`, `python3.12`, …).
  std::string runtime;
  /// Empty only for `provided*` runtimes, where it is free-form.
  std::string handler;
  /// Absolute path of the code directory (`CodeUri`/`Code`, relative to the template's directory).
  std::filesystem::path code_dir;
  int memory_mb = 128;                    // 128–10240
  duration timeout = seconds(3);          // 1–900 s
  int ephemeral_storage_mb = 512;         // 512–10240
  /// User environment variables in template order (Globals first); no reserved keys; ≤ 4 KB.
  std::vector<std::pair<std::string, std::string>> environment;
  std::optional<int> reserved_concurrency;
  /// Only with `alias` set; never more than `reserved_concurrency` when both are set.
  std::optional<int> provisioned_concurrency;
  /// `AutoPublishAlias`: event sources and routes invoke this alias; empty if none.
  std::string alias;
  event_invoke_config event_invoke;
  std::optional<dead_letter_config> dead_letter;
  source_location source;
};

// ---- IoT topic rules --------------------------------------------------------------------------

struct param_member;

/// A JSON-like parameter value of a rule action: a scalar (kept as text), a list or an object.
struct param_value {
  enum class kind { scalar, list, object };
  kind type = kind::scalar;
  std::string text;
  std::vector<param_value> items;
  std::vector<param_member> members;

  /// The member called `key` of an object, or nullptr.
  const param_value* find(const std::string& key) const;
};

/// One member of an object-valued `param_value`, in template order. (A struct rather than a
/// std::pair: a pair of a still-incomplete param_value is not portable C++.)
struct param_member {
  std::string key;
  param_value value;
  param_member(std::string k, param_value v) : key(std::move(k)), value(std::move(v)) {}
};

inline const param_value* param_value::find(const std::string& key) const {
  for (const auto& m : members)
    if (m.key == key) return &m.value;
  return nullptr;
}

/// One action of a topic rule, named as in the IoT API (`lambda`, `republish`, `dynamoDBv2`, …)
/// with its parameters under their API names (`functionArn`, `topic`, `qos`, `putItem.tableName`):
/// CloudFormation's PascalCase names with the first letter lowered.
struct rule_action {
  std::string type;
  param_value parameters;  // an object
  /// For `lambda` actions whose `functionArn` names a function of this template.
  std::optional<function_name> function;
  /// The version or alias the `functionArn` qualifies the function with; empty for `$LATEST`.
  std::string qualifier;
};

enum class rule_origin { topic_rule_resource, function_event };

struct rule_config {
  /// The TopicRule's logical id, or `<Function><Event>` for a function's IoTRule event.
  std::string logical_id;
  /// `RuleName` if given, else the logical id (`^[a-zA-Z0-9_]+$`, 1–128).
  std::string name;
  std::string sql;
  /// `2015-10-08` (AWS's default when omitted), `2016-03-23` or `beta`.
  std::string sql_version = "2015-10-08";
  bool disabled = false;
  std::string description;
  std::vector<rule_action> actions;
  std::optional<rule_action> error_action;
  rule_origin origin = rule_origin::topic_rule_resource;
  source_location source;
};

// ---- HTTP APIs and routes ---------------------------------------------------------------------

enum class api_kind { http, rest };

struct cors_config {
  std::vector<std::string> allow_origins;
  std::vector<std::string> allow_methods;
  std::vector<std::string> allow_headers;
  std::vector<std::string> expose_headers;
  std::optional<int> max_age;
  bool allow_credentials = false;
};

struct api_config {
  /// The resource's logical id, or `ServerlessHttpApi`/`ServerlessRestApi` for SAM's implicit APIs.
  std::string logical_id;
  api_kind kind = api_kind::http;
  /// `$default` for HTTP APIs unless set.
  std::string stage_name = "$default";
  std::optional<cors_config> cors;
  /// True for the APIs SAM creates for events without `ApiId`/`RestApiId`.
  bool implicit = false;
  source_location source;
};

struct route_config {
  std::string api_id;              // an `api_config::logical_id`
  api_kind kind = api_kind::http;
  std::string method;              // upper case: GET, POST, …, or ANY
  std::string path;                // `/devices/{id}`, `/{proxy+}`, or `$default`
  std::string payload_format = "2.0";  // "2.0" or "1.0" (always "1.0" for REST APIs)
  function_name function;
  std::string qualifier;           // the function's AutoPublishAlias, if any
  std::string event;               // `<Function>.<Event>`
  source_location source;
};

// ---- tables -----------------------------------------------------------------------------------

enum class attribute_type { string, number, binary };  // S, N, B

constexpr const char* to_string(attribute_type t) noexcept {
  return t == attribute_type::string ? "S" : t == attribute_type::number ? "N" : "B";
}

struct key_attribute {
  std::string name;
  attribute_type type = attribute_type::string;
  bool operator==(const key_attribute&) const = default;
};

struct key_schema {
  key_attribute partition;
  std::optional<key_attribute> sort;
};

struct secondary_index {
  std::string name;
  key_schema keys;
  std::string projection = "ALL";  // ALL, KEYS_ONLY or INCLUDE
  std::vector<std::string> non_key_attributes;
};

struct table_config {
  std::string logical_id;
  /// `TableName` if given, else the logical id.
  std::string name;
  std::string arn;
  key_schema keys;
  /// Every `AttributeDefinitions` entry (all of them are key attributes of the table or an index).
  std::vector<key_attribute> attributes;
  std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
  std::vector<secondary_index> global_indexes;
  std::vector<secondary_index> local_indexes;
  /// `TimeToLiveSpecification.AttributeName` when enabled.
  std::optional<std::string> ttl_attribute;
  /// `StreamSpecification.StreamViewType` (NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY).
  std::optional<std::string> stream_view_type;
  source_location source;
};

// ---- S3 buckets --------------------------------------------------------------------------------

/// An `AWS::S3::Bucket`, created empty at start if it does not exist.
struct bucket_config {
  std::string logical_id;
  /// `BucketName` if given, else `<stack name>-<logical id>` in lower case (S3 names are lower case).
  std::string name;
  source_location source;
};

/// One notification of S3 changes to a function: a `LambdaConfigurations` entry of a bucket's
/// `NotificationConfiguration`, or an `S3` event of a function.
struct bucket_notification {
  std::string bucket;  // a bucket_config::name
  /// `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, … (validated).
  std::vector<std::string> events;
  /// `Filter.S3Key.Rules`: the key must start with `prefix` and end with `suffix`.
  std::string prefix, suffix;
  function_name function;
  /// The version or alias invoked; empty for `$LATEST`.
  std::string qualifier;
  /// The record's `s3.configurationId`: the function event's `<Function><Event>` name, or the
  /// configuration's position in the bucket (`<Bucket>Notification<N>`).
  std::string id;
  source_location source;
};

// ---- AWS IoT policies, certificates and things ---------------------------------------------------

/// An `AWS::IoT::Policy`. `document` is the PolicyDocument as JSON text (already checked with
/// core/iot_policy's parser).
struct iot_policy_config {
  std::string logical_id;
  std::string name;  // `PolicyName`, else the logical id
  std::string document;
  source_location source;
};

/// An `AWS::IoT::Certificate`: its id (SHA-256 of the DER, what `!Ref` gives) and status.
struct iot_certificate_config {
  std::string logical_id;
  std::string id;
  std::string status;  // ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION
  source_location source;
};

/// An `AWS::IoT::Thing` with its `AttributePayload.Attributes`.
struct iot_thing_config {
  std::string logical_id;
  std::string name;  // `ThingName`, else the logical id
  std::map<std::string, std::string> attributes;
  source_location source;
};

/// `AWS::IoT::PolicyPrincipalAttachment` (target = the policy name) or
/// `AWS::IoT::ThingPrincipalAttachment` (target = the thing name); `principal` a certificate ARN.
struct iot_attachment_config {
  std::string logical_id;
  std::string target;
  std::string principal;
  source_location source;
};

// ---- the template -----------------------------------------------------------------------------

struct output_config {
  std::string name;
  std::string value;
  std::string description;
};

struct template_config {
  /// The template file as given to the loader.
  std::filesystem::path source;
  std::string description;
  lambkin::config::settings settings;
  /// Every parameter's value after overrides (lists joined with commas).
  std::map<std::string, std::string> parameters;
  std::vector<function_config> functions;
  std::vector<rule_config> rules;
  std::vector<api_config> apis;
  std::vector<route_config> routes;
  std::vector<table_config> tables;
  std::vector<output_config> outputs;
  std::vector<bucket_config> buckets;
  std::vector<bucket_notification> bucket_notifications;
  std::vector<iot_policy_config> iot_policies;
  std::vector<iot_certificate_config> iot_certificates;
  std::vector<iot_thing_config> iot_things;
  std::vector<iot_attachment_config> iot_policy_attachments;
  std::vector<iot_attachment_config> iot_thing_attachments;

  /// The function, table or API with that physical name (or logical id for APIs), or nullptr.
  const function_config* find_function(const function_name& name) const {
    for (const auto& f : functions)
      if (f.name == name) return &f;
    return nullptr;
  }
  const table_config* find_table(const std::string& name) const {
    for (const auto& t : tables)
      if (t.name == name) return &t;
    return nullptr;
  }
  const api_config* find_api(const std::string& logical_id) const {
    for (const auto& a : apis)
      if (a.logical_id == logical_id) return &a;
    return nullptr;
  }
};

}  // namespace lambkin::config
