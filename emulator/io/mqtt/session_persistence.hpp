#pragma once
// The broker's persistent sessions on disk (the durable store's `mqtt_sessions` and
// `mqtt_session_messages` tables), so that a client that connected with Clean Session 0 (3.1.1)
// or a Session Expiry Interval > 0 (MQTT 5) finds its subscriptions and the QoS 1/2 messages it
// was owed (packet ids kept; re-sent with DUP) after lambkin restarts, `kill -9` included.
//
// The core stays pure (core/mqtt/session_snapshot.hpp): `sync` (after every broker input) takes
// the client ids whose session changed (`broker::take_session_changes`) and opens a batch in the
// durable store; when that batch commits, each changed session is written once, whole (snapshot
// encoded here), or erased when it ended or stopped being persistent. The MQTT writers hold every
// PUBACK behind that commit (mqtt_server::write_barrier), so a message acknowledged to its
// publisher is on disk in the sessions that must receive it.
//
// Session expiry counts across the downtime: an offline session is stored with its wall-clock
// end; a session that was connected when lambkin died starts expiring at the last "alive" time,
// which this class stores every `heartbeat` (so a crash can add at most that much to its life).
// Messages keep their Message Expiry as wall-clock time, like retained messages.
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
  void write();  // the store's before-commit hook
  void beat();
  store::stored_session encode(const core::session& s, time_point now, std::int64_t wall) const;
  std::optional<core::session_snapshot> decode(const store::stored_session& stored, time_point now,
                                               std::int64_t wall, std::int64_t alive) const;

  core::broker& broker_;
  store::async_event_store& store_;
  std::function<std::int64_t()> wall_ms_;
  std::chrono::seconds heartbeat_;
  boost::asio::steady_timer timer_;
  std::unordered_set<std::string> dirty_;
  std::unordered_set<std::string> stored_;  // client ids with a row on disk
  /// The state last written for sessions stored without messages (publishers, idle subscribers):
  /// an unchanged one is not written again. Forgotten after a failed commit.
  std::unordered_map<std::string, std::pair<std::string, std::int64_t>> written_;
  std::uint64_t failures_seen_ = 0;
  bool stopped_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::mqtt
