#pragma once
// The broker's persistent sessions on disk (the durable store's `mqtt_sessions` and
// `mqtt_session_messages` tables), so that a client that connected with Clean Session 0 (3.1.1)
// or a Session Expiry Interval > 0 (MQTT 5) finds its subscriptions and the QoS 1/2 messages it
// was owed (packet ids kept; re-sent with DUP) after lambkin restarts, `kill -9` included.
//
// The core stays pure (core/mqtt/session_snapshot.hpp): `sync` (after every broker input) takes
// the sessions that changed with their journals (`broker::take_session_changes`) and opens a batch
// in the durable store; when that batch commits, each changed session is written as rows
// (session_rows.hpp): its head when the head changed, and per message an insert when queued, an
// update when sent or released, a delete when acknowledged or dropped — a message added and
// removed within one batch is never written. A session not yet stored under its current handle
// (just persistent, restored, or replaced by a new session of the same client id) is written
// whole; one that ended or stopped being persistent is erased. After a failed commit the sessions
// it touched are written whole again. The MQTT writers hold every PUBACK, PUBREC and PUBCOMP
// behind that commit (mqtt_server::write_barrier), so a message acknowledged to its publisher is
// on disk in the sessions that must receive it, and an inbound QoS 2 packet id is on disk before
// its PUBREC (and gone before its PUBCOMP).
//
// Session expiry counts across the downtime: an offline session is stored with its wall-clock
// end; a session that was connected when lambkin died starts expiring at the last "alive" time,
// which this class stores every `heartbeat` (so a crash can add at most that much to its life).
// Messages keep their Message Expiry as wall-clock time, like retained messages.
//
// Wills: a persistent session's Will is kept with it. When lambkin starts again, a session that
// was connected when it stopped (`kill -9`; a clean stop disconnects everyone first, publishing
// the Wills) lost its connection without DISCONNECT at the last "alive" time: its Will is
// published once its Will Delay Interval (0 without one) counted from then has passed — at once
// after every session is restored if it already has — unless the client reconnects first; an
// offline session whose Will Delay was running keeps its wall-clock due time; a session whose
// expiry ran out while lambkin was stopped publishes its Will at start and ends. A Will is
// published at most once: its removal is stored with the batch that routes it.
//
// Thread safety: the io_context's thread.
#include "emulator/core/mqtt/broker.hpp"
#include "emulator/io/store/async_event_store.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace lambkin::io::mqtt {

namespace core = lambkin::mqtt;

class session_persistence {
 public:
  /// `wall_ms` reads the wall clock (Unix epoch ms).
  session_persistence(boost::asio::any_io_executor executor, core::broker& broker, store::async_event_store& store,
                      std::function<std::int64_t()> wall_ms, std::chrono::seconds heartbeat = std::chrono::seconds(10));
  /// Writes the sessions still waiting for a batch, and unhooks from the store.
  ~session_persistence();
  session_persistence(const session_persistence&) = delete;
  session_persistence& operator=(const session_persistence&) = delete;

  struct restore_result {
    std::size_t restored = 0;
    std::size_t expired = 0;  // their expiry ran out while lambkin was stopped: erased
  };
  /// Loads the stored sessions into the broker (before any connection; `out` holds their expiry
  /// timers, for the shell to carry out), turns on change tracking and starts the heartbeat.
  restore_result restore(time_point now, core::broker_output_list& out);
  /// Takes what changed since the last call (cheap: a set insert per changed session).
  void sync();
  /// Stops the heartbeat (shutdown).
  void stop();

 private:
  /// What a session's next write must do.
  struct pending_write {
    core::session_handle session;  // the journal's
    core::session_journal journal;
  };

  void write();  // the store's before-commit hook
  void beat();
  void write_whole(const core::session& s, time_point now, std::int64_t wall);
  void write_journal(const core::session& s, const core::session_journal& j, time_point now, std::int64_t wall);

  core::broker& broker_;
  store::async_event_store& store_;
  std::function<std::int64_t()> wall_ms_;
  std::chrono::seconds heartbeat_;
  boost::asio::steady_timer timer_;
  std::unordered_map<std::string, pending_write> dirty_;
  /// Client ids with rows on disk, and the session they were written from.
  std::unordered_map<std::string, core::session_handle> stored_;
  /// Written by the last commit: written whole again if it failed.
  std::unordered_set<std::string> last_written_;
  std::uint64_t failures_seen_ = 0;
  bool stopped_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::mqtt
