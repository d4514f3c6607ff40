// Reason code tables: MQTT 5 §3.x "Reason Code" lists per packet, and the 3.1.1 return codes.
#include "emulator/core/mqtt/reason_code.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace lambkin::mqtt {
namespace {

bool one_of(reason_code rc, std::initializer_list<std::uint8_t> codes) noexcept {
  const auto v = static_cast<std::uint8_t>(rc);
  return std::find(codes.begin(), codes.end(), v) != codes.end();
}

}  // namespace

std::uint8_t connack_return_code_311(reason_code rc) noexcept {
  switch (rc) {
    case reason_code::success: return 0;
    case reason_code::unsupported_protocol_version: return 1;
    case reason_code::client_identifier_not_valid: return 2;
    case reason_code::server_unavailable: return 3;
    case reason_code::bad_user_name_or_password: return 4;
    case reason_code::not_authorized: return 5;
    default: return 3;
  }
}

std::optional<reason_code> from_connack_return_code_311(std::uint8_t code) noexcept {
  static constexpr std::array<reason_code, 6> codes{
      reason_code::success,           reason_code::unsupported_protocol_version,
      reason_code::client_identifier_not_valid, reason_code::server_unavailable,
      reason_code::bad_user_name_or_password,   reason_code::not_authorized};
  if (code >= codes.size()) return std::nullopt;
  return codes[code];
}

std::uint8_t suback_return_code_311(reason_code rc) noexcept {
  const auto v = static_cast<std::uint8_t>(rc);
  return v <= 2 ? v : 0x80;
}

bool reason_code_allowed(std::uint8_t packet_type, reason_code rc) noexcept {
  switch (packet_type) {
    case 2:  // CONNACK
      return one_of(rc, {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
                         0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F});
    case 4:  // PUBACK
    case 5:  // PUBREC
      return one_of(rc, {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99});
    case 6:  // PUBREL
    case 7:  // PUBCOMP
      return one_of(rc, {0x00, 0x92});
    case 9:  // SUBACK
      return one_of(rc, {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2});
    case 11:  // UNSUBACK
      return one_of(rc, {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91});
    case 14:  // DISCONNECT
      return one_of(rc, {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F,
                         0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D,
                         0x9E, 0x9F, 0xA0, 0xA1, 0xA2});
    case 15:  // AUTH
      return one_of(rc, {0x00, 0x18, 0x19});
    default: return false;
  }
}

std::string_view to_string(reason_code rc) noexcept {
  switch (rc) {
    case reason_code::success: return "Success";
    case reason_code::granted_qos_1: return "Granted QoS 1";
    case reason_code::granted_qos_2: return "Granted QoS 2";
    case reason_code::disconnect_with_will_message: return "Disconnect with Will Message";
    case reason_code::no_matching_subscribers: return "No matching subscribers";
    case reason_code::no_subscription_existed: return "No subscription existed";
    case reason_code::continue_authentication: return "Continue authentication";
    case reason_code::re_authenticate: return "Re-authenticate";
    case reason_code::unspecified_error: return "Unspecified error";
    case reason_code::malformed_packet: return "Malformed Packet";
    case reason_code::protocol_error: return "Protocol Error";
    case reason_code::implementation_specific_error: return "Implementation specific error";
    case reason_code::unsupported_protocol_version: return "Unsupported Protocol Version";
    case reason_code::client_identifier_not_valid: return "Client Identifier not valid";
    case reason_code::bad_user_name_or_password: return "Bad User Name or Password";
    case reason_code::not_authorized: return "Not authorized";
    case reason_code::server_unavailable: return "Server unavailable";
    case reason_code::server_busy: return "Server busy";
    case reason_code::banned: return "Banned";
    case reason_code::server_shutting_down: return "Server shutting down";
    case reason_code::bad_authentication_method: return "Bad authentication method";
    case reason_code::keep_alive_timeout: return "Keep Alive timeout";
    case reason_code::session_taken_over: return "Session taken over";
    case reason_code::topic_filter_invalid: return "Topic Filter invalid";
    case reason_code::topic_name_invalid: return "Topic Name invalid";
    case reason_code::packet_identifier_in_use: return "Packet Identifier in use";
    case reason_code::packet_identifier_not_found: return "Packet Identifier not found";
    case reason_code::receive_maximum_exceeded: return "Receive Maximum exceeded";
    case reason_code::topic_alias_invalid: return "Topic Alias invalid";
    case reason_code::packet_too_large: return "Packet too large";
    case reason_code::message_rate_too_high: return "Message rate too high";
    case reason_code::quota_exceeded: return "Quota exceeded";
    case reason_code::administrative_action: return "Administrative action";
    case reason_code::payload_format_invalid: return "Payload format invalid";
    case reason_code::retain_not_supported: return "Retain not supported";
    case reason_code::qos_not_supported: return "QoS not supported";
    case reason_code::use_another_server: return "Use another server";
    case reason_code::server_moved: return "Server moved";
    case reason_code::shared_subscriptions_not_supported: return "Shared Subscriptions not supported";
    case reason_code::connection_rate_exceeded: return "Connection rate exceeded";
    case reason_code::maximum_connect_time: return "Maximum connect time";
    case reason_code::subscription_identifiers_not_supported:
      return "Subscription Identifiers not supported";
    case reason_code::wildcard_subscriptions_not_supported:
      return "Wildcard Subscriptions not supported";
  }
  return "Unknown reason code";
}

}  // namespace lambkin::mqtt
