#pragma once
// Internal to the encoder: MQTT's primitive data types written to a sink. One template serves
// both passes of `encode` — counting (size_sink) and appending (vector_sink) — so the size
// computed for the Remaining Length can never disagree with the bytes written.
#include "emulator/core/mqtt/properties.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace lambkin::mqtt::wire {

struct size_sink {
  std::size_t size = 0;
  bool overflow = false;  // a field did not fit its wire type
  void put(std::uint8_t) noexcept { ++size; }
  void put(std::string_view bytes) noexcept { size += bytes.size(); }
};

struct vector_sink {
  std::vector<std::uint8_t>& out;
  bool overflow = false;
  void put(std::uint8_t b) { out.push_back(b); }
  void put(std::string_view bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
};

template <class Sink>
void u16(Sink& s, std::uint16_t v) {
  s.put(static_cast<std::uint8_t>(v >> 8));
  s.put(static_cast<std::uint8_t>(v & 0xFF));
}

template <class Sink>
void u32(Sink& s, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s.put(static_cast<std::uint8_t>((v >> shift) & 0xFF));
}

/// Variable Byte Integer (MQTT 5 §1.5.5), at most 4 bytes.
template <class Sink>
void varint(Sink& s, std::uint32_t v) {
  if (v > 268'435'455) s.overflow = true;
  do {
    std::uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    s.put(b);
  } while (v != 0);
}

constexpr std::size_t varint_size(std::uint32_t v) noexcept {
  return v < 128 ? 1 : v < 16'384 ? 2 : v < 2'097'152 ? 3 : 4;
}

/// UTF-8 string or binary data: 2-byte length, then the bytes.
template <class Sink>
void str(Sink& s, std::string_view v) {
  if (v.size() > 0xFFFF) s.overflow = true;
  u16(s, static_cast<std::uint16_t>(v.size()));
  s.put(v);
}

template <class Sink>
void property_body(Sink& s, const properties& p) {
  auto id = [&](property_id i) { s.put(static_cast<std::uint8_t>(i)); };
  auto byte_prop = [&](property_id i, const auto& v) {
    if (v) {
      id(i);
      s.put(static_cast<std::uint8_t>(*v));
    }
  };
  auto u16_prop = [&](property_id i, const std::optional<std::uint16_t>& v) {
    if (v) {
      id(i);
      u16(s, *v);
    }
  };
  auto u32_prop = [&](property_id i, const std::optional<std::uint32_t>& v) {
    if (v) {
      id(i);
      u32(s, *v);
    }
  };
  auto str_prop = [&](property_id i, const std::optional<std::string>& v) {
    if (v) {
      id(i);
      str(s, *v);
    }
  };
  byte_prop(property_id::payload_format_indicator, p.payload_format_indicator);
  u32_prop(property_id::message_expiry_interval, p.message_expiry_interval);
  str_prop(property_id::content_type, p.content_type);
  str_prop(property_id::response_topic, p.response_topic);
  str_prop(property_id::correlation_data, p.correlation_data);
  for (auto sid : p.subscription_identifiers) {
    id(property_id::subscription_identifier);
    varint(s, sid);
  }
  u32_prop(property_id::session_expiry_interval, p.session_expiry_interval);
  str_prop(property_id::assigned_client_identifier, p.assigned_client_identifier);
  u16_prop(property_id::server_keep_alive, p.server_keep_alive);
  str_prop(property_id::authentication_method, p.authentication_method);
  str_prop(property_id::authentication_data, p.authentication_data);
  byte_prop(property_id::request_problem_information, p.request_problem_information);
  u32_prop(property_id::will_delay_interval, p.will_delay_interval);
  byte_prop(property_id::request_response_information, p.request_response_information);
  str_prop(property_id::response_information, p.response_information);
  str_prop(property_id::server_reference, p.server_reference);
  str_prop(property_id::reason_string, p.reason_string);
  u16_prop(property_id::receive_maximum, p.receive_maximum);
  u16_prop(property_id::topic_alias_maximum, p.topic_alias_maximum);
  u16_prop(property_id::topic_alias, p.topic_alias);
  byte_prop(property_id::maximum_qos, p.maximum_qos);
  byte_prop(property_id::retain_available, p.retain_available);
  for (const auto& up : p.user_properties) {
    id(property_id::user_property);
    str(s, up.name);
    str(s, up.value);
  }
  u32_prop(property_id::maximum_packet_size, p.maximum_packet_size);
  byte_prop(property_id::wildcard_subscription_available, p.wildcard_subscription_available);
  byte_prop(property_id::subscription_identifier_available, p.subscription_identifier_available);
  byte_prop(property_id::shared_subscription_available, p.shared_subscription_available);
}

/// Property Length followed by the properties.
template <class Sink>
void properties_block(Sink& s, const properties& p) {
  size_sink len;
  property_body(len, p);
  varint(s, static_cast<std::uint32_t>(len.size));
  if (len.size > 268'435'455) s.overflow = true;
  property_body(s, p);
}

}  // namespace lambkin::mqtt::wire
