// Primitive reads and the MQTT 5 property block (identifier table, duplicate and value checks).
#include "emulator/core/mqtt/packet_reader.hpp"

#include "emulator/core/mqtt/utf8.hpp"

#include <utility>

namespace lambkin::mqtt {

void packet_reader::fail(errc code, std::string reason) {
  if (!error_) error_ = decode_error{code, std::move(reason)};
  pos_ = data_.size();  // nothing more is read after a failure
}

bool packet_reader::take(std::size_t n, std::string_view what) {
  if (error_) return false;
  if (remaining() < n) {
    fail(errc::malformed_packet, "truncated " + std::string(what));
    return false;
  }
  return true;
}

std::uint8_t packet_reader::u8() {
  if (!take(1, "byte")) return 0;
  return data_[pos_++];
}

std::uint16_t packet_reader::u16() {
  if (!take(2, "two-byte integer")) return 0;
  const auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

std::uint32_t packet_reader::u32() {
  if (!take(4, "four-byte integer")) return 0;
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | data_[pos_++];
  return v;
}

std::uint32_t packet_reader::varint() {
  std::uint32_t value = 0;
  for (unsigned i = 0; i < 4; ++i) {
    if (!take(1, "variable byte integer")) return 0;
    const std::uint8_t b = data_[pos_++];
    value |= static_cast<std::uint32_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      if (b == 0 && i > 0) {
        fail(errc::malformed_packet, "variable byte integer not minimally encoded");
        return 0;
      }
      return value;
    }
  }
  fail(errc::malformed_packet, "variable byte integer longer than 4 bytes");
  return 0;
}

std::string packet_reader::binary() {
  const std::uint16_t len = u16();
  if (!take(len, "string")) return {};
  std::string s(reinterpret_cast<const char*>(data_.data() + pos_), len);
  pos_ += len;
  return s;
}

std::string packet_reader::utf8(std::string_view what) {
  std::string s = binary();
  if (ok() && !is_valid_utf8(s)) fail(errc::malformed_packet, "invalid UTF-8 in " + std::string(what));
  return s;
}

std::string_view packet_reader::rest() noexcept {
  std::string_view v(reinterpret_cast<const char*>(data_.data() + pos_), remaining());
  pos_ = data_.size();
  return v;
}

void packet_reader::expect_end(std::string_view packet_name) {
  if (ok() && !at_end()) fail(errc::malformed_packet, "trailing bytes in " + std::string(packet_name));
}

void packet_reader::read_properties(properties& out, property_context ctx) {
  const std::uint32_t length = varint();
  if (!ok()) return;
  if (length > remaining()) {
    fail(errc::malformed_packet, "property length past the end of the packet");
    return;
  }
  // Read the block through a sub-reader so a property can never run past its block.
  packet_reader block(data_.subspan(pos_, length));
  pos_ += length;
  std::uint64_t seen = 0;
  while (block.ok() && !block.at_end()) block.read_property(out, ctx, seen);
  if (block.error_) fail(block.error_->code, block.error_->reason);
}

void packet_reader::read_property(properties& out, property_context ctx, std::uint64_t& seen) {
  const std::uint32_t raw = varint();
  if (!ok()) return;
  const auto id = static_cast<property_id>(raw);
  const std::string_view name = to_string(id);
  if (raw > 0x2A || name == "Unknown property") {
    fail(errc::malformed_packet, "unknown property identifier " + std::to_string(raw));
    return;
  }
  if (!property_allowed(id, ctx)) {
    fail(errc::malformed_packet, std::string(name) + " is not allowed here");
    return;
  }
  const bool repeatable = id == property_id::user_property ||
                          (id == property_id::subscription_identifier && ctx == property_context::publish);
  const std::uint64_t bit = std::uint64_t{1} << raw;
  if (!repeatable && (seen & bit) != 0) {
    fail(errc::protocol_error, std::string(name) + " appears twice");
    return;
  }
  seen |= bit;

  auto flag = [&](std::optional<bool>& field) {
    const std::uint8_t v = u8();
    if (v > 1) fail(errc::protocol_error, std::string(name) + " must be 0 or 1");
    field = v == 1;
  };
  auto nonzero16 = [&](std::optional<std::uint16_t>& field) {
    field = u16();
    if (ok() && *field == 0) fail(errc::protocol_error, std::string(name) + " must not be 0");
  };
  switch (id) {
    case property_id::payload_format_indicator: {
      const std::uint8_t v = u8();
      if (v > 1) fail(errc::protocol_error, "Payload Format Indicator must be 0 or 1");
      out.payload_format_indicator = static_cast<payload_format>(v);
      break;
    }
    case property_id::message_expiry_interval: out.message_expiry_interval = u32(); break;
    case property_id::content_type: out.content_type = utf8(name); break;
    case property_id::response_topic: out.response_topic = utf8(name); break;
    case property_id::correlation_data: out.correlation_data = binary(); break;
    case property_id::subscription_identifier: {
      const std::uint32_t v = varint();
      if (ok() && v == 0) fail(errc::protocol_error, "Subscription Identifier must not be 0");
      out.subscription_identifiers.push_back(v);
      break;
    }
    case property_id::session_expiry_interval: out.session_expiry_interval = u32(); break;
    case property_id::assigned_client_identifier: out.assigned_client_identifier = utf8(name); break;
    case property_id::server_keep_alive: out.server_keep_alive = u16(); break;
    case property_id::authentication_method: out.authentication_method = utf8(name); break;
    case property_id::authentication_data: out.authentication_data = binary(); break;
    case property_id::request_problem_information: flag(out.request_problem_information); break;
    case property_id::will_delay_interval: out.will_delay_interval = u32(); break;
    case property_id::request_response_information: flag(out.request_response_information); break;
    case property_id::response_information: out.response_information = utf8(name); break;
    case property_id::server_reference: out.server_reference = utf8(name); break;
    case property_id::reason_string: out.reason_string = utf8(name); break;
    case property_id::receive_maximum: nonzero16(out.receive_maximum); break;
    case property_id::topic_alias_maximum: out.topic_alias_maximum = u16(); break;
    case property_id::topic_alias: nonzero16(out.topic_alias); break;
    case property_id::maximum_qos: {
      const std::uint8_t v = u8();
      if (v > 1) fail(errc::protocol_error, "Maximum QoS must be 0 or 1");
      out.maximum_qos = v;
      break;
    }
    case property_id::retain_available: flag(out.retain_available); break;
    case property_id::user_property: {
      std::string key = utf8("User Property name");
      std::string value = utf8("User Property value");
      out.user_properties.push_back(user_property{std::move(key), std::move(value)});
      break;
    }
    case property_id::maximum_packet_size:
      out.maximum_packet_size = u32();
      if (ok() && *out.maximum_packet_size == 0) fail(errc::protocol_error, "Maximum Packet Size must not be 0");
      break;
    case property_id::wildcard_subscription_available: flag(out.wildcard_subscription_available); break;
    case property_id::subscription_identifier_available: flag(out.subscription_identifier_available); break;
    case property_id::shared_subscription_available: flag(out.shared_subscription_available); break;
  }
}

}  // namespace lambkin::mqtt
