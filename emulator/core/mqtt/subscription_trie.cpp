// The trie walks topics with string_views (no splitting into vectors) and looks children up by
// string_view (transparent hash), so a match allocates only when the caller's output grows.
#include "emulator/core/mqtt/subscription_trie.hpp"

#include "emulator/core/mqtt/topic.hpp"

#include <algorithm>
#include <utility>

namespace lambkin::mqtt {
namespace {

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// The first level of `rest`, what follows it, and whether it was the last.
struct split_level {
  std::string_view level;
  std::string_view rest;
  bool last = false;
};

split_level split(std::string_view s) noexcept {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return {s, {}, true};
  return {s.substr(0, slash), s.substr(slash + 1), false};
}

}  // namespace

struct subscription_trie::shared_group {
  std::string name;
  std::vector<subscription> members;  // in subscription order
  std::size_t next = 0;               // whose turn it is
};

struct subscription_trie::node {
  std::unordered_map<std::string, std::unique_ptr<node>, string_hash, std::equal_to<>> children;
  std::unique_ptr<node> plus;  // the `+` child
  std::unique_ptr<node> hash;  // the `#` child (always a leaf)
  std::vector<subscription> subs;
  std::vector<shared_group> groups;

  bool empty() const noexcept {
    return children.empty() && !plus && !hash && subs.empty() && groups.empty();
  }

  /// The child for one filter level, created on demand.
  node& child(std::string_view level) {
    if (level == "+") return plus ? *plus : *(plus = std::make_unique<node>());
    if (level == "#") return hash ? *hash : *(hash = std::make_unique<node>());
    auto it = children.find(level);
    if (it == children.end()) it = children.emplace(std::string(level), std::make_unique<node>()).first;
    return *it->second;
  }

  std::unique_ptr<node>* find_child(std::string_view level) {
    if (level == "+") return plus ? &plus : nullptr;
    if (level == "#") return hash ? &hash : nullptr;
    auto it = children.find(level);
    return it == children.end() ? nullptr : &it->second;
  }

  void erase_child(std::string_view level) {
    if (level == "+") plus.reset();
    else if (level == "#") hash.reset();
    else if (auto it = children.find(level); it != children.end()) children.erase(it);
  }
};

subscription_trie::subscription_trie(bool hash_matches_parent)
    : root_(std::make_unique<node>()), hash_matches_parent_(hash_matches_parent) {}

subscription_trie::~subscription_trie() = default;

bool subscription_trie::subscribe(std::string_view filter, const subscription& s) {
  std::string_view group;
  if (auto shared = parse_shared(filter)) {
    group = shared->group;
    filter = shared->filter;
  }
  node* n = root_.get();
  for (split_level l{{}, filter, false}; !l.last;) {
    l = split(l.rest);
    n = &n->child(l.level);
  }
  auto same_session = [&](const subscription& x) { return x.session == s.session; };
  std::vector<subscription>* list = &n->subs;
  if (!group.empty()) {
    auto g = std::find_if(n->groups.begin(), n->groups.end(), [&](const shared_group& x) { return x.name == group; });
    if (g == n->groups.end()) g = n->groups.insert(n->groups.end(), shared_group{std::string(group), {}, 0});
    list = &g->members;
  }
  if (auto it = std::find_if(list->begin(), list->end(), same_session); it != list->end()) {
    *it = s;
    return false;
  }
  list->push_back(s);
  ++size_;
  return true;
}

bool subscription_trie::unsubscribe(std::string_view filter, session_handle session) {
  std::string_view group;
  if (auto shared = parse_shared(filter)) {
    group = shared->group;
    filter = shared->filter;
  }
  // Remember the path so emptied nodes can be pruned bottom-up.
  std::vector<std::pair<node*, std::string_view>> path;
  node* n = root_.get();
  for (split_level l{{}, filter, false}; !l.last;) {
    l = split(l.rest);
    auto* child = n->find_child(l.level);
    if (!child) return false;
    path.emplace_back(n, l.level);
    n = child->get();
  }
  auto same_session = [&](const subscription& x) { return x.session == session; };
  bool removed = false;
  if (group.empty()) {
    removed = std::erase_if(n->subs, same_session) > 0;
  } else {
    auto g = std::find_if(n->groups.begin(), n->groups.end(), [&](const shared_group& x) { return x.name == group; });
    if (g != n->groups.end()) {
      removed = std::erase_if(g->members, same_session) > 0;
      if (g->members.empty()) n->groups.erase(g);
    }
  }
  if (!removed) return false;
  --size_;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    auto* child = it->first->find_child(it->second);
    if (!child || !(*child)->empty()) break;
    it->first->erase_child(it->second);
  }
  return true;
}

void subscription_trie::add_node_hits(node& n, session_handle publisher, std::vector<subscription>& hits) {
  for (const auto& s : n.subs)
    if (!(s.options.no_local && s.session == publisher)) hits.push_back(s);
  for (auto& g : n.groups) {
    const std::size_t count = g.members.size();
    if (count == 0) continue;
    std::size_t chosen = g.next % count;
    if (available_) {
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = (g.next + k) % count;
        if (available_(g.members[i].session)) {
          chosen = i;
          break;
        }
      }
    }
    g.next = chosen + 1;
    hits.push_back(g.members[chosen]);
  }
}

void subscription_trie::collect(node& n, std::string_view rest, bool at_end, bool dollar_root,
                                session_handle publisher, std::vector<subscription>& hits) {
  if (at_end) {
    add_node_hits(n, publisher, hits);
    if (hash_matches_parent_ && n.hash) add_node_hits(*n.hash, publisher, hits);  // `a/#` matches `a`
    return;
  }
  const split_level l = split(rest);
  if (!dollar_root) {  // `$` topics are not matched by a leading wildcard
    if (n.hash) add_node_hits(*n.hash, publisher, hits);
    if (n.plus) collect(*n.plus, l.rest, l.last, false, publisher, hits);
  }
  if (auto it = n.children.find(l.level); it != n.children.end())
    collect(*it->second, l.rest, l.last, false, publisher, hits);
}

void subscription_trie::match(std::string_view topic, session_handle publisher, match_result& out) {
  out.subscribers.clear();
  out.identifiers.clear();
  auto& hits = out.hits_;
  hits.clear();
  collect(*root_, topic, false, topic.starts_with('$'), publisher, hits);
  if (hits.size() > 1) {
    std::sort(hits.begin(), hits.end(), [](const subscription& a, const subscription& b) {
      return a.session.value() != b.session.value() ? a.session.value() < b.session.value()
                                                    : a.identifier < b.identifier;
    });
  }
  for (const auto& h : hits) {
    if (out.subscribers.empty() || out.subscribers.back().session != h.session) {
      const auto at = static_cast<std::uint32_t>(out.identifiers.size());
      out.subscribers.push_back(subscriber_match{h.session, h.options.max_qos, h.options.retain_as_published, at, at});
    }
    auto& m = out.subscribers.back();
    m.qos = std::max(m.qos, h.options.max_qos);
    m.retain_as_published = m.retain_as_published || h.options.retain_as_published;
    if (h.identifier != 0 && (m.ids_end == m.ids_begin || out.identifiers.back() != h.identifier)) {
      out.identifiers.push_back(h.identifier);
      ++m.ids_end;
    }
  }
}

}  // namespace lambkin::mqtt
