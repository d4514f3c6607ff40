#pragma once
// A persistent MQTT session as rows of the durable store (store/async_event_store.hpp): the head
// (`mqtt_sessions`: a JSON state and the wall-clock expiry) and one row per owed message
// (`mqtt_session_messages`: its PUBLISH in the MQTT 5 encoding, keyed by the session's message
// number). Steady-clock deadlines are stored as wall-clock (Unix epoch ms) times, so they count
// across the downtime; `wall` is the wall-clock reading at steady time `now`.
//
// The head's JSON: version, session_expiry, connected, last_packet_id, subscriptions (filter and
// options), inbound_qos2 (packet ids PUBREC'd and not released), and the Will: `will` (its PUBLISH,
// hex), `will_delay` (s) and `will_due_ms` (offline, the Will Delay Interval running; 0 = not).
// Heads written before the Will and inbound QoS 2 were kept lack those keys: read as none.
#include "emulator/core/mqtt/session_snapshot.hpp"
#include "emulator/io/store/async_event_store.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace lambkin::io::mqtt {

namespace core = lambkin::mqtt;

/// The head of `s` (client id, state JSON, expires_ms); no messages.
store::stored_session encode_session_head(const core::session_snapshot& s, time_point now, std::int64_t wall);

/// A message row; nullopt when its Message Expiry has run out (nothing to keep).
std::optional<store::stored_session_message> encode_session_message(const core::snapshot_message& m, time_point now,
                                                                    std::int64_t wall);

/// A stored session read back, its deadlines moved onto the steady clock at `now`.
struct decoded_session {
  core::session_snapshot snapshot;
  /// Its Session Expiry ran out while lambkin was stopped. `snapshot` then ends at `now`
  /// (`expires_at`): restored only to publish a Will it still had.
  bool expired = false;
  /// Stored as connected: lambkin stopped under it (its head must be written again, offline).
  bool was_connected = false;
};

/// `alive`: the last wall-clock time the earlier run was known to be up (a session stored as
/// connected lost its connection then: its expiry and Will Delay count from there). nullopt when
/// the head does not parse (logged). Messages past their Message Expiry, or that do not decode
/// (logged), are left out.
std::optional<decoded_session> decode_session(const store::stored_session& stored, time_point now, std::int64_t wall,
                                              std::int64_t alive);

}  // namespace lambkin::io::mqtt
