#pragma once
// Retained messages: one per topic (reference/mqtt-iot.md §1.3; MQTT 5 §3.3.1.3).
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/profile.hpp"
#include "lambkin/clock.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lambkin::mqtt {

/// A stored retained message and when it was stored (ListRetainedMessages' lastModifiedTime).
struct retained_entry {
  message_ptr msg;
  time_point stored_at{};
};

/// Topic → the last retained message published on it.
///
/// Rules:
///  - `store` keeps a retained message, replacing the topic's previous one; an empty payload
///    deletes the topic's message instead (and is not stored).
///  - `match(filter)` returns what a new subscription to `filter` receives: with
///    `retained_exact_match_only` (AWS) only the message whose topic equals the filter; else every
///    message whose topic the filter matches (topic.hpp's rules, incl. `$` and `a/#`).
///  - Expired messages (Message Expiry) are never returned and are dropped when met.
/// Thread safety: none; owned by one broker.
class retained_store {
 public:
  explicit retained_store(profile p = {});

  /// Stores or (empty payload) deletes; true if something was stored.
  bool store(const message_ptr& m, time_point now);
  /// Deletes the topic's message; true if there was one.
  bool erase(std::string_view topic);

  /// Appends the messages a subscription to `filter` (valid, not shared) receives, by topic.
  void match(std::string_view filter, time_point now, std::vector<message_ptr>& out);

  /// GetRetainedMessage: the topic's message, or nullptr.
  const retained_entry* find(std::string_view topic, time_point now);
  /// ListRetainedMessages: every live entry, by topic.
  std::vector<retained_entry> list(time_point now);

  /// Drops every expired message; returns how many.
  std::size_t expire(time_point now);
  std::size_t size() const noexcept { return entries_.size(); }

  /// Change tracking, for a shell that keeps the store on disk: once on, every topic `store` or
  /// `erase` changed is remembered (expired messages dropped on the way are not: they are dropped
  /// again when restored) until `take_changes` returns them, by topic.
  void track_changes(bool on) noexcept { tracking_ = on; }
  bool has_changes() const noexcept { return !changed_.empty(); }
  std::vector<std::string> take_changes();

 private:
  using map = std::map<std::string, retained_entry, std::less<>>;
  /// True (and erases it) if the entry at `it` has expired.
  bool drop_if_expired(map::iterator it, time_point now);

  profile profile_;
  map entries_;
  bool tracking_ = false;
  std::set<std::string, std::less<>> changed_;
};

}  // namespace lambkin::mqtt
