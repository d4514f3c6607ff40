// Framing (fixed header, Remaining Length, buffering of split bodies) and dispatch to the
// per-packet body decoders. A body that arrives whole in one feed is decoded in place, unbuffered.
#include "emulator/core/mqtt/decoder.hpp"

#include "emulator/core/mqtt/decode_body.hpp"

#include <algorithm>
#include <utility>

namespace lambkin::mqtt {
namespace {

decode_result decode_empty(packet_reader& r, packet p, std::string_view name) {
  r.expect_end(name);
  return detail::finish(r, std::move(p));
}

template <class P>
decode_result decode_reason_only(packet_reader& r, protocol_version v, property_context ctx,
                                 std::string_view name) {
  P p;
  if (v == protocol_version::v5 && !r.at_end()) {
    const std::uint8_t code = r.u8();
    p.reason = static_cast<reason_code>(code);
    if (!reason_code_allowed(static_cast<std::uint8_t>(ctx), p.reason))
      r.fail(errc::malformed_packet, "invalid " + std::string(name) + " reason code " + std::to_string(code));
    if (r.ok() && !r.at_end()) r.read_properties(p.props, ctx);
  }
  r.expect_end(name);
  return detail::finish(r, std::move(p));
}

}  // namespace

decode_result decode_packet(std::uint8_t first_byte, std::span<const std::uint8_t> body,
                            std::optional<protocol_version>& version) {
  const auto type_number = static_cast<unsigned>(first_byte >> 4);
  const auto flags = static_cast<std::uint8_t>(first_byte & 0x0F);
  if (type_number == 0) return decode_error{errc::malformed_packet, "reserved packet type 0"};
  const auto type = static_cast<packet_type>(type_number);
  if (type != packet_type::publish) {
    const bool needs_0010 =
        type == packet_type::pubrel || type == packet_type::subscribe || type == packet_type::unsubscribe;
    if (flags != (needs_0010 ? 0x02 : 0x00))
      return decode_error{errc::malformed_packet, "invalid fixed header flags for " + std::string(to_string(type))};
  }
  packet_reader r(body);
  if (type == packet_type::connect) return detail::decode_connect(r, version);
  if (!version) return decode_error{errc::protocol_error, "the first packet must be CONNECT"};
  const protocol_version v = *version;
  switch (type) {
    case packet_type::connect: break;  // handled above
    case packet_type::connack: return detail::decode_connack(r, v);
    case packet_type::publish: return detail::decode_publish(r, flags, v);
    case packet_type::puback:
    case packet_type::pubrec:
    case packet_type::pubrel:
    case packet_type::pubcomp:
      return detail::decode_publish_response(r, type, v);
    case packet_type::subscribe: return detail::decode_subscribe(r, v);
    case packet_type::suback: return detail::decode_suback(r, v);
    case packet_type::unsubscribe: return detail::decode_unsubscribe(r, v);
    case packet_type::unsuback: return detail::decode_unsuback(r, v);
    case packet_type::pingreq: return decode_empty(r, pingreq{}, "PINGREQ");
    case packet_type::pingresp: return decode_empty(r, pingresp{}, "PINGRESP");
    case packet_type::disconnect:
      return decode_reason_only<disconnect>(r, v, property_context::disconnect, "DISCONNECT");
    case packet_type::auth:
      if (v == protocol_version::v311) return decode_error{errc::malformed_packet, "AUTH is reserved in MQTT 3.1.1"};
      return decode_reason_only<auth>(r, v, property_context::auth, "AUTH");
  }
  return decode_error{errc::malformed_packet, "unknown packet type"};
}

decoder::decoder(decoder_options options) : options_(options), version_(options.version) {}

decode_result decoder::fail(errc code, std::string reason) {
  stage_ = stage::failed;
  error_ = std::make_unique<decode_error>(decode_error{code, std::move(reason)});
  body_.reset();
  return *error_;
}

decode_result decoder::finish(std::span<const std::uint8_t> body) {
  decode_result r = decode_packet(first_byte_, body, version_);
  if (const auto* e = std::get_if<decode_error>(&r)) return fail(e->code, e->reason);
  stage_ = stage::header;
  body_.reset();
  return r;
}

decode_result decoder::feed(std::span<const std::uint8_t>& in) {
  while (true) {
    switch (stage_) {
      case stage::failed: return *error_;
      case stage::header:
        if (in.empty()) return need_more{};
        first_byte_ = in.front();
        in = in.subspan(1);
        remaining_ = 0;
        length_bytes_ = 0;
        stage_ = stage::length;
        break;
      case stage::length: {
        if (in.empty()) return need_more{};
        const std::uint8_t b = in.front();
        in = in.subspan(1);
        remaining_ |= static_cast<std::uint32_t>(b & 0x7F) << (7 * length_bytes_);
        ++length_bytes_;
        if ((b & 0x80) != 0) {
          if (length_bytes_ == 4) return fail(errc::malformed_packet, "remaining length longer than 4 bytes");
          break;
        }
        if (b == 0 && length_bytes_ > 1) return fail(errc::malformed_packet, "remaining length not minimally encoded");
        // The limit is checked before a single body byte is buffered.
        const std::uint64_t total = 1ULL + length_bytes_ + remaining_;
        if (total > options_.max_packet_size)
          return fail(errc::packet_too_large, "packet of " + std::to_string(total) + " bytes exceeds the maximum of " +
                                                  std::to_string(options_.max_packet_size));
        if (remaining_ == 0) return finish({});
        stage_ = stage::body;
        break;
      }
      case stage::body: {
        if (!body_ && in.size() >= remaining_) {  // the whole body is here: no copy
          const auto body = in.first(remaining_);
          in = in.subspan(remaining_);
          return finish(body);
        }
        if (!body_) {
          body_ = std::make_unique<std::vector<std::uint8_t>>();
          body_->reserve(std::min<std::size_t>(remaining_, 64 * 1024));  // grows as bytes arrive
        }
        const std::size_t take = std::min<std::size_t>(in.size(), remaining_ - body_->size());
        body_->insert(body_->end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(take));
        in = in.subspan(take);
        if (body_->size() < remaining_) return need_more{};
        return finish(*body_);
      }
    }
  }
}

}  // namespace lambkin::mqtt
