// SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK (MQTT 5 §3.8–3.11).
#include "emulator/core/mqtt/decode_body.hpp"

#include <string>
#include <utility>

namespace lambkin::mqtt::detail {

decode_result decode_subscribe(packet_reader& r, protocol_version v) {
  subscribe s;
  s.packet_id = packet_id(r, "SUBSCRIBE");
  if (v == protocol_version::v5) r.read_properties(s.props, property_context::subscribe);
  while (r.ok() && !r.at_end()) {
    subscribe_topic t;
    t.filter = r.utf8("topic filter");
    const std::uint8_t opts = r.u8();
    if (!r.ok()) break;
    const std::uint8_t reserved = v == protocol_version::v5 ? 0xC0 : 0xFC;
    if ((opts & reserved) != 0) return decode_error{errc::malformed_packet, "reserved subscription option bits are set"};
    if ((opts & 0x03) == 3) return decode_error{errc::malformed_packet, "subscription with QoS 3"};
    if (((opts >> 4) & 0x03) == 3) return decode_error{errc::malformed_packet, "Retain Handling 3"};
    t.options.max_qos = static_cast<qos_level>(opts & 0x03);
    t.options.no_local = (opts & 0x04) != 0;
    t.options.retain_as_published = (opts & 0x08) != 0;
    t.options.handling = static_cast<retain_handling>((opts >> 4) & 0x03);
    s.topics.push_back(std::move(t));
  }
  if (r.ok() && s.topics.empty()) return decode_error{errc::protocol_error, "SUBSCRIBE without a topic filter"};
  return finish(r, std::move(s));
}

decode_result decode_suback(packet_reader& r, protocol_version v) {
  suback a;
  a.packet_id = packet_id(r, "SUBACK");
  if (v == protocol_version::v5) r.read_properties(a.props, property_context::suback);
  while (r.ok() && !r.at_end()) {
    const std::uint8_t code = r.u8();
    const auto rc = static_cast<reason_code>(code);
    const bool valid = v == protocol_version::v5 ? reason_code_allowed(9, rc) : (code <= 2 || code == 0x80);
    if (!valid) return decode_error{errc::malformed_packet, "invalid SUBACK code " + std::to_string(code)};
    a.reasons.push_back(rc);
  }
  if (r.ok() && a.reasons.empty()) return decode_error{errc::malformed_packet, "SUBACK without a return code"};
  return finish(r, std::move(a));
}

decode_result decode_unsubscribe(packet_reader& r, protocol_version v) {
  unsubscribe u;
  u.packet_id = packet_id(r, "UNSUBSCRIBE");
  if (v == protocol_version::v5) r.read_properties(u.props, property_context::unsubscribe);
  while (r.ok() && !r.at_end()) u.filters.push_back(r.utf8("topic filter"));
  if (r.ok() && u.filters.empty()) return decode_error{errc::protocol_error, "UNSUBSCRIBE without a topic filter"};
  return finish(r, std::move(u));
}

decode_result decode_unsuback(packet_reader& r, protocol_version v) {
  unsuback a;
  a.packet_id = packet_id(r, "UNSUBACK");
  if (v == protocol_version::v5) {
    r.read_properties(a.props, property_context::unsuback);
    while (r.ok() && !r.at_end()) {
      const std::uint8_t code = r.u8();
      const auto rc = static_cast<reason_code>(code);
      if (!reason_code_allowed(11, rc))
        return decode_error{errc::malformed_packet, "invalid UNSUBACK reason code " + std::to_string(code)};
      a.reasons.push_back(rc);
    }
  }
  r.expect_end("UNSUBACK");
  return finish(r, std::move(a));
}

}  // namespace lambkin::mqtt::detail
