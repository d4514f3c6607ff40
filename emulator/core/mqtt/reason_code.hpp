#pragma once
// MQTT 5 reason codes (MQTT 5 §2.4), and how MQTT 3.1.1's CONNACK and SUBACK return codes map
// onto them. Packets carry a `reason_code` whatever their version; the encoder writes the 3.1.1
// equivalent for 3.1.1 peers.
#include "lambkin/error.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace lambkin::mqtt {

enum class reason_code : std::uint8_t {
  success = 0x00,
  normal_disconnection = 0x00,
  granted_qos_0 = 0x00,
  granted_qos_1 = 0x01,
  granted_qos_2 = 0x02,
  disconnect_with_will_message = 0x04,
  no_matching_subscribers = 0x10,
  no_subscription_existed = 0x11,
  continue_authentication = 0x18,
  re_authenticate = 0x19,
  unspecified_error = 0x80,
  malformed_packet = 0x81,
  protocol_error = 0x82,
  implementation_specific_error = 0x83,
  unsupported_protocol_version = 0x84,
  client_identifier_not_valid = 0x85,
  bad_user_name_or_password = 0x86,
  not_authorized = 0x87,
  server_unavailable = 0x88,
  server_busy = 0x89,
  banned = 0x8A,
  server_shutting_down = 0x8B,
  bad_authentication_method = 0x8C,
  keep_alive_timeout = 0x8D,
  session_taken_over = 0x8E,
  topic_filter_invalid = 0x8F,
  topic_name_invalid = 0x90,
  packet_identifier_in_use = 0x91,
  packet_identifier_not_found = 0x92,
  receive_maximum_exceeded = 0x93,
  topic_alias_invalid = 0x94,
  packet_too_large = 0x95,
  message_rate_too_high = 0x96,
  quota_exceeded = 0x97,
  administrative_action = 0x98,
  payload_format_invalid = 0x99,
  retain_not_supported = 0x9A,
  qos_not_supported = 0x9B,
  use_another_server = 0x9C,
  server_moved = 0x9D,
  shared_subscriptions_not_supported = 0x9E,
  connection_rate_exceeded = 0x9F,
  maximum_connect_time = 0xA0,
  subscription_identifiers_not_supported = 0xA1,
  wildcard_subscriptions_not_supported = 0xA2,
};

/// Codes ≥ 0x80 report a failure.
constexpr bool is_error(reason_code rc) noexcept { return static_cast<std::uint8_t>(rc) >= 0x80; }

/// The reason code for an expected error (error.cpp's `mqtt_reason_code`, typed).
inline reason_code to_reason_code(errc e) noexcept { return static_cast<reason_code>(mqtt_reason_code(e)); }

/// MQTT 3.1.1 CONNACK return code for a reason code: 0 accepted, 1 unacceptable protocol
/// version, 2 identifier rejected, 3 server unavailable, 4 bad user name or password,
/// 5 not authorized. Reason codes without a 3.1.1 equivalent map to 3 (server unavailable).
std::uint8_t connack_return_code_311(reason_code rc) noexcept;
/// The reverse; nullopt for the reserved values 6–255.
std::optional<reason_code> from_connack_return_code_311(std::uint8_t code) noexcept;

/// MQTT 3.1.1 SUBACK return code: 0, 1, 2 (granted QoS) or 0x80 (failure).
std::uint8_t suback_return_code_311(reason_code rc) noexcept;

/// Whether `rc` is one of the reason codes MQTT 5 allows in `packet` (the packet type's number,
/// 1–15). Used by the decoder; an invalid code makes the packet malformed.
bool reason_code_allowed(std::uint8_t packet_type, reason_code rc) noexcept;

/// The spec's name, e.g. "Session taken over".
std::string_view to_string(reason_code rc) noexcept;

}  // namespace lambkin::mqtt
