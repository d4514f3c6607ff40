#pragma once
// The broker core: sessions by client id, the subscription trie and the retained store, wired to
// the network through connection ids the shell assigns. Pure (DESIGN.md): inputs take `now` and
// append `broker_output`s (broker_output.hpp); no sockets, no timers, no clock.
//
// The seam for the shell (emulator/io/mqtt):
//   accept        → on_connection_opened(id, info, now, out)
//   bytes         → the connection's `decoder` (max size `profile().max_packet_size`) →
//                   each packet: on_connection_packet(id, packet, now, out);
//                   a decode_error: on_connection_error(id, error, now, out)
//   socket closed → on_connection_closed(id, now, out)
//   write queue over / under its marks → on_connection_write_blocked / _ready
//   timer expired → on_timer(timer, now, out)
// and executes `out` after each call.
#include "emulator/core/mqtt/authority.hpp"
#include "emulator/core/mqtt/broker_output.hpp"
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/ids.hpp"
#include "emulator/core/mqtt/lifecycle_event.hpp"
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/profile.hpp"
#include "emulator/core/mqtt/retained_store.hpp"
#include "emulator/core/mqtt/session.hpp"
#include "emulator/core/mqtt/subscription_trie.hpp"
#include "lambkin/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace lambkin::mqtt {

/// What changed in one persistent session (`broker::take_session_changes`).
struct session_change {
  std::string client_id;
  /// The session the journal is from; 0 (with an empty journal) when the client id's session ended.
  session_handle session;
  /// Since the previous report. The first report of a session (just persistent, or just restored
  /// without a journal yet) may lack what came before journaling started: the shell writes a
  /// session it has not stored under this handle whole (`session::snapshot`).
  session_journal journal;
};

/// A message published in-process (rules engine Republish, IoT Data API Publish).
struct publish_request {
  std::string topic;
  shared_bytes payload;
  qos_level qos = qos0;
  bool retain = false;
  properties props;  // the forwarded ones and Message Expiry Interval
};

/// Rules (besides session.hpp's, which apply per client):
///  - Connections: the first packet must be CONNECT (else the connection is closed, no answer);
///    no CONNECT within `profile.connect_timeout` → closed. A refused CONNECT gets a CONNACK with
///    the reason (3.1.1: only for the return codes 3.1.1 has) and a close; an unsupported
///    protocol version a 3.1.1 CONNACK "unacceptable protocol version".
///  - Sessions: one per client id. A CONNECT for a connected client id takes the session over
///    (the old connection: DISCONNECT 0x8E / close, lifecycle reason DUPLICATE_CLIENTID). Clean
///    Start ends an existing session (its pending will is published); otherwise it is resumed
///    (CONNACK session present). An empty client id gets a generated one (`lambkin-<n>`).
///  - Routing: a PUBLISH goes to the retained store (if RETAIN; an empty payload deletes; in the
///    aws profile never for `$` topics) and to every matching session (one delivery per session,
///    subscription_trie.hpp) and listener. Live deliveries carry RETAIN only with
///    Retain-As-Published. In the aws profile `$aws/rules/<rule>/…` goes only to `rule_ingest`.
///  - New subscriptions get the retained messages their filter matches (aws: only a filter equal
///    to the topic), with RETAIN set, per Retain Handling; shared subscriptions get none.
///  - Lifecycle events (aws profile): `$aws/events/presence/connected|disconnected/<id>` and
///    `$aws/events/subscriptions/subscribed|unsubscribed/<id>` are published (QoS 1) for client
///    ids without `+`/`#`, with timestamps from `set_wall_clock`.
///  - Timers: `timer_id`s encode their owner (connection or session) and kind; stale ones are
///    ignored.
/// Thread safety: none; one broker per io_context thread (the shell serialises inputs).
class broker {
 public:
  explicit broker(mqtt::profile p = {});
  ~broker();
  broker(const broker&) = delete;
  broker& operator=(const broker&) = delete;

  const mqtt::profile& profile() const noexcept { return profile_; }
  /// Lifecycle timestamps: `wall` (Unix epoch ms) is the wall-clock time at steady time `at`.
  void set_wall_clock(time_point at, epoch_ms wall) noexcept;

  // ---- connections (the shell's inputs) ------------------------------------------------------

  /// Arms the connect timeout: `timer_arm`.
  void on_connection_opened(connection_id c, connection_info info, time_point now, broker_output_list& out);
  /// A decoded packet. The first must be CONNECT (then: checks, takeover, session resumed or
  /// created, CONNACK…); later ones go to the connection's session.
  void on_connection_packet(connection_id c, packet&& p, time_point now, broker_output_list& out);
  /// The decoder failed: DISCONNECT with its reason code (MQTT 5), close; before CONNECT an
  /// unsupported version gets a 3.1.1 CONNACK (return code 1) first.
  void on_connection_error(connection_id c, const decode_error& e, time_point now, broker_output_list& out);
  /// The socket closed (CONNECTION_LOST unless the core closed it already): the session goes
  /// offline (will, expiry), lifecycle `disconnected`.
  void on_connection_closed(connection_id c, time_point now, broker_output_list& out);
  void on_connection_write_blocked(connection_id c, time_point now);
  void on_connection_write_ready(connection_id c, time_point now, broker_output_list& out);
  /// The shell sent PUBREC 0x80 for `packet_id` instead of success (session::on_pubrec_refused).
  void on_pubrec_refused(connection_id c, std::uint16_t packet_id, time_point now, broker_output_list& out);
  void on_timer(timer_id t, time_point now, broker_output_list& out);

  /// Closes every connection (MQTT 5: DISCONNECT 0x8B "Server shutting down"); wills are published.
  void on_shutdown(time_point now, broker_output_list& out);
  /// Disconnects one client (MQTT 5: DISCONNECT 0x98 "Administrative action"); false if not connected.
  bool disconnect_client(std::string_view client_id, time_point now, broker_output_list& out);

  // ---- in-process API --------------------------------------------------------------------

  /// Publishes as the broker (no publishing client): checked like a client PUBLISH (topic name,
  /// profile limits, payload size; reserved topics allowed), then routed.
  std::error_code publish(publish_request r, time_point now, broker_output_list& out);
  /// Every message matching `filter` (valid) is also reported as `listener_message`.
  std::optional<listener_id> add_listener(std::string_view filter);
  bool remove_listener(listener_id id);

  retained_store& retained() noexcept { return retained_; }

  /// Authorization for the connections accepted from now on (authority.hpp); null = none.
  void set_authorizer(std::shared_ptr<mqtt::authorizer> a) noexcept { authorizer_ = std::move(a); }

  // ---- persistent sessions (broker_persistence.cpp) ----------------------------------------

  /// Once on, every persistent session (Session Expiry ≠ 0, or it was once) that may have changed
  /// (a packet, a delivery, a timer, connecting, going offline, ending) is remembered, with its
  /// journal (session_snapshot.hpp), until `take_session_changes`. Sessions that never persist
  /// cost nothing.
  void track_session_changes(bool on) noexcept { track_sessions_ = on; }
  /// The sessions that changed since the last call: first those that ended (`session` 0), then
  /// the others with their journals. A client id may repeat (ended, then a new session).
  std::vector<session_change> take_session_changes();
  /// Brings back a session stored by an earlier run (before any connection): offline, its
  /// subscriptions indexed, its Will and expiry timers armed (`timer_arm`), journaling on. False
  /// if the client id already has a session.
  bool restore_session(const session_snapshot& s, time_point now, broker_output_list& out);

  // ---- queries -----------------------------------------------------------------------------

  const session* find_session(std::string_view client_id) const;
  /// The id of a session's timer (what `timer_arm` carries for it).
  static timer_id session_timer(session_handle h, timer_kind k) noexcept;
  std::size_t session_count() const noexcept { return sessions_.size(); }
  std::size_t connection_count() const noexcept { return connections_.size(); }
  /// The client id of a connection's session; empty before its CONNECT was accepted or once the
  /// core closed it.
  std::string_view client_id_of(connection_id c) const noexcept;
  std::size_t subscription_count() const noexcept { return trie_.size(); }

 private:
  struct connection_entry {
    std::unique_ptr<connection_info> info;  // until a CONNECT is accepted (then the session's)
    session_handle session;                 // 0 until a CONNECT is accepted
  };
  // The lifecycle events' sessionIdentifier is made from the handle when needed
  // (make_session_identifier), not kept: issue 5, memory per idle connection.
  /// A session's connection while it has one: an optional connection_id in 8 bytes (connection
  /// ids are never 0, ids.hpp).
  class online_connection {
   public:
    explicit operator bool() const noexcept { return id_ != 0; }
    connection_id operator*() const noexcept { return connection_id{id_}; }
    online_connection& operator=(connection_id c) noexcept {
      id_ = c.value();
      return *this;
    }
    void reset() noexcept { id_ = 0; }

   private:
    std::uint64_t id_ = 0;
  };
  // 24 bytes, so that a node of `sessions_` fits a 48-byte malloc chunk (issue 5). Whether the
  // session is tracked (persistent at some point: its changes are reported by
  // take_session_changes) is kept in the session (session::tracked).
  struct session_entry {
    std::unique_ptr<mqtt::session> s;
    online_connection connection;
    std::unique_ptr<const std::string> principal;  // null: none (only TLS client certificates have one)
  };
  // Work the broker does after translating a session's commands; queued so that no session
  // input runs inside another's (routing a will, delivering retained messages…).
  struct route_work {
    message_ptr msg;
    session_handle publisher;
    std::optional<std::uint16_t> puback_after_routing;  // route_message's
  };
  struct subscribe_work {
    session_handle session;
    add_subscription sub;
  };
  struct end_work {
    session_handle session;
  };
  using work = std::variant<route_work, subscribe_work, end_work>;

  // broker_connect.cpp
  void on_connect(connection_id c, connect&& cp, time_point now, broker_output_list& out);
  void refuse(connection_id c, const connect& cp, const connect_refusal& r, broker_output_list& out);
  session_handle create_session(std::string client_id);
  std::string generate_client_id();
  // broker_routing.cpp
  void apply(session_handle h, time_point now, broker_output_list& out);
  void translate(session_handle h, time_point now, broker_output_list& out);
  void drain(time_point now, broker_output_list& out);
  /// Routes a message; true if it reached anything (a session, a listener, a rule).
  bool route(const message_ptr& msg, session_handle publisher, time_point now, broker_output_list& out);
  /// The PUBACK of a `route_message` with `puback_after_routing` (0x10 when nothing matched).
  void acknowledge(session_handle publisher, std::uint16_t packet_id, bool matched, broker_output_list& out);
  void subscribe(const subscribe_work& w, time_point now, broker_output_list& out);
  void end_session(session_handle h);
  void detach(session_handle h, disconnect_reason why, time_point now);
  // broker_lifecycle.cpp
  void publish_event(std::string topic, std::string payload, time_point now);
  lifecycle_identity identity(const session_entry& e, time_point now) const;

  session_entry* find(session_handle h) noexcept;
  static std::string_view principal_of(const session_entry& e) noexcept {
    return e.principal ? std::string_view(*e.principal) : std::string_view();
  }
  /// The client id and principal of the session that published (empty for the broker's own).
  std::pair<std::string, std::string> publisher_of(session_handle publisher) const;
  epoch_ms wall(time_point now) const noexcept;
  static bool is_listener(session_handle h) noexcept { return (h.value() >> 63) != 0; }

  mqtt::profile profile_;
  std::shared_ptr<mqtt::authorizer> authorizer_;
  subscription_trie trie_;
  retained_store retained_;
  std::unordered_map<connection_id, connection_entry> connections_;
  std::unordered_map<session_handle, session_entry> sessions_;
  // Keyed by a view of the mapped session's own client id (one copy per client).
  std::unordered_map<std::string_view, session_handle> by_client_id_;
  std::uint64_t next_session_ = 0;
  std::uint64_t next_listener_ = 0;
  std::uint64_t generated_ids_ = 0;
  std::uint64_t connects_ = 0;  // lifecycle versionNumber
  std::unordered_map<std::uint64_t, std::string> listeners_;  // id → filter
  time_point wall_at_{};
  epoch_ms wall_ms_ = 0;
  mutable std::string identifier_;  // what the last `identity` points to

  session_output scratch_;
  std::deque<work> work_;
  bool draining_ = false;
  match_result match_;
  std::vector<message_ptr> retained_scratch_;
  bool track_sessions_ = false;
  std::unordered_set<session_handle> changed_sessions_;
  std::vector<std::string> ended_sessions_;
};

}  // namespace lambkin::mqtt
