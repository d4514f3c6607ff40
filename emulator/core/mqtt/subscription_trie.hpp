#pragma once
// The subscription index: topic filter → subscribers, as a trie of topic levels with separate
// `+` and `#` children (like mosquitto's subhier and async_mqtt's subscription_map).
#include "emulator/core/mqtt/ids.hpp"
#include "emulator/core/mqtt/packet.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lambkin::mqtt {

/// One session's subscription to one filter.
struct subscription {
  session_handle session;
  subscription_options options;
  std::uint32_t identifier = 0;  // MQTT 5 Subscription Identifier; 0 = none
  bool operator==(const subscription&) const = default;
};

/// A session a message goes to, its matching subscriptions merged.
struct subscriber_match {
  session_handle session;
  qos_level qos = qos0;              // the highest maximum QoS among them
  bool retain_as_published = false;  // any of them asks for it
  std::uint32_t ids_begin = 0;       // its Subscription Identifiers: match_result::identifiers
  std::uint32_t ids_end = 0;         //   [ids_begin, ids_end)
};

/// Output of `subscription_trie::match`. Reuse one across calls: `match` clears it, and once its
/// vectors have grown, matching allocates nothing.
class match_result {
 public:
  std::vector<subscriber_match> subscribers;  // sorted by session
  std::vector<std::uint32_t> identifiers;

  std::span<const std::uint32_t> identifiers_of(const subscriber_match& m) const noexcept {
    return std::span<const std::uint32_t>(identifiers).subspan(m.ids_begin, m.ids_end - m.ids_begin);
  }

 private:
  friend class subscription_trie;
  std::vector<subscription> hits_;  // one per matching subscription, before merging
};

/// Filter → subscriptions, with shared subscriptions (`$share/<group>/<filter>`).
///
/// Rules:
///  - One subscription per (session, filter): subscribing again replaces the options.
///  - `match` finds every subscription whose filter matches the topic (topic.hpp's rules: `+`,
///    `#`, `$` topics, and `a/#` matching `a` only if `hash_matches_parent`), skips No Local
///    subscriptions of the publishing session, and merges a session's subscriptions into one
///    delivery with the highest QoS and all Subscription Identifiers. (MQTT 5 §3.3.4 allows one
///    delivery per subscription or one per session; one per session spares the client
///    duplicates, and is what AWS IoT does.)
///  - A shared group (same group name and filter) gets each message once: members take turns in
///    subscription order (round robin, deterministic), skipping members the availability
///    predicate reports as unavailable (offline) unless all are. A session reached through a
///    shared group and a plain subscription gets the message once.
///  - Nodes left without subscriptions are removed.
/// Thread safety: none; owned by one broker.
class subscription_trie {
 public:
  explicit subscription_trie(bool hash_matches_parent = false);
  ~subscription_trie();
  subscription_trie(const subscription_trie&) = delete;
  subscription_trie& operator=(const subscription_trie&) = delete;

  /// Adds or replaces `s` for a valid filter (topic.hpp); true if it is new.
  bool subscribe(std::string_view filter, const subscription& s);
  /// Removes the session's subscription to `filter`; true if there was one.
  bool unsubscribe(std::string_view filter, session_handle session);

  /// The subscribers of a message on `topic` published by `publisher` (a default handle for
  /// in-process publishes). See the rules above.
  void match(std::string_view topic, session_handle publisher, match_result& out);

  /// Shared groups skip members for which this returns false (default: all available).
  void set_availability(std::function<bool(session_handle)> available) { available_ = std::move(available); }

  /// Number of subscriptions (shared members included).
  std::size_t size() const noexcept { return size_; }

 private:
  struct node;
  struct shared_group;

  void collect(node& n, std::string_view rest, bool at_end, bool dollar_root, session_handle publisher,
               std::vector<subscription>& hits);
  void add_node_hits(node& n, session_handle publisher, std::vector<subscription>& hits);

  std::unique_ptr<node> root_;
  bool hash_matches_parent_;
  std::size_t size_ = 0;
  std::function<bool(session_handle)> available_;
};

}  // namespace lambkin::mqtt
