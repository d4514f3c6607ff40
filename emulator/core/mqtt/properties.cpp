// Which property may appear where (MQTT 5 §2.2.2.2, the table of property identifiers).
#include "emulator/core/mqtt/properties.hpp"

namespace lambkin::mqtt {
namespace {

using ctx = property_context;

constexpr std::uint32_t bit(ctx c) noexcept { return 1U << static_cast<unsigned>(c); }

constexpr std::uint32_t allowed_contexts(property_id id) noexcept {
  switch (id) {
    case property_id::payload_format_indicator:
    case property_id::message_expiry_interval:
    case property_id::content_type:
    case property_id::response_topic:
    case property_id::correlation_data:
      return bit(ctx::publish) | bit(ctx::will);
    case property_id::subscription_identifier: return bit(ctx::publish) | bit(ctx::subscribe);
    case property_id::session_expiry_interval:
      return bit(ctx::connect) | bit(ctx::connack) | bit(ctx::disconnect);
    case property_id::assigned_client_identifier: return bit(ctx::connack);
    case property_id::server_keep_alive: return bit(ctx::connack);
    case property_id::authentication_method:
    case property_id::authentication_data:
      return bit(ctx::connect) | bit(ctx::connack) | bit(ctx::auth);
    case property_id::request_problem_information: return bit(ctx::connect);
    case property_id::will_delay_interval: return bit(ctx::will);
    case property_id::request_response_information: return bit(ctx::connect);
    case property_id::response_information: return bit(ctx::connack);
    case property_id::server_reference: return bit(ctx::connack) | bit(ctx::disconnect);
    case property_id::reason_string:
      return bit(ctx::connack) | bit(ctx::puback) | bit(ctx::pubrec) | bit(ctx::pubrel) |
             bit(ctx::pubcomp) | bit(ctx::suback) | bit(ctx::unsuback) | bit(ctx::disconnect) |
             bit(ctx::auth);
    case property_id::receive_maximum:
    case property_id::topic_alias_maximum:
    case property_id::maximum_packet_size:
      return bit(ctx::connect) | bit(ctx::connack);
    case property_id::topic_alias: return bit(ctx::publish);
    case property_id::maximum_qos:
    case property_id::retain_available:
    case property_id::wildcard_subscription_available:
    case property_id::subscription_identifier_available:
    case property_id::shared_subscription_available:
      return bit(ctx::connack);
    case property_id::user_property:
      return ~(bit(ctx::pingreq) | bit(ctx::pingresp));
  }
  return 0;
}

}  // namespace

bool property_allowed(property_id id, property_context c) noexcept {
  return (allowed_contexts(id) & bit(c)) != 0;
}

std::string_view to_string(property_id id) noexcept {
  switch (id) {
    case property_id::payload_format_indicator: return "Payload Format Indicator";
    case property_id::message_expiry_interval: return "Message Expiry Interval";
    case property_id::content_type: return "Content Type";
    case property_id::response_topic: return "Response Topic";
    case property_id::correlation_data: return "Correlation Data";
    case property_id::subscription_identifier: return "Subscription Identifier";
    case property_id::session_expiry_interval: return "Session Expiry Interval";
    case property_id::assigned_client_identifier: return "Assigned Client Identifier";
    case property_id::server_keep_alive: return "Server Keep Alive";
    case property_id::authentication_method: return "Authentication Method";
    case property_id::authentication_data: return "Authentication Data";
    case property_id::request_problem_information: return "Request Problem Information";
    case property_id::will_delay_interval: return "Will Delay Interval";
    case property_id::request_response_information: return "Request Response Information";
    case property_id::response_information: return "Response Information";
    case property_id::server_reference: return "Server Reference";
    case property_id::reason_string: return "Reason String";
    case property_id::receive_maximum: return "Receive Maximum";
    case property_id::topic_alias_maximum: return "Topic Alias Maximum";
    case property_id::topic_alias: return "Topic Alias";
    case property_id::maximum_qos: return "Maximum QoS";
    case property_id::retain_available: return "Retain Available";
    case property_id::user_property: return "User Property";
    case property_id::maximum_packet_size: return "Maximum Packet Size";
    case property_id::wildcard_subscription_available: return "Wildcard Subscription Available";
    case property_id::subscription_identifier_available: return "Subscription Identifier Available";
    case property_id::shared_subscription_available: return "Shared Subscription Available";
  }
  return "Unknown property";
}

}  // namespace lambkin::mqtt
