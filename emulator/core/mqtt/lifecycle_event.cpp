// Lifecycle event payloads in AWS's field order. Strings are escaped per RFC 8259; numbers are
// written with std::to_string (integers only).
#include "emulator/core/mqtt/lifecycle_event.hpp"

#include <array>

namespace lambkin::mqtt {
namespace {

void common_fields(std::string& out, const lifecycle_identity& id, std::string_view event_type) {
  out += "{\"clientId\":";
  out += json_string(id.client_id);
  out += ",\"timestamp\":";
  out += std::to_string(id.timestamp);
  out += ",\"eventType\":";
  out += json_string(event_type);
  out += ",\"sessionIdentifier\":";
  out += json_string(id.session_identifier);
  out += ",\"principalIdentifier\":";
  out += json_string(id.principal_identifier);
}

/// splitmix64: spreads a counter into random-looking, reproducible bits.
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

bool has_lifecycle_events(std::string_view client_id) noexcept {
  return client_id.find_first_of("+#") == std::string_view::npos;
}

std::string json_string(std::string_view s) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 0x0F];
        } else {
          out += c;  // UTF-8 passes through (MQTT strings are valid UTF-8)
        }
    }
  }
  out += '"';
  return out;
}

std::string connected_topic(std::string_view client_id) {
  return "$aws/events/presence/connected/" + std::string(client_id);
}

std::string disconnected_topic(std::string_view client_id) {
  return "$aws/events/presence/disconnected/" + std::string(client_id);
}

std::string subscription_topic(std::string_view client_id, bool subscribed) {
  return std::string(subscribed ? "$aws/events/subscriptions/subscribed/" : "$aws/events/subscriptions/unsubscribed/") +
         std::string(client_id);
}

std::string connected_payload(const lifecycle_identity& id, std::string_view ip_address, std::uint64_t version_number) {
  std::string out;
  common_fields(out, id, "connected");
  out += ",\"ipAddress\":";
  out += json_string(ip_address);
  out += ",\"versionNumber\":";
  out += std::to_string(version_number);
  out += '}';
  return out;
}

std::string disconnected_payload(const lifecycle_identity& id, disconnect_reason reason, std::uint64_t version_number) {
  std::string out;
  common_fields(out, id, "disconnected");
  out += ",\"clientInitiatedDisconnect\":";
  out += reason == disconnect_reason::client_initiated ? "true" : "false";
  out += ",\"disconnectReason\":";
  out += json_string(to_string(reason));
  out += ",\"versionNumber\":";
  out += std::to_string(version_number);
  out += '}';
  return out;
}

std::string subscription_payload(const lifecycle_identity& id, bool subscribed, std::span<const std::string> topics) {
  std::string out;
  common_fields(out, id, subscribed ? "subscribed" : "unsubscribed");
  out += ",\"topics\":[";
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (i != 0) out += ',';
    out += json_string(topics[i]);
  }
  out += "]}";
  return out;
}

std::string make_session_identifier(std::uint64_t n) {
  static constexpr std::string_view hex = "0123456789abcdef";
  std::string out(32, '0');
  const std::uint64_t parts[2] = {mix(n), mix(n ^ 0xA5A5A5A5A5A5A5A5ULL)};
  for (int p = 0; p < 2; ++p)
    for (int i = 0; i < 16; ++i) out[static_cast<std::size_t>(p * 16 + i)] = hex[(parts[p] >> (60 - 4 * i)) & 0x0F];
  return out;
}

}  // namespace lambkin::mqtt
