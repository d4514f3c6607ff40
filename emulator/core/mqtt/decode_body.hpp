#pragma once
// Internal to the decoder: one function per packet body, split by packet family like mosquitto's
// handle_*.c (decode_connect.cpp, decode_publish.cpp, decode_subscribe.cpp; the small ones live
// in decoder.cpp). Each reads the whole body from `r` and returns the packet or the reader's error.
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/packet_reader.hpp"

#include <cstdint>
#include <optional>

namespace lambkin::mqtt::detail {

/// The packet, or the first error `r` recorded.
inline decode_result finish(packet_reader& r, packet p) {
  if (!r.ok()) return *r.error();
  return p;
}

/// Reads a non-zero Packet Identifier.
inline std::uint16_t packet_id(packet_reader& r, std::string_view packet_name) {
  const std::uint16_t id = r.u16();
  if (r.ok() && id == 0) r.fail(errc::malformed_packet, std::string(packet_name) + " packet identifier is 0");
  return id;
}

decode_result decode_connect(packet_reader& r, std::optional<protocol_version>& version);
decode_result decode_connack(packet_reader& r, protocol_version v);
decode_result decode_publish(packet_reader& r, std::uint8_t flags, protocol_version v);
decode_result decode_publish_response(packet_reader& r, packet_type type, protocol_version v);
decode_result decode_subscribe(packet_reader& r, protocol_version v);
decode_result decode_suback(packet_reader& r, protocol_version v);
decode_result decode_unsubscribe(packet_reader& r, protocol_version v);
decode_result decode_unsuback(packet_reader& r, protocol_version v);

}  // namespace lambkin::mqtt::detail
