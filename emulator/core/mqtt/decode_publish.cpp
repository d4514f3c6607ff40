// PUBLISH and its responses PUBACK, PUBREC, PUBREL, PUBCOMP (MQTT 5 §3.3–3.7).
#include "emulator/core/mqtt/decode_body.hpp"

#include <string>
#include <utility>

namespace lambkin::mqtt::detail {

decode_result decode_publish(packet_reader& r, std::uint8_t flags, protocol_version v) {
  publish p;
  p.dup = (flags & 0x08) != 0;
  p.retain = (flags & 0x01) != 0;
  const auto q = static_cast<unsigned>((flags >> 1) & 0x03);
  if (q == 3) return decode_error{errc::malformed_packet, "PUBLISH with QoS 3"};
  p.qos = static_cast<qos_level>(q);
  if (p.dup && p.qos == qos0) return decode_error{errc::malformed_packet, "DUP set on a QoS 0 PUBLISH"};
  p.topic = r.utf8("topic name");
  if (p.qos != qos0) p.packet_id = packet_id(r, "PUBLISH");
  if (v == protocol_version::v5) r.read_properties(p.props, property_context::publish);
  if (!r.ok()) return *r.error();
  p.payload = shared_bytes(r.rest());
  return packet{std::move(p)};
}

namespace {

template <class R>
decode_result response(packet_reader& r, protocol_version v, property_context ctx, std::string_view name) {
  R a;
  a.packet_id = packet_id(r, name);
  if (v == protocol_version::v5 && r.ok() && !r.at_end()) {
    const std::uint8_t code = r.u8();
    a.reason = static_cast<reason_code>(code);
    if (!reason_code_allowed(static_cast<std::uint8_t>(ctx), a.reason))
      r.fail(errc::malformed_packet, "invalid " + std::string(name) + " reason code " + std::to_string(code));
    if (r.ok() && !r.at_end()) r.read_properties(a.props, ctx);
  }
  r.expect_end(name);
  return finish(r, std::move(a));
}

}  // namespace

decode_result decode_publish_response(packet_reader& r, packet_type type, protocol_version v) {
  switch (type) {
    case packet_type::puback: return response<puback>(r, v, property_context::puback, "PUBACK");
    case packet_type::pubrec: return response<pubrec>(r, v, property_context::pubrec, "PUBREC");
    case packet_type::pubrel: return response<pubrel>(r, v, property_context::pubrel, "PUBREL");
    default: return response<pubcomp>(r, v, property_context::pubcomp, "PUBCOMP");
  }
}

}  // namespace lambkin::mqtt::detail
