#include "emulator/core/mqtt/message.hpp"

#include <utility>

namespace lambkin::mqtt {
namespace {

/// Keeps only the properties that travel with the message (MQTT 5 §3.3.2.3: the server forwards
/// these unaltered; Topic Alias and Subscription Identifiers are the receiving connection's).
properties forwarded(properties&& in) {
  properties out;
  out.payload_format_indicator = in.payload_format_indicator;
  out.content_type = std::move(in.content_type);
  out.response_topic = std::move(in.response_topic);
  out.correlation_data = std::move(in.correlation_data);
  out.user_properties = std::move(in.user_properties);
  return out;
}

}  // namespace

message_ptr make_message(std::string topic, shared_bytes payload, qos_level qos, bool retain,
                         properties props, time_point now) {
  auto m = std::make_shared<message>();
  m->topic = std::move(topic);
  m->payload = std::move(payload);
  m->qos = qos;
  m->retain = retain;
  if (props.message_expiry_interval) m->expires_at = now + seconds(*props.message_expiry_interval);
  m->props = forwarded(std::move(props));
  return m;
}

message_ptr make_message(publish&& p, time_point now) {
  return make_message(std::move(p.topic), std::move(p.payload), p.qos, p.retain, std::move(p.props), now);
}

std::optional<std::uint32_t> remaining_expiry(const message& m, time_point now) noexcept {
  if (!m.expires_at) return std::nullopt;
  if (*m.expires_at <= now) return 0;
  const auto left = std::chrono::ceil<seconds>(*m.expires_at - now).count();
  return static_cast<std::uint32_t>(left);
}

}  // namespace lambkin::mqtt
