#pragma once
// The broker's seam for authorization (AWS IoT policies: emulator/core/iot_policy). The broker
// core knows only these interfaces; without an `authorizer` (or for a connection whose verdict
// carries no `connection_authority`) nothing is checked and nothing costs more than a null test.
//
//  - CONNECT: `authorizer::authorize_connect` once the CONNECT passed the protocol checks and
//    before any takeover. Refused → CONNACK "not authorized" (3.1.1: return code 5; 5: 0x87),
//    close; the existing session with that client id is left alone.
//  - PUBLISH (session_publish.cpp): iot:Publish on the topic, and iot:RetainPublish too when
//    RETAIN is set. Refused → 3.1.1: the connection is closed (FORBIDDEN_ACCESS), as AWS IoT does;
//    5: QoS 1 gets PUBACK 0x87, QoS 0 is dropped. Nothing is routed.
//  - SUBSCRIBE (session_subscribe.cpp): iot:Subscribe on each filter. Refused → 3.1.1: the
//    connection is closed; 5: that filter's SUBACK reason is 0x87, the others proceed.
//  - Delivery (session_delivery.cpp): iot:Receive on the topic. Refused → not delivered to that
//    session, silently (the publisher is not told).
// Every refusal is reported as a `session_command` `access_denied` (→ broker_output) for the log.
#include <memory>
#include <string>
#include <string_view>

namespace lambkin::mqtt {

/// What the shell knows about a connection.
struct connection_info {
  std::string ip_address;  // lifecycle events' ipAddress
  std::string principal;   // the TLS client certificate's id, if any (principalIdentifier)
};

enum class iot_action : unsigned char { connect, publish, retain_publish, subscribe, receive };

/// "iot:Connect", "iot:Publish", …
std::string_view to_string(iot_action a) noexcept;

/// What one authenticated connection may do. Called on the broker's thread only.
class connection_authority {
 public:
  virtual ~connection_authority() = default;
  /// Whether `action` on `name` (a topic for publish/retain_publish/receive, a topic filter for
  /// subscribe, a client id for connect) is allowed.
  virtual bool allowed(iot_action action, std::string_view name) = 0;
  /// The resource ARN `allowed` evaluated (for log lines).
  virtual std::string resource(iot_action action, std::string_view name) const = 0;
};

struct connect_verdict {
  bool allowed = true;
  /// Null: the connection is unrestricted.
  std::shared_ptr<connection_authority> authority;
  /// On refusal: why (for the log), and the resource of the refused iot:Connect.
  std::string reason;
  std::string resource;
};

class authorizer {
 public:
  virtual ~authorizer() = default;
  virtual connect_verdict authorize_connect(const connection_info& info, std::string_view client_id) = 0;
};

}  // namespace lambkin::mqtt
