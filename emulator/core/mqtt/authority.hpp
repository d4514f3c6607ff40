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
#include <utility>
#include <vector>

namespace lambkin::mqtt {

/// What the shell knows about a connection.
struct connection_info {
  std::string ip_address;  // lifecycle events' ipAddress
  std::string principal;   // the TLS client certificate's id, if any (principalIdentifier)
  /// The client certificate's policy variables the shell read from it, by name without `${}`
  /// ("iot:Certificate.Subject.CommonName" → "dev-1"); empty without a certificate.
  std::vector<std::pair<std::string, std::string>> certificate_variables;
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

/// What a CONNECT asks for beyond connecting, as AWS IoT's `iot:ConnectAttributes` names it.
struct connect_attributes {
  bool persistent = false;  // "PersistentConnect": 3.1.1 Clean Session 0, MQTT 5 Session Expiry > 0
  bool last_will = false;   // "LastWill": the CONNECT carries a will
};

class authorizer {
 public:
  virtual ~authorizer() = default;
  virtual connect_verdict authorize_connect(const connection_info& info, std::string_view client_id,
                                            connect_attributes attributes) = 0;
};

}  // namespace lambkin::mqtt
