#pragma once
// One client's MQTT session: the per-client protocol state machine, in the style of async_mqtt's
// `rv_connection` — inputs take `now` and append commands (session_command.hpp); no I/O, no clock.
// The broker owns sessions by client id and connects them to the network through the shell.
#include "emulator/core/mqtt/authority.hpp"
#include "emulator/core/mqtt/ids.hpp"
#include "emulator/core/mqtt/lazy_deque.hpp"
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/packet.hpp"
#include "emulator/core/mqtt/profile.hpp"
#include "emulator/core/mqtt/session_command.hpp"
#include "emulator/core/mqtt/session_snapshot.hpp"
#include "lambkin/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace lambkin::mqtt {

/// Why a CONNECT is refused, before any session is touched.
struct connect_refusal {
  reason_code reason = reason_code::unspecified_error;
  std::string reason_string;
};

/// The checks a CONNECT must pass under `p` (client id length; 3.1.1 empty client id only with
/// Clean Session; empty ids only if the broker assigns them; no enhanced authentication; the
/// Will's topic, QoS, retain flag and payload size). nullopt = acceptable.
std::optional<connect_refusal> check_connect(const connect& c, const profile& p);

/// How a message is delivered to one session (from the subscription that matched).
struct delivery {
  qos_level max_qos = qos0;  // granted QoS of the subscription(s); the message's QoS caps it
  bool retain = false;       // the RETAIN flag to send (retain-as-published, or a retained message on subscribe)
  std::vector<std::uint32_t> subscription_ids;  // MQTT 5 Subscription Identifiers
};

/// What a session has done, for metrics and tests.
struct session_stats {
  std::uint64_t received = 0;           // PUBLISHes routed from this client
  std::uint64_t delivered = 0;          // PUBLISHes sent to this client (first attempts)
  std::uint64_t redelivered = 0;        // PUBLISHes re-sent with DUP after a reconnect
  std::uint64_t dropped_qos0 = 0;       // QoS 0 dropped: offline, or the QoS 0 queue was full
  std::uint64_t dropped_queue_full = 0; // QoS 1/2 dropped while offline with a full queue
  std::uint64_t dropped_expired = 0;    // messages whose Message Expiry ran out while waiting
  std::uint64_t dropped_too_large = 0;  // over the client's Maximum Packet Size
};

/// The MQTT session of one client id.
///
/// States: `connected` (bound to a connection), `offline` (persistent, waiting for the client),
/// `ended` (emits nothing more; the broker forgets it after `session_ended`).
///
/// Rules every input follows:
///  - Outbound QoS 1/2 messages go out while fewer than min(client Receive Maximum,
///    `profile.max_inflight_out`) are unacknowledged; the rest wait in a queue, in order. QoS 0
///    messages go out at once unless the queue is non-empty or the connection is write-blocked
///    (then they queue too, so per-topic order holds).
///  - Queue bounds: QoS 0 past `max_queued_qos0` is dropped; QoS 1/2 past `max_queued_messages`
///    is dropped while offline, and disconnects the client while online (DISCONNECT 0x97).
///  - Offline, QoS 0 messages are dropped and QoS 1/2 messages queued (persistent sessions keep
///    their unacknowledged messages, re-sent with DUP on resume).
///  - Messages whose Message Expiry ran out are dropped when they would be sent; the rest are
///    sent with the interval reduced by the time waited.
///  - A protocol violation sends (MQTT 5) a DISCONNECT with the reason code and a Reason String,
///    then `close_connection`; then the session goes offline as after a lost connection.
///  - Going offline: keep-alive cancelled; the Will is published unless the client sent a normal
///    DISCONNECT (at once, or after the Will Delay Interval: `arm_timer{will_delay}`); then the
///    session ends at once (Session Expiry 0: will if pending, `session_ended`) or
///    `arm_timer{session_expiry}` (not for "never": 0xFFFFFFFF).
///
/// Thread safety: none; owned by one broker.
class session {
 public:
  session(session_handle handle, std::string client_id, const profile& p);

  // ---- inputs ----------------------------------------------------------------------------

  /// A CONNECT the broker accepted (`check_connect`), binding the session to a new connection.
  ///  - negotiates: keep-alive (`profile` clamp; AWS 30–1200 s, 0 → 1200), Session Expiry (3.1.1:
  ///    from Clean Session and `session_expiry_311`; MQTT 5: the property, capped), the client's
  ///    Receive Maximum, Maximum Packet Size and Topic Alias Maximum, Request Problem Information;
  ///  - emits `send_packet{CONNACK}` (session present; MQTT 5 properties: Receive Maximum,
  ///    Maximum QoS, Retain Available, Maximum Packet Size, Topic Alias Maximum, feature flags,
  ///    Assigned Client Identifier, Server Keep Alive and Session Expiry when they differ from
  ///    what the client asked), `cancel_timer` for pending will-delay / session-expiry timers,
  ///    `arm_timer{keep_alive}`;
  ///  - resuming: re-sends unacknowledged PUBLISHes with DUP (and PUBRELs), then the queue.
  void on_connect(const connect& c, std::string_view assigned_client_id, bool session_present,
                  time_point now, session_output& out);

  /// A packet from the client (not CONNECT's first; a second CONNECT is a protocol error).
  /// Every packet restarts the keep-alive period.
  ///  - PUBLISH: checks (QoS 2 in the aws profile → DISCONNECT 0x9B; topic alias 0 or over the
  ///    maximum → 0x94, unknown alias → 0x82; topic syntax and profile limits → 0x90; payload
  ///    size → 0x95; reserved topic → 0x87; retain unavailable → 0x9A; Payload Format Indicator 1 with a payload that is not UTF-8
  ///    → PUBACK/PUBREC 0x99, not routed, QoS 0 dropped), then `route_message` and
  ///    PUBACK (QoS 1) or PUBREC (QoS 2; a re-sent QoS 2 PUBLISH is acknowledged, not routed
  ///    again; more unacknowledged QoS 2 than Receive Maximum → DISCONNECT 0x93). MQTT 5 QoS 1
  ///    with `profile.puback_no_matching_subscribers`: no PUBACK here; `route_message` asks the
  ///    broker to send it after routing (0x10 when nothing matched);
  ///  - PUBREL → PUBCOMP (0x92 if unknown); PUBACK / PUBCOMP free an in-flight slot (then queued
  ///    messages go out); PUBREC → PUBREL;
  ///  - SUBSCRIBE → SUBACK (granted QoS or a failure code per filter; a QoS 2 request is granted
  ///    QoS 1 in the aws profile), then `add_subscription` per accepted filter;
  ///  - UNSUBSCRIBE → `remove_subscription` per existing filter, then UNSUBACK (0x11 for unknown);
  ///  - PINGREQ → PINGRESP;
  ///  - DISCONNECT → `close_connection{client_initiated}`; the Will is dropped unless the reason
  ///    is 0x04; MQTT 5 may change the Session Expiry (not from 0: protocol error);
  ///  - AUTH, CONNACK, SUBACK, UNSUBACK, PINGRESP → protocol error.
  void on_packet(packet&& p, time_point now, session_output& out);

  /// The connection's bytes could not be decoded: DISCONNECT with the error's reason code (MQTT
  /// 5), `close_connection{client_error}`, then offline.
  void on_decode_error(errc code, std::string_view reason, time_point now, session_output& out);

  /// The connection closed under the session (the socket closed without DISCONNECT). Goes
  /// offline (see above: the Will is published); emits no `close_connection`.
  void on_closed(time_point now, session_output& out);

  /// Another connection takes the session over: DISCONNECT 0x8E (MQTT 5),
  /// `close_connection{duplicate_client_id}`, then offline. The broker then resumes or ends it.
  void on_taken_over(time_point now, session_output& out);

  /// The broker closes the connection itself (shutdown: 0x8B, an administrator: 0x98…):
  /// DISCONNECT `rc` (MQTT 5), `close_connection{why}`, then offline (the Will is published).
  void on_server_disconnect(reason_code rc, disconnect_reason why, std::string_view reason,
                            time_point now, session_output& out);

  /// A timer this session armed is due (stale firings are ignored).
  ///  - keep_alive: no packet for 1.5 × keep-alive → DISCONNECT 0x8D (MQTT 5), close; else re-armed;
  ///  - will_delay: `publish_will`;
  ///  - session_expiry: ends the session (`session_ended`).
  void on_timer(timer_kind kind, time_point now, session_output& out);

  /// The shell's write queue for this connection is over its high-water mark: hold back
  /// everything (QoS 0 included) in the session's bounded queue.
  void on_write_blocked(time_point now);
  /// It drained: send what the window allows.
  void on_write_ready(time_point now, session_output& out);
  /// The shell answered the QoS 2 PUBLISH `packet_id` with a PUBREC error instead (its message
  /// could not be stored): MQTT 5 §4.3.3 — a later PUBLISH with that id is a new message, so the
  /// id is released.
  void on_pubrec_refused(std::uint16_t packet_id);


  /// A message for this client (see the rules above). Applies the effective QoS
  /// min(message, subscription, profile), the client's Maximum Packet Size and outbound topic
  /// aliases; drops messages for an ended session.
  void deliver(const message_ptr& m, const delivery& d, time_point now, session_output& out);

  /// Ends the session now (Clean Start takeover, expiry): publishes a pending Will, cancels
  /// timers, emits `session_ended`.
  void end(time_point now, session_output& out);

  // ---- persistence (session_snapshot.cpp) ------------------------------------------------

  /// The state a restart must keep (session_snapshot.hpp). `expires_at` is set while offline
  /// with a finite expiry. Without `with_messages`, only the head (no `messages`).
  session_snapshot snapshot(bool with_messages = true) const;
  /// A fresh session takes a stored one's state, offline: with `s.expires_at`, emits
  /// `arm_timer{session_expiry}` for it (the broker ends the session then); without, the session
  /// waits for its client forever (0xFFFFFFFF). With `s.will`: the Will is pending, due at
  /// `s.will_at` (now if unset): `arm_timer{will_delay}` (a reconnect before then cancels it, the
  /// session's end publishes it early). Messages past their Message Expiry are dropped when they
  /// would be sent, as always. Later messages are numbered after the highest restored `seq`.
  void restore(const session_snapshot& s, time_point now, session_output& out);
  /// Journaling on: from now on every change to the owed messages and the head is recorded until
  /// `take_journal` (session_snapshot.hpp). Off (the default) costs a branch per change.
  void set_journal(bool on) noexcept { journal_on_ = on; }
  /// What changed since the last call; the journal starts empty again.
  session_journal take_journal();

  // ---- queries ---------------------------------------------------------------------------

  session_handle handle() const noexcept { return handle_; }
  const std::string& client_id() const noexcept { return client_id_; }
  bool connected() const noexcept { return state_ == state::connected; }
  bool ended() const noexcept { return state_ == state::ended; }
  protocol_version version() const noexcept { return version_; }
  /// Effective keep-alive in seconds (0 = none).
  std::uint16_t keep_alive() const noexcept { return keep_alive_; }
  /// Session Expiry Interval in seconds (0xFFFFFFFF = never).
  std::uint32_t session_expiry() const noexcept { return session_expiry_; }
  const std::map<std::string, session_subscription, std::less<>>& subscriptions() const noexcept;
  std::size_t inflight() const noexcept { return inflight_.size(); }
  std::size_t queued() const noexcept { return queue_.size(); }
  session_stats stats() const noexcept {
    session_stats s = rare_stats_ ? *rare_stats_ : session_stats{};
    s.received = received_;
    s.delivered = delivered_;
    return s;
  }

  /// What the current connection may do (authority.hpp); null = unrestricted. Set by the broker
  /// before `on_connect`; kept while offline (deliveries to the queue are checked with it).
  void set_authority(std::shared_ptr<connection_authority> a) noexcept { authority_ = std::move(a); }
  /// The lifecycle events' versionNumber of the current (or last) connection, set by the broker
  /// (kept here rather than in the broker's entry: it fits in this object's allocation).
  void set_version_number(std::uint64_t n) noexcept { version_number_ = n; }
  std::uint64_t version_number() const noexcept { return version_number_; }
  /// Whether the broker reports this session's changes (persistent at some point); kept here for
  /// the broker, like the version number.
  void set_tracked(bool on) noexcept { tracked_ = on; }
  bool tracked() const noexcept { return tracked_; }

 private:
  enum class state : std::uint8_t { offline, connected, ended };
  enum class outbound_state : std::uint8_t { await_puback, await_pubrec, await_pubcomp };

  struct pending {
    message_ptr msg;
    qos_level qos = qos0;
    bool retain = false;
    std::vector<std::uint32_t> subscription_ids;
    std::uint64_t seq = 0;  // QoS 1/2 once the session holds it (queued or in flight); 0 = not yet
  };
  struct in_flight {
    std::uint16_t packet_id = 0;
    outbound_state stage = outbound_state::await_puback;
    pending delivery;
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  // session.cpp
  void protocol_violation(errc code, std::string reason, disconnect_reason why, time_point now,
                          session_output& out);
  void go_offline(time_point now, session_output& out);
  void publish_pending_will(time_point now, session_output& out);
  void on_disconnect(const disconnect& d, time_point now, session_output& out);
  void arm_keep_alive(session_output& out);
  void check_keep_alive(time_point now, session_output& out);
  properties reason_props(std::string reason) const;
  // session_publish.cpp
  void on_publish(publish&& p, time_point now, session_output& out);
  void on_pubrel(const pubrel& p, session_output& out);
  bool resolve_topic_alias(publish& p, time_point now, session_output& out);
  /// iot:Publish (and iot:RetainPublish) by `authority_`; on refusal answers as AWS IoT does.
  bool authorized(const publish& p, time_point now, session_output& out);
  // session_subscribe.cpp
  void on_subscribe(subscribe&& s, time_point now, session_output& out);
  void on_unsubscribe(unsubscribe&& u, session_output& out);
  // session_delivery.cpp
  void on_puback(const puback& a, time_point now, session_output& out);
  void on_pubrec(const pubrec& a, time_point now, session_output& out);
  void on_pubcomp(const pubcomp& a, time_point now, session_output& out);
  std::size_t window() const noexcept;
  bool enqueue(pending&& p, time_point now, session_output& out);
  void flush(time_point now, session_output& out);
  /// Sends one delivery (assigning a packet id for QoS > 0); false if it was dropped.
  bool transmit(pending&& p, time_point now, session_output& out);
  publish make_publish(const pending& p, std::uint16_t packet_id, bool dup, time_point now);
  void resend_inflight(time_point now, session_output& out);
  std::uint16_t next_packet_id() noexcept;
  void release(std::uint16_t packet_id, outbound_state expected, time_point now, session_output& out);
  // session_snapshot.cpp: the journal
  /// Numbers a QoS 1/2 message the session takes on and records it (`packet_id` 0: queued).
  void journal_added(pending& p, std::uint16_t packet_id);
  void journal(message_change::kind what, std::uint64_t seq, std::uint16_t packet_id = 0);
  void head_changed() {
    if (journal_on_) journal_entries().head_changed = true;
  }
  session_journal& journal_entries() { return x().journal; }

  // Members are ordered to leave no padding: an idle session is one allocation per client
  // (issue 5: memory per idle connection), and what most clients never use is held apart.
  session_handle handle_;
  std::string client_id_;
  const profile* profile_;
  time_point last_activity_{};

  // Per connection (reset by on_connect).
  std::uint32_t client_max_packet_size_ = 0;  // 0 = no limit
  std::uint16_t keep_alive_ = 0;
  std::uint16_t client_receive_maximum_ = 65'535;
  std::uint16_t client_topic_alias_maximum_ = 0;
  state state_ = state::offline;
  protocol_version version_ = protocol_version::v311;
  bool problem_information_ = true;
  bool write_blocked_ = false;

  // Will.
  bool will_pending_ = false;  // offline, waiting for the Will Delay Interval (its timer is armed)
  bool expiry_armed_ = false;  // offline, the session-expiry timer is armed

  // Per session.
  std::uint32_t session_expiry_ = 0;
  std::uint16_t last_packet_id_ = 0;
  bool journal_on_ = false;
  bool tracked_ = false;  // set_tracked (fills what was padding)
  std::uint32_t queued_qos0_ = 0;  // bounded by profile.max_queued_qos0
  std::uint64_t last_seq_ = 0;  // the last message number given (pending::seq)
  std::uint64_t version_number_ = 0;

  // MQTT 5 topic aliases, QoS 2 receipts, the persistence journal and the offline deadlines:
  // most connected clients use none of them, so they are held apart and made on first use (`x()`).
  struct extras {
    std::vector<std::string> inbound_aliases;  // [alias - 1] → topic
    std::unordered_map<std::string, std::uint16_t, string_hash, std::equal_to<>> outbound_aliases;
    std::unordered_set<std::uint16_t> inbound_qos2;  // QoS 2 ids received, PUBREL not yet
    session_journal journal;  // while journaling: what changed since `take_journal`
    // Offline only (`will_pending_`, `expiry_armed_`): late or early firings of a re-armed
    // timer are ignored.
    time_point will_deadline{};
    time_point expiry_deadline{};
  };
  extras& x() {
    if (!extras_) extras_ = std::make_unique<extras>();
    return *extras_;
  }
  std::unique_ptr<extras> extras_;
  std::shared_ptr<connection_authority> authority_;  // null: unrestricted
  // Held apart: a will_message (its properties) is ~0.5 KB and most clients have none.
  std::unique_ptr<will_message> will_;
  using subscription_map = std::map<std::string, session_subscription, std::less<>>;
  std::unique_ptr<subscription_map> subscriptions_;  // made by the first subscription
  lazy_deque<in_flight> inflight_;  // allocate on first use: idle sessions own no queue
  lazy_deque<pending> queue_;
  // Counters: the two every active client moves here; the drops and redeliveries (rare) in a
  // part made by the first of them (`rare`), which keeps an idle session 32 bytes smaller (issue 5).
  std::uint64_t received_ = 0;
  std::uint64_t delivered_ = 0;
  std::unique_ptr<session_stats> rare_stats_;
  session_stats& rare() {
    if (!rare_stats_) rare_stats_ = std::make_unique<session_stats>();
    return *rare_stats_;
  }
};

}  // namespace lambkin::mqtt
