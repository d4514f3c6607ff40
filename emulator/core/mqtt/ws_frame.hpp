#pragma once
// RFC 6455 framing for MQTT over WebSocket (issue 5), pure: decodes a client's frames
// incrementally from arbitrary byte chunks and encodes the server's frames. No sockets, no clock.
//
// MQTT packets and WebSocket frames are independent (MQTT 5 §6.0): the decoder hands over binary
// payload bytes as they come, across frame and message boundaries, for the MQTT decoder to
// reassemble packets. Payload bytes are unmasked in the caller's buffer (no copy); only a control
// frame whose payload is split across chunks is gathered in a small buffer made for it.
//
// What the decoder refuses, with the close code to answer with:
//   - an unmasked frame, reserved bits set (no extension is negotiated), a reserved opcode, a
//     continuation without a message to continue, a new data frame inside a fragmented message,
//     a fragmented or over-125-byte control frame, a non-minimal or 64-bit-with-MSB length, a close
//     payload of one byte or with an invalid code → 1002 (protocol error);
//   - a text frame → 1003: MQTT needs binary frames (MQTT-6.0.0-1);
//   - a close reason that is not UTF-8 → 1007.
// After an error the decoder stays failed (every later call returns the same error).
//
// Typical use (the shell's read path):
//   std::span<std::uint8_t> in(buffer, n);
//   while (!in.empty()) {
//     auto e = decoder.next(in);          // consumes from `in`
//     switch (e.kind) { case ws_event::data: mqtt_decoder.feed(e.payload); … }
//   }
//
// Thread safety: none (one decoder per connection).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace lambkin::mqtt {

/// WebSocket close status codes used here (RFC 6455 §7.4.1).
namespace ws_close {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
/// Never sent: stands for "the peer's close had no status code" (our reply then has none either).
inline constexpr std::uint16_t no_status = 1005;
inline constexpr std::uint16_t invalid_payload = 1007;
}  // namespace ws_close

/// What `ws_frame_decoder::next` found.
struct ws_event {
  enum kind_t : std::uint8_t {
    need_more,  // every byte given was consumed; nothing to report
    data,       // `payload`: binary message bytes (unmasked), in the caller's buffer
    ping,       // `payload`: the ping's application data (answer with a pong echoing it)
    pong,       // `payload`: ignored by a server
    close,      // the peer's close: `code` (no_status if none), `payload` its reason (UTF-8)
    error,      // the input breaks RFC 6455 or MQTT-6.0.0-1: close with `code`
  };
  kind_t kind = need_more;
  std::uint16_t code = 0;
  std::span<const std::uint8_t> payload;
  /// For `error`: what was wrong, for the log.
  const char* reason = "";
};

class ws_frame_decoder {
 public:
  /// Decodes from the front of `in`, consuming what it used, until it has something to report.
  /// A `data` payload points into `in`'s buffer; a control payload into `in`'s buffer or into
  /// this decoder: either is valid until the next call.
  ws_event next(std::span<std::uint8_t>& in);
  bool failed() const noexcept { return stage_ == stage::failed; }

 private:
  enum class stage : std::uint8_t { first, second, length, mask, payload, failed };
  enum class problem : std::uint8_t;
  ws_event fail(problem p);
  ws_event control_done(std::span<const std::uint8_t> payload);
  void unmask(std::span<std::uint8_t> bytes) noexcept;

  std::uint64_t remaining_ = 0;  // payload bytes of the current frame still to come
  std::array<std::uint8_t, 4> mask_{};
  std::uint8_t mask_offset_ = 0;  // where in `mask_` the next payload byte is
  stage stage_ = stage::first;
  std::uint8_t opcode_ = 0;
  std::uint8_t header_left_ = 0;  // extended length / mask bytes still to come
  bool fin_ = false;
  bool wide_ = false;  // the length is the 64-bit form
  bool in_message_ = false;  // a fragmented binary message awaits its continuations
  std::uint8_t failure_ = 0;  // after an error: which one (an index into ws_frame.cpp's table)
  /// A control frame's payload gathered across chunks (made only then).
  struct control_buffer {
    std::array<std::uint8_t, 125> bytes{};
    std::uint8_t size = 0;
  };
  std::unique_ptr<control_buffer> control_;
};

/// The header of an unmasked, final binary frame of `payload_size` bytes into `out`; returns its
/// length (2, 4 or 10).
std::size_t ws_binary_header(std::uint64_t payload_size, std::array<std::uint8_t, 10>& out) noexcept;
/// Appends a pong echoing `payload` (at most 125 bytes; longer is cut).
void ws_append_pong(std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out);
/// Appends a close frame with `code` (none when `code` is ws_close::no_status).
void ws_append_close(std::uint16_t code, std::vector<std::uint8_t>& out);

}  // namespace lambkin::mqtt
