#pragma once
// Bytes → packets, incrementally: feed whatever the socket delivered (any split, several packets
// at once) and take out packets one by one.
#include "emulator/core/mqtt/packet.hpp"
#include "lambkin/error.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace lambkin::mqtt {

/// The bytes so far end inside a packet; feed more.
struct need_more {
  bool operator==(const need_more&) const = default;
};

/// The stream is broken; the connection must be closed (after a DISCONNECT with
/// `mqtt_reason_code(code)` for MQTT 5, or a CONNACK for a bad CONNECT).
struct decode_error {
  errc code = errc::malformed_packet;  // malformed_packet, protocol_error, packet_too_large,
                                       // unsupported_protocol_version
  std::string reason;                  // for logs and the DISCONNECT's Reason String
  bool operator==(const decode_error&) const = default;
};

using decode_result = std::variant<need_more, packet, decode_error>;

struct decoder_options {
  /// Largest whole packet accepted (fixed header included, as MQTT 5's Maximum Packet Size).
  std::uint32_t max_packet_size = 268'435'460;
  /// Set for a client (it knows the version it connected with). Unset on a server: the
  /// decoder learns it from the CONNECT and refuses anything else before it.
  std::optional<protocol_version> version;
};

/// An incremental MQTT decoder for one connection.
///
/// Checks made here (each failure → `decode_error`, and the decoder stays failed):
///  - fixed header: reserved packet type 0 (and AUTH in 3.1.1), the flags each packet type
///    requires, PUBLISH QoS 3 and DUP on QoS 0 → malformed_packet;
///  - Remaining Length: more than 4 bytes or not minimally encoded → malformed_packet; over
///    `max_packet_size` → packet_too_large, reported as soon as the length is known, before the
///    body is buffered;
///  - body: truncated or trailing bytes, invalid UTF-8 (utf8.hpp), reserved bits, zero packet
///    identifiers, empty SUBSCRIBE/UNSUBSCRIBE, reason codes the packet may not carry →
///    malformed_packet; property not allowed in the packet → malformed_packet; a property twice
///    (other than User Property, and Subscription Identifier in PUBLISH) or an out-of-range
///    value (Receive Maximum 0, Topic Alias 0, a boolean other than 0/1…) → protocol_error;
///  - CONNECT: protocol name "MQTT" with level 4 or 5; MQTT 3.1 ("MQIsdp", level 3) and other
///    levels → unsupported_protocol_version (the broker answers with a 3.1.1 CONNACK, return
///    code 1); a packet other than CONNECT while the version is unknown → protocol_error.
/// Semantic rules (topic syntax, who may send what, topic aliases) are the session's.
///
/// Thread safety: none; one decoder per connection.
class decoder {
 public:
  explicit decoder(decoder_options options = {});

  /// Consumes bytes from the front of `in` up to the end of the next packet and returns it; or
  /// consumes everything and returns `need_more`; or returns the error (the same one on every
  /// later call). Call again while `in` is not empty.
  decode_result feed(std::span<const std::uint8_t>& in);

  /// The protocol version (known after a CONNECT, or from the options).
  std::optional<protocol_version> version() const noexcept { return version_; }
  void set_version(protocol_version v) noexcept { version_ = v; }
  void set_max_packet_size(std::uint32_t bytes) noexcept { options_.max_packet_size = bytes; }
  bool failed() const noexcept { return stage_ == stage::failed; }

 private:
  enum class stage : std::uint8_t { header, length, body, failed };

  decode_result fail(errc code, std::string reason);
  decode_result finish(std::span<const std::uint8_t> body);

  decoder_options options_;
  std::optional<protocol_version> version_;
  stage stage_ = stage::header;
  std::uint8_t first_byte_ = 0;
  std::uint32_t remaining_ = 0;
  std::uint32_t length_bytes_ = 0;
  // A body split across feeds, while it is (held apart: one decoder per connection, issue 5).
  std::unique_ptr<std::vector<std::uint8_t>> body_;
  std::unique_ptr<decode_error> error_;  // once failed (held apart: one decoder per connection)
};

/// Decodes one whole packet body (no fixed header beyond its first byte). `version` is read and,
/// for a CONNECT, written. For tests and the fuzzer; `decoder` uses it.
decode_result decode_packet(std::uint8_t first_byte, std::span<const std::uint8_t> body,
                            std::optional<protocol_version>& version);

}  // namespace lambkin::mqtt
