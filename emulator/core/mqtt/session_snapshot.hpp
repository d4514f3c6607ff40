#pragma once
// What a persistent MQTT session keeps across a restart of the broker: the client id, the
// negotiated Session Expiry, the subscriptions, and the QoS 1/2 messages it owes the client (those
// sent and not yet acknowledged, with their packet ids, then those queued). The core only copies
// its state out (`session::snapshot`) and back in (`session::restore`, `broker::restore_session`);
// storing it is the shell's job (emulator/io/mqtt/session_persistence.hpp).
//
// Not kept: the Will (a restart publishes no pending Will), QoS 0 messages (never kept offline),
// per-connection state (keep-alive, topic aliases, inbound QoS 2 ids) and statistics.
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/packet.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::mqtt {

/// A subscription as the session remembers it.
struct session_subscription {
  subscription_options options;  // max_qos = the granted QoS
  std::uint32_t identifier = 0;
};

/// One message a session owes its client.
struct snapshot_message {
  message_ptr msg;
  qos_level qos = qos1;  // the QoS it is (or will be) sent with
  bool retain = false;   // the RETAIN flag it is sent with
  std::vector<std::uint32_t> subscription_ids;
  /// 0: queued, not sent yet. Otherwise sent with this packet id and not acknowledged.
  std::uint16_t packet_id = 0;
  /// QoS 2: PUBREC received, PUBREL sent; waiting for PUBCOMP.
  bool released = false;
};

struct session_snapshot {
  std::string client_id;
  protocol_version version = protocol_version::v311;
  /// Seconds (0xFFFFFFFF = never).
  std::uint32_t session_expiry = 0;
  /// Connected when the snapshot was taken (its expiry had not started).
  bool connected = false;
  /// Offline with a finite expiry: when the session ends. On restore: the shell's translation of
  /// the stored wall-clock deadline onto the new steady clock.
  std::optional<time_point> expires_at;
  std::vector<std::pair<std::string, session_subscription>> subscriptions;
  /// Sent ones first (in the order they were sent), then the queue, in order.
  std::vector<snapshot_message> messages;
  std::uint16_t last_packet_id = 0;
};

}  // namespace lambkin::mqtt
