#pragma once
// MQTT control packets as values, one type per packet, for MQTT 3.1.1 and 5 alike.
//
// A packet value does not know its protocol version (except CONNECT, which announces it): the
// encoder and decoder take the version. MQTT 5-only content (properties, reason codes other than
// the 3.1.1 return codes, AUTH) is simply not written for a 3.1.1 peer.
#include "emulator/core/mqtt/properties.hpp"
#include "emulator/core/mqtt/reason_code.hpp"
#include "emulator/core/mqtt/shared_bytes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lambkin::mqtt {

/// The CONNECT protocol level: 4 = MQTT 3.1.1, 5 = MQTT 5 (3 = MQTT 3.1 is not supported).
enum class protocol_version : std::uint8_t { v311 = 4, v5 = 5 };

enum class qos_level : std::uint8_t { at_most_once = 0, at_least_once = 1, exactly_once = 2 };
inline constexpr qos_level qos0 = qos_level::at_most_once;
inline constexpr qos_level qos1 = qos_level::at_least_once;
inline constexpr qos_level qos2 = qos_level::exactly_once;

/// The control packet type, as in the fixed header's high nibble.
enum class packet_type : std::uint8_t {
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

/// "CONNECT", "PUBLISH", …
std::string_view to_string(packet_type t) noexcept;

/// The Will of a CONNECT.
struct will_message {
  std::string topic;
  shared_bytes payload;
  qos_level qos = qos0;
  bool retain = false;
  properties props;  // Will Properties (MQTT 5)
  bool operator==(const will_message&) const = default;
};

struct connect {
  protocol_version version = protocol_version::v5;
  std::string client_id;
  bool clean_start = true;  // 3.1.1: Clean Session
  std::uint16_t keep_alive = 60;
  std::optional<std::string> username;
  std::optional<std::string> password;  // binary
  std::optional<will_message> will;
  properties props;
  bool operator==(const connect&) const = default;
};

struct connack {
  bool session_present = false;
  /// 3.1.1 peers get `connack_return_code_311(reason)`.
  reason_code reason = reason_code::success;
  properties props;
  bool operator==(const connack&) const = default;
};

struct publish {
  std::string topic;  // empty (MQTT 5) when a topic alias stands for it
  shared_bytes payload;
  qos_level qos = qos0;
  bool retain = false;
  bool dup = false;
  std::uint16_t packet_id = 0;  // QoS 1 and 2 only
  properties props;
  bool operator==(const publish&) const = default;
};

/// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape; the tag makes them distinct types.
template <packet_type Type>
struct publish_response {
  std::uint16_t packet_id = 0;
  reason_code reason = reason_code::success;  // MQTT 5
  properties props;
  bool operator==(const publish_response&) const = default;
};
using puback = publish_response<packet_type::puback>;
using pubrec = publish_response<packet_type::pubrec>;
using pubrel = publish_response<packet_type::pubrel>;
using pubcomp = publish_response<packet_type::pubcomp>;

/// MQTT 5 Retain Handling subscription option.
enum class retain_handling : std::uint8_t {
  send_on_subscribe = 0,  // send retained messages at subscribe time
  send_if_new = 1,        // …only if the subscription did not exist
  dont_send = 2,
};

/// Subscription options (3.1.1 has only the maximum QoS).
struct subscription_options {
  qos_level max_qos = qos0;
  bool no_local = false;
  bool retain_as_published = false;
  retain_handling handling = retain_handling::send_on_subscribe;
  bool operator==(const subscription_options&) const = default;
};

struct subscribe_topic {
  std::string filter;
  subscription_options options;
  bool operator==(const subscribe_topic&) const = default;
};

struct subscribe {
  std::uint16_t packet_id = 0;
  std::vector<subscribe_topic> topics;  // at least one
  properties props;
  bool operator==(const subscribe&) const = default;
};

struct suback {
  std::uint16_t packet_id = 0;
  std::vector<reason_code> reasons;  // one per topic; 3.1.1: granted QoS or 0x80
  properties props;
  bool operator==(const suback&) const = default;
};

struct unsubscribe {
  std::uint16_t packet_id = 0;
  std::vector<std::string> filters;  // at least one
  properties props;
  bool operator==(const unsubscribe&) const = default;
};

struct unsuback {
  std::uint16_t packet_id = 0;
  std::vector<reason_code> reasons;  // MQTT 5 only: one per filter (3.1.1 UNSUBACK has none)
  properties props;
  bool operator==(const unsuback&) const = default;
};

struct pingreq {
  bool operator==(const pingreq&) const = default;
};
struct pingresp {
  bool operator==(const pingresp&) const = default;
};

struct disconnect {
  reason_code reason = reason_code::normal_disconnection;  // MQTT 5
  properties props;
  bool operator==(const disconnect&) const = default;
};

/// MQTT 5 only.
struct auth {
  reason_code reason = reason_code::success;
  properties props;
  bool operator==(const auth&) const = default;
};

/// Any control packet. The alternative's index + 1 is its `packet_type`.
using packet = std::variant<connect, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe,
                            suback, unsubscribe, unsuback, pingreq, pingresp, disconnect, auth>;

inline packet_type type_of(const packet& p) noexcept {
  return static_cast<packet_type>(p.index() + 1);
}

}  // namespace lambkin::mqtt
