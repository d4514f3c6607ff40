#pragma once
// The broker's retained messages on disk (the durable store's `mqtt_retained` table), so that they
// survive a restart when the data directory is on disk. The broker core stays pure: `restore` feeds
// the stored messages to its retained store at start, and `sync` (called after every broker input)
// queues the topics the core reports changed (`retained_store::take_changes`) into the durable
// store's current batch — the batch the MQTT writers wait for before sending the PUBACK of the
// PUBLISH that changed them.
//
// Each message is kept as its MQTT 5 PUBLISH packet (the core's own encoder and decoder: topic,
// payload, QoS and the properties that travel with it) plus its expiry as wall-clock time, since
// the steady clock does not carry over a restart.
//
// Thread safety: the io_context's thread.
#include "emulator/core/mqtt/broker.hpp"
#include "emulator/io/store/async_event_store.hpp"
#include "lambkin/clock.hpp"

#include <cstddef>
#include <cstdint>

namespace lambkin::io::mqtt {

namespace core = lambkin::mqtt;

class retained_persistence {
 public:
  retained_persistence(core::broker& broker, store::async_event_store& store) : broker_(broker), store_(store) {}

  /// Loads the stored retained messages (those not yet expired at `wall_ms`) into the broker and
  /// turns on change tracking. Returns how many were restored.
  std::size_t restore(time_point now, std::int64_t wall_ms);
  /// Queues what changed since the last call: a stored or replaced message, or an erased topic.
  void sync(time_point now, std::int64_t wall_ms);

 private:
  core::broker& broker_;
  store::async_event_store& store_;
};

}  // namespace lambkin::io::mqtt
