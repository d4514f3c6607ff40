#pragma once
// The few MQTT 3.1.1 packets the load generator (mqtt_load.hpp) sends and reads, written here
// rather than taken from lambkin's codec: the generator drives mosquitto and lambkin alike and
// must not share lambkin's bugs. Encoders append to a byte vector (so that a client batches many
// packets into one write); `next_packet` splits a byte stream into packets.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace lambkin::bench::wire {

using bytes = std::vector<std::uint8_t>;

enum packet_type : std::uint8_t {
  connect_type = 1,
  connack_type = 2,
  publish_type = 3,
  puback_type = 4,
  subscribe_type = 8,
  suback_type = 9,
  pingresp_type = 13,
  disconnect_type = 14,
};

inline void put_u16(bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

inline void put_string(bytes& out, std::string_view s) {
  put_u16(out, static_cast<std::uint16_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

inline void put_remaining_length(bytes& out, std::size_t n) {
  do {
    auto b = static_cast<std::uint8_t>(n % 128);
    n /= 128;
    if (n > 0) b |= 0x80;
    out.push_back(b);
  } while (n > 0);
}

/// `mqtt_bench --persistent`: every CONNECT asks for a persistent session (Clean Session 0).
inline bool persistent_sessions = false;

/// CONNECT, MQTT 3.1.1, clean session (unless `persistent_sessions`), no will, no credentials.
inline void connect(bytes& out, std::string_view client_id, std::uint16_t keep_alive_s) {
  out.push_back(0x10);
  put_remaining_length(out, 10 + 2 + client_id.size());
  put_string(out, "MQTT");
  out.push_back(4);                                  // protocol level 3.1.1
  out.push_back(persistent_sessions ? 0x00 : 0x02);  // clean session
  put_u16(out, keep_alive_s);
  put_string(out, client_id);
}

inline void subscribe(bytes& out, std::uint16_t packet_id, std::string_view filter, int qos) {
  out.push_back(0x82);
  put_remaining_length(out, 2 + 2 + filter.size() + 1);
  put_u16(out, packet_id);
  put_string(out, filter);
  out.push_back(static_cast<std::uint8_t>(qos));
}

/// The fixed header, topic and packet id of a PUBLISH whose payload (`payload_size` bytes) the
/// caller appends right after.
inline void publish_head(bytes& out, std::string_view topic, int qos, std::uint16_t packet_id,
                         std::size_t payload_size) {
  out.push_back(static_cast<std::uint8_t>(0x30 | (qos << 1)));
  put_remaining_length(out, 2 + topic.size() + (qos > 0 ? 2 : 0) + payload_size);
  put_string(out, topic);
  if (qos > 0) put_u16(out, packet_id);
}

inline void puback(bytes& out, std::uint16_t packet_id) {
  out.push_back(0x40);
  out.push_back(2);
  put_u16(out, packet_id);
}

inline void disconnect(bytes& out) {
  out.push_back(0xe0);
  out.push_back(0);
}

/// One packet found in a byte stream: its first byte, and its variable header + payload.
struct packet_view {
  std::uint8_t first = 0;
  std::span<const std::uint8_t> body;
  std::size_t total = 0;  // bytes the packet occupies in the stream
  std::uint8_t type() const { return first >> 4; }
};

/// The packet at the start of `in`, or nullopt when it is not complete yet. Sets `malformed` for
/// a remaining length over four bytes.
inline std::optional<packet_view> next_packet(std::span<const std::uint8_t> in, bool& malformed) {
  if (in.size() < 2) return std::nullopt;
  std::size_t length = 0, shift = 0, i = 1;
  for (;; ++i) {
    if (i >= in.size()) return std::nullopt;
    if (i > 4) {
      malformed = true;
      return std::nullopt;
    }
    length |= static_cast<std::size_t>(in[i] & 0x7f) << shift;
    shift += 7;
    if ((in[i] & 0x80) == 0) break;
  }
  const std::size_t header = i + 1;
  if (in.size() < header + length) return std::nullopt;
  return packet_view{in[0], in.subspan(header, length), header + length};
}

inline std::uint16_t get_u16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

}  // namespace lambkin::bench::wire
