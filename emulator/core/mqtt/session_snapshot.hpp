#pragma once
// What a persistent MQTT session keeps across a restart of the broker: the client id, the
// negotiated Session Expiry, the subscriptions, the Will (and when it is due), the inbound QoS 2
// packet ids acknowledged with PUBREC and not yet released, and the QoS 1/2 messages it owes the
// client (those sent and not yet acknowledged, with their packet ids, then those queued). The core
// copies its state out (`session::snapshot`) and back in (`session::restore`,
// `broker::restore_session`), and between snapshots reports what changed (`session_journal`:
// per-message deltas and a "head changed" flag) so the shell can write rows, not whole sessions;
// storing it is the shell's job (emulator/io/mqtt/session_persistence.hpp).
//
// Not kept: QoS 0 messages (never kept offline), per-connection state (keep-alive, topic aliases)
// and statistics.
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
  /// The message's number in its session (1, 2, …, in the order the session took them; never
  /// reused by that session): the key of its row.
  std::uint64_t seq = 0;
};

/// One change to the messages a persistent session owes (`session_journal`).
struct message_change {
  enum class kind : std::uint8_t {
    added,     // `message` joined the session (queued: packet_id 0; or sent at once with its packet id)
    sent,      // the queued message `seq` went out with `packet_id`
    released,  // QoS 2: PUBREC arrived for `seq`, PUBREL sent
    removed,   // acknowledged, refused by the client, expired or too large: gone
  };
  kind what = kind::added;
  std::uint64_t seq = 0;
  std::uint16_t packet_id = 0;  // sent
  snapshot_message message;     // added
};

/// What changed in a session since it was last asked (`session::take_journal`), once journaling is
/// on (`session::set_journal`): the messages, in order, and whether anything of the snapshot
/// besides them (the "head": expiry, connected, subscriptions, Will, inbound QoS 2 ids) changed.
struct session_journal {
  bool head_changed = false;
  std::vector<message_change> messages;
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
  /// Sent ones first (in the order they were sent), then the queue, in order (`seq` increasing).
  std::vector<snapshot_message> messages;
  std::uint16_t last_packet_id = 0;
  /// The Will of the connection (Will Delay Interval in its props); nullopt = none.
  std::optional<will_message> will;
  /// Offline, waiting for the Will Delay Interval: when the Will is due. On restore: when to
  /// publish it (a time already past: on the first timer turn, after every session is restored).
  std::optional<time_point> will_at;
  /// Inbound QoS 2: packet ids acknowledged with PUBREC whose PUBREL has not arrived.
  std::vector<std::uint16_t> inbound_qos2;
};

}  // namespace lambkin::mqtt
