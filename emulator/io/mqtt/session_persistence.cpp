#include "emulator/io/mqtt/session_persistence.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/session_rows.hpp"

#include <iterator>
#include <map>

namespace lambkin::io::mqtt {
namespace {

constexpr const char* alive_key = "mqtt_alive_ms";

}  // namespace

session_persistence::session_persistence(boost::asio::any_io_executor executor, core::broker& broker,
                                         store::async_event_store& store, std::function<std::int64_t()> wall_ms,
                                         std::chrono::seconds heartbeat)
    : broker_(broker), store_(store), wall_ms_(std::move(wall_ms)), heartbeat_(heartbeat), timer_(std::move(executor)) {
  store_.set_before_commit([this] { write(); });
}

session_persistence::~session_persistence() {
  *alive_ = false;
  timer_.cancel();
  sync();
  if (!dirty_.empty()) store_.touch();
  store_.flush();  // runs `write` while the broker is still there
  store_.set_before_commit(nullptr);
}

void session_persistence::stop() {
  stopped_ = true;
  timer_.cancel();
}

session_persistence::restore_result session_persistence::restore(time_point now, core::broker_output_list& out) {
  restore_result r;
  const std::int64_t wall = wall_ms_();
  const std::int64_t alive = store_.meta(alive_key).value_or(wall);
  for (const auto& stored : store_.sessions()) {
    auto decoded = decode_session(stored, now, wall, alive);
    if (!decoded || (decoded->expired && !decoded->snapshot.will)) {
      if (decoded) ++r.expired;
      store_.erase_session(stored.client_id);
      continue;
    }
    // An expired session with a Will comes back only to end at once, publishing it.
    if (broker_.restore_session(decoded->snapshot, now, out)) {
      ++(decoded->expired ? r.expired : r.restored);
      const auto h = broker_.find_session(stored.client_id)->handle();
      stored_[stored.client_id] = h;
      // Stored as connected: written again as it is now (offline, its expiry and Will counting
      // from the lost connection), or a second restart would count them from a later "alive".
      if (decoded->was_connected) dirty_[stored.client_id] = pending_write{h, core::session_journal{true, {}}};
    }
  }
  broker_.track_session_changes(true);
  beat();
  return r;
}

void session_persistence::sync() {
  if (store_.failed_commits() != failures_seen_) {  // what the last commit wrote is not on disk
    failures_seen_ = store_.failed_commits();
    for (const auto& id : last_written_) {
      if (auto it = stored_.find(id); it != stored_.end()) it->second = core::session_handle{};  // write whole
      dirty_.try_emplace(id);
    }
    last_written_.clear();
    if (!dirty_.empty()) store_.touch();
  }
  auto changes = broker_.take_session_changes();
  if (changes.empty()) return;
  for (auto& c : changes) {
    auto& w = dirty_[c.client_id];
    if (w.session != c.session) {  // another session of that client id: its journal starts over
      w.session = c.session;
      w.journal = std::move(c.journal);
      continue;
    }
    w.journal.head_changed = w.journal.head_changed || c.journal.head_changed;
    auto& m = w.journal.messages;
    if (m.empty()) m = std::move(c.journal.messages);
    else m.insert(m.end(), std::make_move_iterator(c.journal.messages.begin()),
                  std::make_move_iterator(c.journal.messages.end()));
  }
  store_.touch();
}

void session_persistence::beat() {
  if (stopped_) return;
  store_.put_meta(alive_key, wall_ms_());
  timer_.expires_after(heartbeat_);
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!ec && *alive) beat();
  });
}

void session_persistence::write() {
  sync();
  last_written_.clear();
  if (dirty_.empty()) return;
  const auto now = clock::now();
  const std::int64_t wall = wall_ms_();
  for (const auto& [id, w] : dirty_) {
    const auto* s = broker_.find_session(id);
    if (s != nullptr && !s->ended() && s->session_expiry() != 0) {
      last_written_.insert(id);
      auto stored = stored_.find(id);
      if (stored == stored_.end() || stored->second != s->handle() || w.session != s->handle()) {
        write_whole(*s, now, wall);
        stored_[id] = s->handle();
      } else {
        write_journal(*s, w.journal, now, wall);
      }
    } else if (stored_.erase(id) != 0) {
      last_written_.insert(id);
      store_.erase_session(id);
      logger("mqtt")->info("persistent session ended: client_id={}", id);
    }
  }
  dirty_.clear();
}

void session_persistence::write_whole(const core::session& s, time_point now, std::int64_t wall) {
  const auto snapshot = s.snapshot();
  auto stored = encode_session_head(snapshot, now, wall);
  for (const auto& m : snapshot.messages)
    if (auto row = encode_session_message(m, now, wall)) stored.messages.push_back(std::move(*row));
  store_.put_session(std::move(stored));
}

void session_persistence::write_journal(const core::session& s, const core::session_journal& j, time_point now,
                                        std::int64_t wall) {
  if (j.head_changed) store_.put_session_head(encode_session_head(s.snapshot(false), now, wall));
  if (j.messages.empty()) return;
  // What each message's rows must end up as after this batch: one statement per message at most.
  struct net_change {
    const core::snapshot_message* added = nullptr;
    std::optional<std::uint16_t> packet_id;
    bool released = false;
    bool removed = false;
  };
  std::map<std::uint64_t, net_change> net;  // by seq: inserted in order
  for (const auto& c : j.messages) {
    auto& n = net[c.seq];
    switch (c.what) {
      case core::message_change::kind::added: n.added = &c.message; break;
      case core::message_change::kind::sent: n.packet_id = c.packet_id; break;
      case core::message_change::kind::released: n.released = true; break;
      case core::message_change::kind::removed: n.removed = true; break;
    }
  }
  const auto& id = s.client_id();
  for (auto& [seq, n] : net) {
    if (n.removed) {
      if (!n.added) store_.erase_session_message(id, static_cast<std::int64_t>(seq));
      continue;  // added and gone within the batch: never written
    }
    if (n.added) {
      core::snapshot_message m = *n.added;
      if (n.packet_id) m.packet_id = *n.packet_id;
      m.released = m.released || n.released;
      if (auto row = encode_session_message(m, now, wall)) store_.put_session_message(id, std::move(*row));
    } else {
      store_.update_session_message(id, static_cast<std::int64_t>(seq), n.packet_id, n.released);
    }
  }
}

}  // namespace lambkin::io::mqtt
