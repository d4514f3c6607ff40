// CONNECT and CONNACK bodies (MQTT 5 §3.1–3.2, 3.1.1 §3.1–3.2).
#include "emulator/core/mqtt/decode_body.hpp"

#include <string>
#include <utility>

namespace lambkin::mqtt::detail {

decode_result decode_connect(packet_reader& r, std::optional<protocol_version>& version) {
  const std::string name = r.binary();
  const std::uint8_t level = r.u8();
  if (!r.ok()) return *r.error();
  if (name == "MQIsdp") return decode_error{errc::unsupported_protocol_version, "MQTT 3.1 (MQIsdp) is not supported"};
  if (name != "MQTT") return decode_error{errc::malformed_packet, "unknown protocol name"};
  if (level != 4 && level != 5)
    return decode_error{errc::unsupported_protocol_version,
                        "protocol level " + std::to_string(level) + " is not supported (4 = 3.1.1, 5 = 5)"};
  const auto v = static_cast<protocol_version>(level);

  const std::uint8_t flags = r.u8();
  if (!r.ok()) return *r.error();
  const bool has_will = (flags & 0x04) != 0;
  const auto will_qos = static_cast<unsigned>((flags >> 3) & 0x03);
  const bool will_retain = (flags & 0x20) != 0;
  const bool has_password = (flags & 0x40) != 0;
  const bool has_username = (flags & 0x80) != 0;
  if ((flags & 0x01) != 0) return decode_error{errc::malformed_packet, "CONNECT reserved flag is set"};
  if (!has_will && (will_qos != 0 || will_retain))
    return decode_error{errc::malformed_packet, "Will QoS or Will Retain set without a Will"};
  if (will_qos == 3) return decode_error{errc::malformed_packet, "Will QoS 3"};
  if (v == protocol_version::v311 && has_password && !has_username)
    return decode_error{errc::malformed_packet, "password without user name"};

  connect c;
  c.version = v;
  c.clean_start = (flags & 0x02) != 0;
  c.keep_alive = r.u16();
  if (v == protocol_version::v5) r.read_properties(c.props, property_context::connect);
  c.client_id = r.utf8("client identifier");
  if (has_will) {
    will_message w;
    w.qos = static_cast<qos_level>(will_qos);
    w.retain = will_retain;
    if (v == protocol_version::v5) r.read_properties(w.props, property_context::will);
    w.topic = r.utf8("will topic");
    w.payload = r.binary();
    c.will = std::move(w);
  }
  if (has_username) c.username = r.utf8("user name");
  if (has_password) c.password = r.binary();
  r.expect_end("CONNECT");
  if (!r.ok()) return *r.error();
  version = v;
  return packet{std::move(c)};
}

decode_result decode_connack(packet_reader& r, protocol_version v) {
  const std::uint8_t flags = r.u8();
  const std::uint8_t code = r.u8();
  if (!r.ok()) return *r.error();
  if ((flags & 0xFE) != 0) return decode_error{errc::malformed_packet, "CONNACK reserved flags are set"};
  connack a;
  a.session_present = (flags & 0x01) != 0;
  if (v == protocol_version::v311) {
    const auto rc = from_connack_return_code_311(code);
    if (!rc) return decode_error{errc::malformed_packet, "reserved CONNACK return code " + std::to_string(code)};
    a.reason = *rc;
  } else {
    a.reason = static_cast<reason_code>(code);
    if (!reason_code_allowed(2, a.reason))
      return decode_error{errc::malformed_packet, "invalid CONNACK reason code " + std::to_string(code)};
    r.read_properties(a.props, property_context::connack);
  }
  if (a.session_present && a.reason != reason_code::success)
    return decode_error{errc::malformed_packet, "session present on a refused CONNACK"};
  r.expect_end("CONNACK");
  return finish(r, std::move(a));
}

}  // namespace lambkin::mqtt::detail
