#pragma once
// An application message as the broker routes it: what was published, free of anything that
// belongs to one connection (packet id, DUP, topic alias, subscription identifiers). Shared,
// immutable, between every session it is delivered to.
#include "emulator/core/mqtt/packet.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace lambkin::mqtt {

struct message {
  std::string topic;
  shared_bytes payload;
  qos_level qos = qos0;
  bool retain = false;
  /// The MQTT 5 properties forwarded with the message: Payload Format Indicator, Content Type,
  /// Response Topic, Correlation Data, User Properties. (Message Expiry lives in `expires_at`.)
  properties props;
  /// When the Message Expiry Interval runs out; nullopt = never.
  std::optional<time_point> expires_at;
};

using message_ptr = std::shared_ptr<const message>;

/// The message an inbound PUBLISH (topic alias already resolved) carries: the forwarded
/// properties kept, Message Expiry turned into a deadline from `now`.
message_ptr make_message(publish&& p, time_point now);

/// A message published in-process (rules engine, IoT Data API): same as above.
message_ptr make_message(std::string topic, shared_bytes payload, qos_level qos, bool retain,
                         properties props, time_point now);

inline bool expired(const message& m, time_point now) noexcept { return m.expires_at && *m.expires_at <= now; }

/// The Message Expiry Interval to forward: the seconds left, rounded up (never 0 for a message
/// that has not expired); nullopt for a message that never expires.
std::optional<std::uint32_t> remaining_expiry(const message& m, time_point now) noexcept;

}  // namespace lambkin::mqtt
