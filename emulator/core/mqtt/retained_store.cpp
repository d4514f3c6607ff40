// A sorted map: exact lookups for AWS's rule, and for wildcard filters a range scan over the
// topics that share the filter's literal prefix (`a/b/+/#` scans only `a/b/…`).
#include "emulator/core/mqtt/retained_store.hpp"

#include "emulator/core/mqtt/topic.hpp"

#include <iterator>
#include <utility>

namespace lambkin::mqtt {

retained_store::retained_store(profile p) : profile_(std::move(p)) {}

bool retained_store::store(const message_ptr& m, time_point now) {
  if (m->payload.empty()) {
    erase(m->topic);
    return false;
  }
  if (tracking_) changed_.insert(m->topic);
  auto it = entries_.find(m->topic);
  if (it == entries_.end()) {
    entries_.emplace(m->topic, retained_entry{m, now});
  } else {
    it->second = retained_entry{m, now};
  }
  return true;
}

bool retained_store::erase(std::string_view topic) {
  auto it = entries_.find(topic);
  if (it == entries_.end()) return false;
  if (tracking_) changed_.insert(it->first);
  entries_.erase(it);
  return true;
}

std::vector<std::string> retained_store::take_changes() {
  std::vector<std::string> out(std::make_move_iterator(changed_.begin()), std::make_move_iterator(changed_.end()));
  changed_.clear();
  return out;
}

bool retained_store::drop_if_expired(map::iterator it, time_point now) {
  if (!expired(*it->second.msg, now)) return false;
  entries_.erase(it);
  return true;
}

void retained_store::match(std::string_view filter, time_point now, std::vector<message_ptr>& out) {
  auto exact = [&](std::string_view topic) {
    if (auto it = entries_.find(topic); it != entries_.end() && !drop_if_expired(it, now))
      out.push_back(it->second.msg);
  };
  const auto wildcard = filter.find_first_of("+#");
  if (profile_.retained_exact_match_only || wildcard == std::string_view::npos) {
    if (wildcard == std::string_view::npos) exact(filter);  // a wildcard filter equals no topic
    return;
  }
  // `a/b/#` (spec) also matches `a/b`, which sorts before the `a/b/` range.
  if (profile_.hash_matches_parent && filter.ends_with("/#") && wildcard == filter.size() - 1)
    exact(filter.substr(0, filter.size() - 2));
  const auto prefix = filter.substr(0, wildcard);
  for (auto it = entries_.lower_bound(prefix); it != entries_.end() && it->first.starts_with(prefix);) {
    auto current = it++;
    if (matches(filter, current->first, profile_) && !drop_if_expired(current, now))
      out.push_back(current->second.msg);
  }
}

const retained_entry* retained_store::find(std::string_view topic, time_point now) {
  auto it = entries_.find(topic);
  if (it == entries_.end() || drop_if_expired(it, now)) return nullptr;
  return &it->second;
}

std::vector<retained_entry> retained_store::list(time_point now) {
  expire(now);
  std::vector<retained_entry> all;
  all.reserve(entries_.size());
  for (const auto& [topic, e] : entries_) all.push_back(e);
  return all;
}

std::size_t retained_store::expire(time_point now) {
  return std::erase_if(entries_, [&](const auto& kv) { return expired(*kv.second.msg, now); });
}

}  // namespace lambkin::mqtt
