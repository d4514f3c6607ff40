// Two passes over the packet with the same writer: count (for the Remaining Length), then append.
#include "emulator/core/mqtt/encoder.hpp"

#include "emulator/core/mqtt/wire_writer.hpp"
#include "lambkin/error.hpp"

#include <algorithm>
#include <type_traits>

namespace lambkin::mqtt {
namespace {

constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

template <class T>
constexpr bool is_publish_response_v = std::is_same_v<T, puback> || std::is_same_v<T, pubrec> ||
                                       std::is_same_v<T, pubrel> || std::is_same_v<T, pubcomp>;

/// Fixed-header flags (the low nibble). PUBLISH carries DUP/QoS/RETAIN; PUBREL, SUBSCRIBE and
/// UNSUBSCRIBE the reserved value 0b0010; everything else 0.
std::uint8_t flags_of(const packet& p) {
  if (const auto* pub = std::get_if<publish>(&p))
    return static_cast<std::uint8_t>((pub->dup ? 0x08 : 0) | (static_cast<unsigned>(pub->qos) << 1) |
                                     (pub->retain ? 0x01 : 0));
  if (std::holds_alternative<pubrel>(p) || std::holds_alternative<subscribe>(p) ||
      std::holds_alternative<unsubscribe>(p))
    return 0x02;
  return 0;
}

template <class Sink>
struct body_writer {
  Sink& s;
  protocol_version v;

  void props(const properties& p) {
    if (v == v5) wire::properties_block(s, p);
  }

  void operator()(const connect& c) {
    wire::str(s, "MQTT");
    s.put(static_cast<std::uint8_t>(v));
    std::uint8_t flags = c.clean_start ? 0x02 : 0;
    if (c.will) {
      flags |= 0x04;
      flags |= static_cast<std::uint8_t>(static_cast<unsigned>(c.will->qos) << 3);
      if (c.will->retain) flags |= 0x20;
    }
    if (c.password) flags |= 0x40;
    if (c.username) flags |= 0x80;
    s.put(flags);
    wire::u16(s, c.keep_alive);
    props(c.props);
    wire::str(s, c.client_id);
    if (c.will) {
      props(c.will->props);
      wire::str(s, c.will->topic);
      wire::str(s, c.will->payload.view());
    }
    if (c.username) wire::str(s, *c.username);
    if (c.password) wire::str(s, *c.password);
  }

  void operator()(const connack& c) {
    s.put(c.session_present ? 1 : 0);
    s.put(v == v5 ? static_cast<std::uint8_t>(c.reason) : connack_return_code_311(c.reason));
    props(c.props);
  }

  void operator()(const publish& p) {
    wire::str(s, p.topic);
    if (p.qos != qos0) wire::u16(s, p.packet_id);
    props(p.props);
    s.put(p.payload.view());
  }

  template <class R>
    requires is_publish_response_v<R>
  void operator()(const R& r) {
    wire::u16(s, r.packet_id);
    if (v == v311) return;
    const bool has_props = !r.props.empty();
    if (r.reason == reason_code::success && !has_props) return;
    s.put(static_cast<std::uint8_t>(r.reason));
    if (has_props) wire::properties_block(s, r.props);
  }

  void operator()(const subscribe& sub) {
    wire::u16(s, sub.packet_id);
    props(sub.props);
    for (const auto& t : sub.topics) {
      wire::str(s, t.filter);
      auto opts = static_cast<std::uint8_t>(t.options.max_qos);
      if (v == v5) {
        if (t.options.no_local) opts |= 0x04;
        if (t.options.retain_as_published) opts |= 0x08;
        opts |= static_cast<std::uint8_t>(static_cast<unsigned>(t.options.handling) << 4);
      }
      s.put(opts);
    }
  }

  void operator()(const suback& a) {
    wire::u16(s, a.packet_id);
    props(a.props);
    for (auto rc : a.reasons)
      s.put(v == v5 ? static_cast<std::uint8_t>(rc) : suback_return_code_311(rc));
  }

  void operator()(const unsubscribe& u) {
    wire::u16(s, u.packet_id);
    props(u.props);
    for (const auto& f : u.filters) wire::str(s, f);
  }

  void operator()(const unsuback& a) {
    wire::u16(s, a.packet_id);
    if (v == v311) return;
    props(a.props);
    for (auto rc : a.reasons) s.put(static_cast<std::uint8_t>(rc));
  }

  void operator()(const pingreq&) {}
  void operator()(const pingresp&) {}

  void operator()(const disconnect& d) {
    if (v == v311) return;
    const bool has_props = !d.props.empty();
    if (d.reason == reason_code::normal_disconnection && !has_props) return;
    s.put(static_cast<std::uint8_t>(d.reason));
    if (has_props) wire::properties_block(s, d.props);
  }

  void operator()(const auth& a) {
    if (a.reason == reason_code::success && a.props.empty()) return;
    s.put(static_cast<std::uint8_t>(a.reason));
    if (!a.props.empty()) wire::properties_block(s, a.props);
  }
};

/// Remaining Length, or nullopt if the packet cannot be encoded for `v`.
std::optional<std::uint32_t> body_size(const packet& p, protocol_version v) {
  if (v == v311 && std::holds_alternative<auth>(p)) return std::nullopt;
  wire::size_sink counter;
  std::visit(body_writer<wire::size_sink>{counter, v}, p);
  if (counter.overflow || counter.size > max_remaining_length) return std::nullopt;
  return static_cast<std::uint32_t>(counter.size);
}

}  // namespace

std::error_code encode(const packet& p, protocol_version version, std::vector<std::uint8_t>& out) {
  const auto body = body_size(p, version);
  if (!body) {
    return version == v311 && std::holds_alternative<auth>(p) ? errc::protocol_error
                                                               : errc::packet_too_large;
  }
  // Grow geometrically: `out` is often a connection's write queue with many packets in it, and
  // reserving exactly the packet's size would copy the whole queue again for every packet.
  const std::size_t needed = out.size() + 1 + wire::varint_size(*body) + *body;
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));
  wire::vector_sink sink{out};
  sink.put(static_cast<std::uint8_t>((static_cast<unsigned>(type_of(p)) << 4) | flags_of(p)));
  wire::varint(sink, *body);
  std::visit(body_writer<wire::vector_sink>{sink, version}, p);
  return {};
}

std::size_t encoded_size(const packet& p, protocol_version version) {
  const auto body = body_size(p, version);
  return body ? 1 + wire::varint_size(*body) + *body : 0;
}

}  // namespace lambkin::mqtt
