#pragma once
// MQTT 5 properties (MQTT 5 §2.2.2), typed: one field per property, user properties as ordered
// name/value pairs (order and duplicates are preserved, as the spec requires).
//
// One `properties` type serves every packet; which fields a packet may carry is the table in
// properties.cpp (`property_allowed`). The decoder enforces it; MQTT 3.1.1 packets have none
// (the encoder drops them for 3.1.1 peers).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::mqtt {

enum class property_id : std::uint8_t {
  payload_format_indicator = 0x01,
  message_expiry_interval = 0x02,
  content_type = 0x03,
  response_topic = 0x08,
  correlation_data = 0x09,
  subscription_identifier = 0x0B,
  session_expiry_interval = 0x11,
  assigned_client_identifier = 0x12,
  server_keep_alive = 0x13,
  authentication_method = 0x15,
  authentication_data = 0x16,
  request_problem_information = 0x17,
  will_delay_interval = 0x18,
  request_response_information = 0x19,
  response_information = 0x1A,
  server_reference = 0x1C,
  reason_string = 0x1F,
  receive_maximum = 0x21,
  topic_alias_maximum = 0x22,
  topic_alias = 0x23,
  maximum_qos = 0x24,
  retain_available = 0x25,
  user_property = 0x26,
  maximum_packet_size = 0x27,
  wildcard_subscription_available = 0x28,
  subscription_identifier_available = 0x29,
  shared_subscription_available = 0x2A,
};

/// Where a property appears: a packet, or the Will Properties inside CONNECT.
enum class property_context : std::uint8_t {
  will = 0,
  connect = 1,
  connack,
  publish,
  puback,
  pubrec,
  pubrel,
  pubcomp,
  subscribe,
  suback,
  unsubscribe,
  unsuback,
  pingreq,
  pingresp,
  disconnect,
  auth,
};

/// Whether MQTT 5 allows property `id` in `ctx`.
bool property_allowed(property_id id, property_context ctx) noexcept;
/// The spec's name, e.g. "Topic Alias Maximum".
std::string_view to_string(property_id id) noexcept;

struct user_property {
  std::string name;
  std::string value;
  bool operator==(const user_property&) const = default;
};

enum class payload_format : std::uint8_t { unspecified = 0, utf8 = 1 };

/// The MQTT 5 properties of one packet (or of a Will). Absent = not on the wire.
struct properties {
  std::optional<payload_format> payload_format_indicator;
  std::optional<std::uint32_t> message_expiry_interval;  // seconds
  std::optional<std::string> content_type;
  std::optional<std::string> response_topic;
  std::optional<std::string> correlation_data;  // binary
  /// PUBLISH (server → client) may carry several; SUBSCRIBE at most one. Each 1–268,435,455.
  std::vector<std::uint32_t> subscription_identifiers;
  std::optional<std::uint32_t> session_expiry_interval;  // seconds; 0xFFFFFFFF = never
  std::optional<std::string> assigned_client_identifier;
  std::optional<std::uint16_t> server_keep_alive;  // seconds
  std::optional<std::string> authentication_method;
  std::optional<std::string> authentication_data;  // binary
  std::optional<bool> request_problem_information;
  std::optional<std::uint32_t> will_delay_interval;  // seconds
  std::optional<bool> request_response_information;
  std::optional<std::string> response_information;
  std::optional<std::string> server_reference;
  std::optional<std::string> reason_string;
  std::optional<std::uint16_t> receive_maximum;  // non-zero
  std::optional<std::uint16_t> topic_alias_maximum;
  std::optional<std::uint16_t> topic_alias;  // non-zero
  std::optional<std::uint8_t> maximum_qos;   // 0 or 1
  std::optional<bool> retain_available;
  std::vector<user_property> user_properties;
  std::optional<std::uint32_t> maximum_packet_size;  // non-zero
  std::optional<bool> wildcard_subscription_available;
  std::optional<bool> subscription_identifier_available;
  std::optional<bool> shared_subscription_available;

  bool operator==(const properties&) const = default;
  /// True when no property is present.
  bool empty() const noexcept { return *this == properties{}; }
};

}  // namespace lambkin::mqtt
