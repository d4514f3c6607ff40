#pragma once
// lambkin's expected errors, as values.
//
// Every expected failure is one `lambkin::errc`, carried in a `std::error_code` of the
// `lambkin` category. Each protocol sees it in its own terms through exactly one mapping
// function each (error.cpp holds all of them, side by side):
//   - http_status(e)        → the HTTP status an AWS API or API Gateway answers with;
//   - aws_error_type(e)     → the AWS exception name (`x-amzn-ErrorType`, DynamoDB `__type` suffix);
//   - throttle_reason(e)    → the `Reason` of a Lambda `TooManyRequestsException`;
//   - mqtt_reason_code(e)   → the MQTT 5 reason code (CONNACK, PUBACK, SUBACK, DISCONNECT…);
//   - mqtt311_connack_code  → the MQTT 3.1.1 CONNACK return code, where one exists.
// Exceptions are only for the unexpected (bugs, resource exhaustion).
#include <cstdint>
#include <string_view>
#include <system_error>

namespace lambkin {

enum class errc {
  // ---- AWS API request errors ----
  /// A parameter is out of range or malformed (Lambda `InvalidParameterValueException`, 400).
  invalid_parameter_value = 1,
  /// DynamoDB's catch-all for bad requests (`ValidationException`, 400).
  validation,
  /// The request body is not valid JSON (`InvalidRequestContentException`, 400).
  invalid_request_content,
  /// The content type is not accepted (`UnsupportedMediaTypeException`, 415).
  unsupported_media_type,
  /// The function, table, route or object does not exist (`ResourceNotFoundException`, 404).
  resource_not_found,
  /// The resource is being changed (`ResourceConflictException`, 409).
  resource_conflict,
  /// A Lambda version or alias has no provisioned concurrency configuration
  /// (`ProvisionedConcurrencyConfigNotFoundException`, 404).
  provisioned_concurrency_config_not_found,
  /// A RevisionId given with a change is not the current one (`PreconditionFailedException`, 412).
  precondition_failed,
  /// The table already exists or is busy (`ResourceInUseException`, 400).
  resource_in_use,
  /// The payload is over the limit (`RequestEntityTooLargeException`, 413).
  request_too_large,
  /// The operation named by `X-Amz-Target` or the path is not known (`UnknownOperationException`, 400).
  unknown_operation,
  /// A ConditionExpression evaluated false (`ConditionalCheckFailedException`, 400).
  conditional_check_failed,
  /// A transaction was cancelled (`TransactionCanceledException`, 400).
  transaction_canceled,
  /// Authentication or authorization failed (`AccessDeniedException`, 403).
  access_denied,
  /// Something inside lambkin failed (`ServiceException`, 500).
  service_error,

  // ---- Lambda throttles: all `TooManyRequestsException` (429), told apart by `Reason` ----
  /// The function's reserved concurrency (including 0) is in use.
  throttled_reserved_concurrency,
  /// The account's unreserved concurrency pool is in use.
  throttled_account_concurrency,

  // ---- MQTT ----
  malformed_packet,
  protocol_error,
  unsupported_protocol_version,
  client_id_rejected,
  bad_credentials,
  not_authorized,
  server_unavailable,
  topic_name_invalid,
  topic_filter_invalid,
  packet_too_large,
  quota_exceeded,
  qos_not_supported,
  session_taken_over,
  keep_alive_timeout,
  receive_maximum_exceeded,
  topic_alias_invalid,
  retain_not_supported,
  shared_subscriptions_not_supported,
  no_matching_subscribers,
  bad_authentication_method,
  subscription_identifiers_not_supported,
  wildcard_subscriptions_not_supported,

  // ---- configuration ----
  /// A template or scenario file is invalid; the message names file, line, column and field.
  config_invalid,
};

/// The `lambkin` error category ("lambkin"); messages are the enumerators' documented meanings.
const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// HTTP status for an AWS API answer (400, 403, 404, 409, 412, 413, 415, 429, 500).
int http_status(errc e) noexcept;

/// AWS exception name, e.g. `ResourceNotFoundException`, `TooManyRequestsException`.
std::string_view aws_error_type(errc e) noexcept;

/// `Reason` of a Lambda throttle (`ReservedFunctionConcurrentInvocationLimitExceeded`,
/// `ConcurrentInvocationLimitExceeded`); empty for any other error.
std::string_view throttle_reason(errc e) noexcept;

/// True for the throttle errors (429 TooManyRequestsException).
constexpr bool is_throttle(errc e) noexcept {
  return e == errc::throttled_reserved_concurrency || e == errc::throttled_account_concurrency;
}

/// MQTT 5 reason code (0x80 unspecified error when there is no closer one).
std::uint8_t mqtt_reason_code(errc e) noexcept;

/// MQTT 3.1.1 CONNACK return code (1 unacceptable protocol version, 2 identifier rejected,
/// 3 server unavailable, 4 bad user name or password, 5 not authorized); 0 when `e` has none
/// (the 3.1.1 broker then closes the connection without a CONNACK).
std::uint8_t mqtt311_connack_code(errc e) noexcept;

}  // namespace lambkin

template <>
struct std::is_error_code_enum<lambkin::errc> : std::true_type {};
