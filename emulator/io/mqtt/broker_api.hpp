#pragma once
// The broker's in-process API: what the rules engine (subscriptions for topic rules, Republish)
// and the IoT Data API (Publish, GetRetainedMessage, ListRetainedMessages) talk to, with no
// socket in between. Two implementations:
//   - mqtt_server (mqtt_server.hpp): lambkin's own broker; listeners are entries of its
//     subscription trie, retained messages its retained store;
//   - mqtt_bridge (mqtt_bridge.hpp): an external broker (`lambkin run --broker mqtt://…`) through
//     libmosquitto; listeners are subscriptions on that broker, retained messages what lambkin has
//     seen there (see that header for what cannot be answered).
//
// Thread safety: every member is called on the io_context's thread; sinks are called there too.
#include "emulator/core/mqtt/broker.hpp"
#include "emulator/core/mqtt/broker_output.hpp"
#include "emulator/core/mqtt/retained_store.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lambkin::io::mqtt {

namespace core = lambkin::mqtt;

class broker_api {
 public:
  using rule_sink = std::function<void(const core::rule_ingest&)>;
  using listener_sink = std::function<void(const core::listener_message&)>;

  virtual ~broker_api() = default;

  /// Publishes as the broker (to subscribers, retained store and listeners alike). Errors are the
  /// core's errc: topic_name_invalid, packet_too_large, qos_not_supported; server_unavailable
  /// when an external broker is not connected.
  virtual std::error_code publish(core::publish_request request) = 0;
  /// `publish`, with `done` called (on the io_context's thread) once the message is as safe as the
  /// broker can make it: at once for lambkin's own broker (it has routed the message) and for
  /// QoS 0; for QoS 1 on an external broker (bridge mode), when its PUBACK arrives, or with
  /// server_unavailable when the connection is lost first. `done` may be called before this returns.
  using publish_done = std::function<void(std::error_code)>;
  virtual void publish_acknowledged(core::publish_request request, publish_done done) { done(publish(std::move(request))); }
  /// Reports every message matching `filter` to the listener sink; nullopt for an invalid (or
  /// shared) filter.
  virtual std::optional<core::listener_id> add_listener(std::string_view filter) = 0;
  virtual bool remove_listener(core::listener_id id) = 0;
  /// Where Basic Ingest (`$aws/rules/<rule>/…`) messages go; dropped while unset.
  virtual void set_rule_sink(rule_sink sink) = 0;
  /// Where listener messages go; dropped while unset.
  virtual void set_listener_sink(listener_sink sink) = 0;

  /// GetRetainedMessage: the topic's retained message (and when it was stored), or nullopt.
  virtual std::optional<core::retained_entry> find_retained(std::string_view topic) = 0;
  /// ListRetainedMessages: every retained message known, by topic.
  virtual std::vector<core::retained_entry> list_retained() = 0;
  /// Empty when `find_retained`/`list_retained` see every retained message; otherwise one sentence
  /// saying what they cannot see (the IoT Data API appends it to its "not found" answers).
  virtual std::string retained_scope() const { return {}; }
};

}  // namespace lambkin::io::mqtt
