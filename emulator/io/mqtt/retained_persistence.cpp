#include "emulator/io/mqtt/retained_persistence.hpp"

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"
#include "emulator/io/log.hpp"

#include <chrono>
#include <span>
#include <vector>

namespace lambkin::io::mqtt {

std::size_t retained_persistence::restore(time_point now, std::int64_t wall_ms) {
  std::size_t restored = 0;
  for (const auto& r : store_.retained_messages()) {
    if (r.expires_ms != 0 && r.expires_ms <= wall_ms) continue;
    core::decoder d(core::decoder_options{.version = core::protocol_version::v5});
    std::span<const std::uint8_t> in(reinterpret_cast<const std::uint8_t*>(r.packet.data()), r.packet.size());
    auto result = d.feed(in);
    auto* p = std::get_if<core::packet>(&result);
    auto* pub = p ? std::get_if<core::publish>(p) : nullptr;
    if (!pub) {
      logger("mqtt")->warn("retained message on {}: the stored packet does not decode; dropped", r.topic);
      continue;
    }
    pub->props.message_expiry_interval.reset();
    if (r.expires_ms != 0) pub->props.message_expiry_interval = static_cast<std::uint32_t>((r.expires_ms - wall_ms + 999) / 1000);
    if (broker_.retained().store(core::make_message(std::move(*pub), now), now)) ++restored;
  }
  broker_.retained().track_changes(true);
  return restored;
}

void retained_persistence::sync(time_point now, std::int64_t wall_ms) {
  auto& retained = broker_.retained();
  if (!retained.has_changes()) return;
  for (auto& topic : retained.take_changes()) {
    const auto* entry = retained.find(topic, now);
    if (!entry) {
      store_.erase_retained(std::move(topic));
      continue;
    }
    const auto& m = *entry->msg;
    core::publish p;
    p.topic = m.topic;
    p.payload = m.payload;
    p.qos = m.qos;
    p.retain = true;
    p.packet_id = m.qos == core::qos0 ? 0 : 1;
    p.props = m.props;
    p.props.message_expiry_interval = core::remaining_expiry(m, now);
    std::vector<std::uint8_t> bytes;
    if (core::encode(p, core::protocol_version::v5, bytes)) continue;  // cannot happen: it was decoded
    std::int64_t expires = 0;
    if (m.expires_at)
      expires = wall_ms + std::chrono::duration_cast<std::chrono::milliseconds>(*m.expires_at - now).count();
    store_.put_retained({std::move(topic), std::string(bytes.begin(), bytes.end()), expires});
  }
}

}  // namespace lambkin::io::mqtt
