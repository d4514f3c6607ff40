#pragma once
// What a session asks of its broker. Every `session` input appends commands to a
// `session_output`; the broker executes them in order:
//   - connection-facing (`send_packet`, `arm_timer`, `cancel_timer`, `close_connection`) go to the
//     session's current connection, tagged with its id, for the shell;
//   - broker-facing (`route_message`, `publish_will`, `add_subscription`, `remove_subscription`,
//     `session_ended`) change the broker's shared state (routing, trie, retained store).
#include "emulator/core/mqtt/authority.hpp"
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/packet.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace lambkin::mqtt {

/// A session has at most one timer of each kind; arming one again moves it.
enum class timer_kind : std::uint8_t {
  keep_alive,      // 1.5 × keep-alive without a packet from the client
  session_expiry,  // an offline session's end
  will_delay,      // MQTT 5 Will Delay Interval after an abnormal disconnect
};

/// Why a connection ended: AWS IoT's lifecycle `disconnectReason` (reference §1.5).
enum class disconnect_reason : std::uint8_t {
  client_initiated,     // DISCONNECT from the client (a will only with reason 0x04)
  client_error,         // a protocol violation, malformed packet, oversize payload…
  connection_lost,      // the connection closed without DISCONNECT
  duplicate_client_id,  // another connection took the session over
  keep_alive_timeout,   // 1.5 × keep-alive without a packet
  forbidden_access,     // publishing or subscribing where it is not allowed
  server_initiated,     // the broker closed it (shutdown)
  throttled,            // a queue or quota limit was exceeded
};

/// "CLIENT_INITIATED_DISCONNECT", "MQTT_KEEP_ALIVE_TIMEOUT", … as in AWS's lifecycle events.
std::string_view to_string(disconnect_reason r) noexcept;

/// Write `packet` to the client (encoded for the session's protocol version).
struct send_packet {
  mqtt::packet packet;
};

/// Call `session::on_timer(kind, now)` once `now >= deadline`.
struct arm_timer {
  timer_kind kind = timer_kind::keep_alive;
  time_point deadline{};
};

struct cancel_timer {
  timer_kind kind = timer_kind::keep_alive;
};

/// Close the connection once the packets sent before this are written. The session is already
/// offline: nothing more is sent on that connection.
struct close_connection {
  disconnect_reason reason = disconnect_reason::client_error;
  std::error_code error;  // the expected error behind it; empty for a client's DISCONNECT
};

/// An inbound PUBLISH (topic alias resolved, checks passed), to route to subscribers,
/// the retained store and the rules.
struct route_message {
  message_ptr msg;
  /// MQTT 5 QoS 1 with `profile.puback_no_matching_subscribers`: the broker sends the PUBACK
  /// once routing is done (0x00, or 0x10 when nothing matched) instead of the session.
  std::optional<std::uint16_t> puback_after_routing;
};

/// The session's Will Message is due: route it like a PUBLISH from this client.
struct publish_will {
  message_ptr msg;
};

/// A subscription was added or replaced: index it; send retained messages per `options.handling`
/// (and the profile). `options.max_qos` is the granted QoS.
struct add_subscription {
  std::string filter;
  subscription_options options;
  std::uint32_t identifier = 0;
  bool is_new = true;
};

struct remove_subscription {
  std::string filter;
};

/// The session is over (expired, or closed with Session Expiry 0): unindex its subscriptions and
/// forget it. It emits nothing more.
struct session_ended {};

/// A request the connection's authority refused (authority.hpp), for the log. What the client
/// is told (or not) is in the commands around it.
struct access_denied {
  iot_action action = iot_action::publish;
  std::string resource;  // the ARN evaluated
};

using session_command = std::variant<send_packet, arm_timer, cancel_timer, close_connection, route_message,
                                     publish_will, add_subscription, remove_subscription, session_ended,
                                     access_denied>;

/// Inputs append to a caller-owned list; a broker reuses one (clear() keeps its capacity).
using session_output = std::vector<session_command>;

}  // namespace lambkin::mqtt
