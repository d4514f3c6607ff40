// broker: what the shell needs to keep persistent sessions across a restart (session_snapshot.hpp).
#include "emulator/core/mqtt/broker.hpp"

#include <utility>

namespace lambkin::mqtt {

std::vector<std::string> broker::take_session_changes() {
  std::vector<std::string> ids = std::move(ended_sessions_);
  ended_sessions_.clear();
  if (changed_sessions_.empty()) return ids;
  ids.reserve(ids.size() + changed_sessions_.size());
  for (auto h : changed_sessions_)
    if (const auto* e = find(h)) ids.push_back(e->s->client_id());
  changed_sessions_.clear();
  return ids;
}

bool broker::restore_session(const session_snapshot& s, time_point now, broker_output_list& out) {
  if (s.client_id.empty() || by_client_id_.contains(s.client_id)) return false;
  const session_handle h = create_session(s.client_id);
  scratch_.clear();
  find(h)->s->restore(s, now, scratch_);
  for (const auto& [filter, sub] : s.subscriptions) trie_.subscribe(filter, subscription{h, sub.options, sub.identifier});
  find(h)->tracked = true;
  translate(h, now, out);
  changed_sessions_.erase(h);  // as stored
  return true;
}

}  // namespace lambkin::mqtt
