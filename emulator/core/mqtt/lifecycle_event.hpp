#pragma once
// AWS IoT lifecycle events (reference/mqtt-iot.md §1.10): topics and JSON payloads, built by hand
// (no JSON library in the pure core), byte-compatible with what AWS publishes.
#include "emulator/core/mqtt/session_command.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lambkin::mqtt {

/// The fields every lifecycle event carries.
struct lifecycle_identity {
  std::string_view client_id;
  std::string_view session_identifier;   // one per session (32 hex digits)
  std::string_view principal_identifier;  // the certificate / principal; may be empty
  epoch_ms timestamp = 0;
};

/// AWS publishes no lifecycle events for client ids containing `+` or `#`.
bool has_lifecycle_events(std::string_view client_id) noexcept;

/// `$aws/events/presence/connected/<clientId>` and its payload:
/// {"clientId","timestamp","eventType":"connected","sessionIdentifier","principalIdentifier",
///  "ipAddress","versionNumber"}.
std::string connected_topic(std::string_view client_id);
std::string connected_payload(const lifecycle_identity& id, std::string_view ip_address, std::uint64_t version_number);

/// `$aws/events/presence/disconnected/<clientId>` and its payload: as connected, without
/// ipAddress, with "clientInitiatedDisconnect" and "disconnectReason".
std::string disconnected_topic(std::string_view client_id);
std::string disconnected_payload(const lifecycle_identity& id, disconnect_reason reason, std::uint64_t version_number);

/// `$aws/events/subscriptions/subscribed|unsubscribed/<clientId>` and its payload:
/// {"clientId","timestamp","eventType","sessionIdentifier","principalIdentifier","topics":[…]}.
std::string subscription_topic(std::string_view client_id, bool subscribed);
std::string subscription_payload(const lifecycle_identity& id, bool subscribed, std::span<const std::string> topics);

/// A deterministic 32-hex-digit session identifier for session number `n`.
std::string make_session_identifier(std::uint64_t n);

/// `s` as a JSON string literal (quotes included).
std::string json_string(std::string_view s);

}  // namespace lambkin::mqtt
