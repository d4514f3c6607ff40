#include "lambkin/error.hpp"

#include <doctest/doctest.h>

#include <ostream>
#include <string>

using lambkin::errc;

TEST_CASE("errc is a std::error_code of the lambkin category") {
  std::error_code ec = errc::resource_not_found;
  CHECK(ec.category().name() == std::string("lambkin"));
  CHECK(ec.message() == "resource not found");
  CHECK(ec == errc::resource_not_found);
  CHECK(ec != errc::validation);
  CHECK(std::error_code(static_cast<int>(9999), lambkin::error_category()).message() ==
        "unknown lambkin error 9999");
}

TEST_CASE("Lambda throttles are 429 TooManyRequestsException with AWS's Reason values") {
  for (auto e : {errc::throttled_reserved_concurrency, errc::throttled_account_concurrency}) {
    CHECK(lambkin::is_throttle(e));
    CHECK(lambkin::http_status(e) == 429);
    CHECK(lambkin::aws_error_type(e) == "TooManyRequestsException");
  }
  CHECK(lambkin::throttle_reason(errc::throttled_reserved_concurrency) ==
        "ReservedFunctionConcurrentInvocationLimitExceeded");
  CHECK(lambkin::throttle_reason(errc::throttled_account_concurrency) ==
        "ConcurrentInvocationLimitExceeded");
  CHECK(lambkin::throttle_reason(errc::resource_not_found).empty());
  CHECK_FALSE(lambkin::is_throttle(errc::service_error));
}

TEST_CASE("AWS API errors map to the status and exception name AWS uses") {
  struct row { errc e; int status; const char* type; };
  const row rows[] = {
      {errc::resource_not_found, 404, "ResourceNotFoundException"},
      {errc::invalid_parameter_value, 400, "InvalidParameterValueException"},
      {errc::invalid_request_content, 400, "InvalidRequestContentException"},
      {errc::unsupported_media_type, 415, "UnsupportedMediaTypeException"},
      {errc::request_too_large, 413, "RequestEntityTooLargeException"},
      {errc::resource_conflict, 409, "ResourceConflictException"},
      {errc::provisioned_concurrency_config_not_found, 404, "ProvisionedConcurrencyConfigNotFoundException"},
      {errc::precondition_failed, 412, "PreconditionFailedException"},
      {errc::validation, 400, "ValidationException"},
      {errc::conditional_check_failed, 400, "ConditionalCheckFailedException"},
      {errc::transaction_canceled, 400, "TransactionCanceledException"},
      {errc::resource_in_use, 400, "ResourceInUseException"},
      {errc::unknown_operation, 400, "UnknownOperationException"},
      {errc::service_error, 500, "ServiceException"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.type);
    CHECK(lambkin::http_status(r.e) == r.status);
    CHECK(lambkin::aws_error_type(r.e) == r.type);
  }
}

TEST_CASE("MQTT errors map to MQTT 5 reason codes and 3.1.1 CONNACK return codes") {
  CHECK(lambkin::mqtt_reason_code(errc::malformed_packet) == 0x81);
  CHECK(lambkin::mqtt_reason_code(errc::protocol_error) == 0x82);
  CHECK(lambkin::mqtt_reason_code(errc::not_authorized) == 0x87);
  CHECK(lambkin::mqtt_reason_code(errc::session_taken_over) == 0x8E);
  CHECK(lambkin::mqtt_reason_code(errc::topic_filter_invalid) == 0x8F);
  CHECK(lambkin::mqtt_reason_code(errc::topic_name_invalid) == 0x90);
  CHECK(lambkin::mqtt_reason_code(errc::packet_too_large) == 0x95);
  CHECK(lambkin::mqtt_reason_code(errc::qos_not_supported) == 0x9B);
  CHECK(lambkin::mqtt_reason_code(errc::shared_subscriptions_not_supported) == 0x9E);
  CHECK(lambkin::mqtt_reason_code(errc::resource_conflict) == 0x80);

  CHECK(lambkin::mqtt311_connack_code(errc::unsupported_protocol_version) == 1);
  CHECK(lambkin::mqtt311_connack_code(errc::client_id_rejected) == 2);
  CHECK(lambkin::mqtt311_connack_code(errc::server_unavailable) == 3);
  CHECK(lambkin::mqtt311_connack_code(errc::bad_credentials) == 4);
  CHECK(lambkin::mqtt311_connack_code(errc::not_authorized) == 5);
  CHECK(lambkin::mqtt311_connack_code(errc::topic_name_invalid) == 0);
}
