#pragma once
// `GET /_lambkin/metrics`: every lambkin metric in the Prometheus text format.
//
// Functions (label `function`):
//   lambkin_lambda_invocations_total, _cold_starts_total, _warm_starts_total, _provisioned_starts_total
//   lambkin_lambda_throttles_total{reason}        the 429's Reason (async throttles: the pool's cause)
//   lambkin_lambda_errors_total{type}             function_error, timeout, crash, out_of_memory, init_failure
//   lambkin_lambda_init_duration_seconds          histogram of successful inits
//   lambkin_lambda_duration_seconds               histogram of invocation attempts
//   lambkin_lambda_concurrent_executions          gauge: invocations in flight
//   lambkin_lambda_environments{state}            gauge: initializing, idle (frozen), busy
//   lambkin_lambda_environments_stopped_total{reason}
//   lambkin_lambda_async_queue_depth              gauge: async events waiting
//   lambkin_lambda_async_oldest_event_age_seconds gauge: age of the oldest unfinished async event
//   lambkin_lambda_async_events_finished_total{destination}  on-success, on-failure, dlq, dropped
//   lambkin_lambda_dlq_size                       gauge: records kept for the dead-letter queue
// Broker: lambkin_mqtt_connections, _connections_accepted_total, _sessions, _subscriptions,
//   _messages_received_total, _messages_sent_total, _received_bytes_total, _sent_bytes_total,
//   _retained_messages.
// Rules (label `rule`): lambkin_rule_matches_total, _fired_total, _sql_errors_total,
//   _action_failures_total, _error_actions_total.
// Table store: lambkin_dynamodb_operations_total{op}.
#include <string>

namespace lambkin::io::http {
struct endpoint_services;
}

namespace lambkin::io::observe {

std::string render_metrics(const http::endpoint_services& services);

}  // namespace lambkin::io::observe
