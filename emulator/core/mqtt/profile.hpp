#pragma once
// How the broker behaves where AWS IoT Core and the MQTT specs differ (reference/mqtt-iot.md §1).
// `profile{}` is AWS IoT Core (the default); `profile::standard()` is plain MQTT 3.1.1/5 for use as
// a general broker and for conformance suites. Every rule is a field, so a test or a user can
// switch one behaviour without the rest.
#include "lambkin/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>

namespace lambkin::mqtt {

enum class profile_kind : std::uint8_t { aws, standard };

struct profile {
  profile_kind kind = profile_kind::aws;

  // ---- topics (§1.3, §1.7, §1.9, §1.10) ----
  /// Spec: `a/#` also matches `a`. AWS: it does not.
  bool hash_matches_parent = false;
  /// AWS: a retained message is delivered on subscribe only to a filter equal to its topic.
  /// Spec: to every matching filter.
  bool retained_exact_match_only = true;
  /// Topic name / filter length in bytes and depth in `/`, not counting the `$aws/rules/<rule>/`
  /// and `$share/<group>/` prefixes.
  std::size_t max_topic_bytes = 256;
  std::size_t max_topic_slashes = 7;
  /// `$aws/…` reserved topics: who may publish and subscribe where, Basic Ingest
  /// (`$aws/rules/<rule>/…` goes to the rule, never to subscribers), lifecycle events.
  bool aws_reserved_topics = true;
  bool lifecycle_events = true;

  // ---- packets ----
  std::size_t max_payload_bytes = 128 * 1024;
  std::size_t max_client_id_bytes = 128;
  std::size_t max_filters_per_subscribe = 8;
  /// Subscriptions one session may hold (AWS: 50 per connection); past it, SUBACK 0x97.
  std::size_t max_subscriptions = 50;
  /// The largest packet the broker accepts (decoder limit; CONNACK Maximum Packet Size).
  std::uint32_t max_packet_size = 256 * 1024;

  // ---- QoS (§1.2) ----
  bool qos2_supported = false;
  /// Without QoS 2: a QoS 2 subscription is granted QoS 1 (true) or refused (false).
  bool qos2_subscription_downgrade = true;

  // ---- keep-alive (§1.6): requested values are clamped to [min, max]; 0 becomes max ----
  std::uint16_t keep_alive_min = 30;
  std::uint16_t keep_alive_max = 1200;
  bool keep_alive_zero_means_max = true;  // standard: 0 disables keep-alive

  // ---- sessions (§1.4) ----
  /// Session expiry of a 3.1.1 persistent session (Clean Session 0). nullopt = never expires.
  std::optional<std::uint32_t> session_expiry_311 = 3600;
  /// Cap on an MQTT 5 client's Session Expiry Interval (the CONNACK says so when it applies).
  std::optional<std::uint32_t> max_session_expiry = 3600;
  /// Give a client that connects with an empty client id a generated one (3.1.1: only with
  /// Clean Session 1; else CONNACK "identifier rejected").
  bool assign_client_ids = true;

  // ---- flow control ----
  /// Unacknowledged QoS 2 PUBLISHes a client may have toward the broker (CONNACK Receive
  /// Maximum). QoS 1 is acknowledged at once, so only QoS 2 counts.
  std::uint16_t receive_maximum = 100;
  /// Unacknowledged QoS 1/2 messages toward one client (AWS: 100), further capped by the
  /// client's own Receive Maximum.
  std::uint16_t max_inflight_out = 100;
  /// Inbound topic aliases a client may use (CONNACK Topic Alias Maximum).
  std::uint16_t topic_alias_maximum = 8;
  /// QoS 1/2 messages waiting for a client (offline, or beyond its in-flight window). Past it:
  /// offline, new messages are dropped; online, the client is disconnected (quota exceeded).
  std::size_t max_queued_messages = 1000;
  /// QoS 0 messages waiting behind a blocked connection; past it, new ones are dropped.
  std::size_t max_queued_qos0 = 1000;

  // ---- features announced in CONNACK ----
  bool retain_available = true;
  bool shared_subscriptions_available = true;
  bool subscription_identifiers_available = false;  // AWS IoT does not support them
  bool wildcard_subscriptions_available = true;
  /// MQTT 5 PUBACK 0x10 "No matching subscribers" when a QoS 1 PUBLISH reached no subscriber,
  /// listener or rule (the spec's MAY). AWS IoT Core's reason-code list has no 0x10: success.
  bool puback_no_matching_subscribers = false;

  /// A connection that sends no CONNECT within this time is closed.
  duration connect_timeout = seconds(10);

  static profile aws() { return profile{}; }
  static profile standard() {
    profile p;
    p.kind = profile_kind::standard;
    p.hash_matches_parent = true;
    p.retained_exact_match_only = false;
    p.max_topic_bytes = 65'535;
    p.max_topic_slashes = std::numeric_limits<std::size_t>::max();
    p.aws_reserved_topics = false;
    p.lifecycle_events = false;
    p.max_payload_bytes = std::numeric_limits<std::size_t>::max();
    p.max_client_id_bytes = 65'535;
    p.max_filters_per_subscribe = std::numeric_limits<std::size_t>::max();
    p.max_subscriptions = std::numeric_limits<std::size_t>::max();
    p.max_packet_size = 16 * 1024 * 1024;
    p.qos2_supported = true;
    p.keep_alive_min = 0;
    p.keep_alive_max = 65'535;
    p.keep_alive_zero_means_max = false;
    p.session_expiry_311 = std::nullopt;
    p.max_session_expiry = std::nullopt;
    p.receive_maximum = 1000;
    p.topic_alias_maximum = 10;
    p.subscription_identifiers_available = true;
    p.puback_no_matching_subscribers = true;
    return p;
  }
};

}  // namespace lambkin::mqtt
