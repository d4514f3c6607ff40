// broker: what the shell needs to keep persistent sessions across a restart (session_snapshot.hpp).
#include "emulator/core/mqtt/broker.hpp"

#include <utility>

namespace lambkin::mqtt {

std::vector<session_change> broker::take_session_changes() {
  std::vector<session_change> changes;
  changes.reserve(ended_sessions_.size() + changed_sessions_.size());
  for (auto& id : ended_sessions_) changes.push_back(session_change{std::move(id), session_handle{}, {}});
  ended_sessions_.clear();
  for (auto h : changed_sessions_)
    if (auto* e = find(h)) changes.push_back(session_change{e->s->client_id(), h, e->s->take_journal()});
  changed_sessions_.clear();
  return changes;
}

bool broker::restore_session(const session_snapshot& s, time_point now, broker_output_list& out) {
  if (s.client_id.empty() || by_client_id_.contains(s.client_id)) return false;
  const session_handle h = create_session(s.client_id);
  scratch_.clear();
  find(h)->s->restore(s, now, scratch_);
  for (const auto& [filter, sub] : s.subscriptions) trie_.subscribe(filter, subscription{h, sub.options, sub.identifier});
  find(h)->s->set_tracked(true);
  find(h)->s->set_journal(true);
  translate(h, now, out);
  changed_sessions_.erase(h);  // as stored
  return true;
}

}  // namespace lambkin::mqtt
