// The single place where lambkin's errors are mapped to each protocol's terms.
#include "lambkin/error.hpp"

#include <string>

namespace lambkin {
namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "lambkin"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_parameter_value: return "invalid parameter value";
      case errc::validation: return "validation error";
      case errc::invalid_request_content: return "request body is not valid JSON";
      case errc::unsupported_media_type: return "unsupported media type";
      case errc::resource_not_found: return "resource not found";
      case errc::resource_conflict: return "resource conflict";
      case errc::provisioned_concurrency_config_not_found: return "no provisioned concurrency configuration";
      case errc::precondition_failed: return "precondition failed";
      case errc::resource_in_use: return "resource in use";
      case errc::request_too_large: return "request too large";
      case errc::unknown_operation: return "unknown operation";
      case errc::conditional_check_failed: return "the conditional request failed";
      case errc::transaction_canceled: return "transaction cancelled";
      case errc::access_denied: return "access denied";
      case errc::service_error: return "internal service error";
      case errc::throttled_reserved_concurrency: return "rate exceeded (reserved concurrency)";
      case errc::throttled_account_concurrency: return "rate exceeded (account concurrency)";
      case errc::malformed_packet: return "malformed packet";
      case errc::protocol_error: return "protocol error";
      case errc::unsupported_protocol_version: return "unsupported protocol version";
      case errc::client_id_rejected: return "client identifier not valid";
      case errc::bad_credentials: return "bad user name or password";
      case errc::not_authorized: return "not authorized";
      case errc::server_unavailable: return "server unavailable";
      case errc::topic_name_invalid: return "topic name invalid";
      case errc::topic_filter_invalid: return "topic filter invalid";
      case errc::packet_too_large: return "packet too large";
      case errc::quota_exceeded: return "quota exceeded";
      case errc::qos_not_supported: return "QoS not supported";
      case errc::session_taken_over: return "session taken over";
      case errc::keep_alive_timeout: return "keep alive timeout";
      case errc::receive_maximum_exceeded: return "receive maximum exceeded";
      case errc::topic_alias_invalid: return "topic alias invalid";
      case errc::retain_not_supported: return "retain not supported";
      case errc::shared_subscriptions_not_supported: return "shared subscriptions not supported";
      case errc::no_matching_subscribers: return "no matching subscribers";
      case errc::bad_authentication_method: return "bad authentication method";
      case errc::subscription_identifiers_not_supported: return "subscription identifiers not supported";
      case errc::wildcard_subscriptions_not_supported: return "wildcard subscriptions not supported";
      case errc::config_invalid: return "invalid configuration";
    }
    return "unknown lambkin error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

int http_status(errc e) noexcept {
  switch (e) {
    case errc::invalid_parameter_value:
    case errc::validation:
    case errc::invalid_request_content:
    case errc::resource_in_use:
    case errc::unknown_operation:
    case errc::conditional_check_failed:
    case errc::transaction_canceled:
    case errc::config_invalid:
      return 400;
    case errc::access_denied:
    case errc::not_authorized:
    case errc::bad_credentials:
      return 403;
    case errc::resource_not_found:
    case errc::provisioned_concurrency_config_not_found:
      return 404;
    case errc::resource_conflict: return 409;
    case errc::precondition_failed: return 412;
    case errc::request_too_large:
    case errc::packet_too_large:
      return 413;
    case errc::unsupported_media_type: return 415;
    case errc::throttled_reserved_concurrency:
    case errc::throttled_account_concurrency:
    case errc::quota_exceeded:
      return 429;
    default: return 500;
  }
}

std::string_view aws_error_type(errc e) noexcept {
  switch (e) {
    case errc::invalid_parameter_value: return "InvalidParameterValueException";
    case errc::validation: return "ValidationException";
    case errc::invalid_request_content: return "InvalidRequestContentException";
    case errc::unsupported_media_type: return "UnsupportedMediaTypeException";
    case errc::resource_not_found: return "ResourceNotFoundException";
    case errc::resource_conflict: return "ResourceConflictException";
    case errc::provisioned_concurrency_config_not_found: return "ProvisionedConcurrencyConfigNotFoundException";
    case errc::precondition_failed: return "PreconditionFailedException";
    case errc::resource_in_use: return "ResourceInUseException";
    case errc::request_too_large: return "RequestEntityTooLargeException";
    case errc::unknown_operation: return "UnknownOperationException";
    case errc::conditional_check_failed: return "ConditionalCheckFailedException";
    case errc::transaction_canceled: return "TransactionCanceledException";
    case errc::access_denied:
    case errc::not_authorized:
    case errc::bad_credentials:
      return "AccessDeniedException";
    case errc::throttled_reserved_concurrency:
    case errc::throttled_account_concurrency:
    case errc::quota_exceeded:
      return "TooManyRequestsException";
    case errc::config_invalid: return "ValidationException";
    default: return "ServiceException";
  }
}

std::string_view throttle_reason(errc e) noexcept {
  switch (e) {
    case errc::throttled_reserved_concurrency: return "ReservedFunctionConcurrentInvocationLimitExceeded";
    case errc::throttled_account_concurrency: return "ConcurrentInvocationLimitExceeded";
    default: return {};
  }
}

std::uint8_t mqtt_reason_code(errc e) noexcept {
  switch (e) {
    case errc::no_matching_subscribers: return 0x10;
    case errc::malformed_packet: return 0x81;
    case errc::protocol_error: return 0x82;
    case errc::unsupported_protocol_version: return 0x84;
    case errc::client_id_rejected: return 0x85;
    case errc::bad_credentials: return 0x86;
    case errc::not_authorized:
    case errc::access_denied:
      return 0x87;
    case errc::server_unavailable: return 0x88;
    case errc::session_taken_over: return 0x8E;
    case errc::topic_filter_invalid: return 0x8F;
    case errc::topic_name_invalid: return 0x90;
    case errc::receive_maximum_exceeded: return 0x93;
    case errc::topic_alias_invalid: return 0x94;
    case errc::packet_too_large: return 0x95;
    case errc::quota_exceeded:
    case errc::throttled_account_concurrency:
    case errc::throttled_reserved_concurrency:
      return 0x97;
    case errc::keep_alive_timeout: return 0x8D;
    case errc::qos_not_supported: return 0x9B;
    case errc::retain_not_supported: return 0x9A;
    case errc::shared_subscriptions_not_supported: return 0x9E;
    case errc::bad_authentication_method: return 0x8C;
    case errc::subscription_identifiers_not_supported: return 0xA1;
    case errc::wildcard_subscriptions_not_supported: return 0xA2;
    case errc::service_error: return 0x83;  // implementation specific error
    default: return 0x80;                   // unspecified error
  }
}

std::uint8_t mqtt311_connack_code(errc e) noexcept {
  switch (e) {
    case errc::unsupported_protocol_version: return 1;
    case errc::client_id_rejected: return 2;
    case errc::server_unavailable: return 3;
    case errc::bad_credentials: return 4;
    case errc::not_authorized: return 5;
    default: return 0;
  }
}

}  // namespace lambkin
