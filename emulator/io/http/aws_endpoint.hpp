#pragma once
// The AWS endpoint (default 127.0.0.1:4566): one listener answering every emulated AWS API and
// lambkin's own `/_lambkin/…` routes. It picks the service from the request (path prefix,
// `X-Amz-Target`) and hands the request to that service's handler.
//
// Today: `/_lambkin/health`, `/_lambkin/destinations` (records of finished async events), the
// Lambda Invoke API and the Lambda control-plane subset (lambda_api.hpp), DynamoDB (dynamodb_api.hpp), S3 (s3_api.hpp).
// Anything not emulated is answered `UnknownOperationException` naming the method and path.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "emulator/io/mqtt/mqtt_server.hpp"

#include <chrono>
#include <string>

namespace lambkin::io::rules {
class rule_engine;
}
namespace lambkin::io::store {
class table_store;
}
namespace lambkin::io::observe {
class observatory;
}
namespace lambkin::io::s3 {
class s3_service;
}

namespace lambkin::io::http {

struct endpoint_status {
  std::string template_path;
  std::chrono::steady_clock::time_point started;
  std::size_t functions = 0, rules = 0, routes = 0, tables = 0;
};

/// The services the endpoint routes to; null ones are not running.
struct endpoint_services {
  lambda::lambda_service* lambda = nullptr;
  /// lambkin's own MQTT broker (metrics, dashboard); null in bridge mode (`--broker`).
  mqtt::mqtt_server* mqtt = nullptr;
  /// IoT topic rules (iot_rules_api.hpp): List/Get/Create/Replace/Delete/Enable/DisableTopicRule.
  rules::rule_engine* rules = nullptr;
  /// DynamoDB (dynamodb_api.hpp): requests whose X-Amz-Target starts with `DynamoDB_20120810.`.
  store::table_store* tables = nullptr;
  /// IoT Data (iot_data_api.hpp): Publish, GetRetainedMessage, ListRetainedMessages, through the
  /// broker's in-process API (the own broker or the bridge to an external one).
  mqtt::broker_api* broker = nullptr;
  /// Metrics, timeline and dashboard (observe_routes.hpp): `/_lambkin/metrics`, `/_lambkin/timeline`,
  /// `/_lambkin/state`, `/_lambkin/events`, `/_lambkin/`. Metrics and state work without it.
  observe::observatory* observe = nullptr;
  /// S3 (s3_api.hpp): requests signed for `s3` or addressed virtual-hosted-style (`bucket.localhost`).
  s3::s3_service* s3 = nullptr;
};

/// The AWS endpoint's server options: S3 uploads may be larger than the other APIs' bodies
/// (answered EntityTooLarge in S3's XML past that).
server_options aws_endpoint_options();

/// Builds the handler for the AWS endpoint; `status` and the services must outlive it.
handler make_aws_endpoint(const endpoint_status& status, const endpoint_services& services);

}  // namespace lambkin::io::http
