#include "emulator/core/mqtt/ws_frame.hpp"

#include "emulator/core/mqtt/utf8.hpp"

#include <algorithm>
#include <string_view>

namespace lambkin::mqtt {
namespace {

constexpr std::uint8_t op_continuation = 0x0;
constexpr std::uint8_t op_text = 0x1;
constexpr std::uint8_t op_binary = 0x2;
constexpr std::uint8_t op_close = 0x8;
constexpr std::uint8_t op_ping = 0x9;
constexpr std::uint8_t op_pong = 0xA;
constexpr std::size_t max_control_payload = 125;

bool is_control(std::uint8_t opcode) noexcept { return (opcode & 0x8) != 0; }

/// Close codes a peer may send (RFC 6455 §7.4: 1004–1006 and 1015 are never sent, 1016–2999 are
/// reserved for the protocol, 3000–4999 are for libraries and applications).
bool valid_close_code(std::uint16_t code) noexcept {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

struct problem_text {
  std::uint16_t code;
  const char* reason;
};

}  // namespace

enum class ws_frame_decoder::problem : std::uint8_t {
  none,
  reserved_bits,
  reserved_opcode,
  text,
  orphan_continuation,
  data_inside_message,
  fragmented_control,
  control_too_long,
  unmasked,
  non_minimal_length,
  length_too_large,
  close_one_byte,
  close_bad_code,
  close_bad_utf8,
};

namespace {
constexpr std::array<problem_text, 14> problems{{
    {ws_close::protocol_error, ""},
    {ws_close::protocol_error, "WebSocket frame with reserved bits set (no extension was negotiated)"},
    {ws_close::protocol_error, "WebSocket frame with a reserved opcode"},
    {ws_close::unsupported_data, "WebSocket text frame: MQTT needs binary frames (MQTT-6.0.0-1)"},
    {ws_close::protocol_error, "WebSocket continuation frame without a message to continue"},
    {ws_close::protocol_error, "WebSocket data frame inside a fragmented message"},
    {ws_close::protocol_error, "fragmented WebSocket control frame"},
    {ws_close::protocol_error, "WebSocket control frame over 125 bytes"},
    {ws_close::protocol_error, "unmasked WebSocket frame from a client"},
    {ws_close::protocol_error, "WebSocket frame length not in its shortest form"},
    {ws_close::protocol_error, "WebSocket frame length with its most significant bit set"},
    {ws_close::protocol_error, "WebSocket close frame with a one-byte payload"},
    {ws_close::protocol_error, "WebSocket close frame with an invalid status code"},
    {ws_close::invalid_payload, "WebSocket close reason is not UTF-8"},
}};
}  // namespace

ws_event ws_frame_decoder::fail(problem p) {
  stage_ = stage::failed;
  failure_ = static_cast<std::uint8_t>(p);
  const auto& t = problems[failure_];
  return ws_event{ws_event::error, t.code, {}, t.reason};
}

void ws_frame_decoder::unmask(std::span<std::uint8_t> bytes) noexcept {
  auto offset = mask_offset_;
  for (auto& b : bytes) {
    b ^= mask_[offset];
    offset = (offset + 1) & 3;
  }
  mask_offset_ = offset;
}

ws_event ws_frame_decoder::control_done(std::span<const std::uint8_t> payload) {
  stage_ = stage::first;
  if (opcode_ == op_ping) return ws_event{ws_event::ping, 0, payload};
  if (opcode_ == op_pong) return ws_event{ws_event::pong, 0, payload};
  // Close (RFC 6455 §5.5.1): nothing, or a 2-byte status code and a UTF-8 reason.
  if (payload.empty()) return ws_event{ws_event::close, ws_close::no_status, {}};
  if (payload.size() == 1) return fail(problem::close_one_byte);
  const auto code = static_cast<std::uint16_t>(payload[0] << 8 | payload[1]);
  if (!valid_close_code(code)) return fail(problem::close_bad_code);
  const auto reason = payload.subspan(2);
  if (!is_valid_utf8(std::string_view(reinterpret_cast<const char*>(reason.data()), reason.size())))
    return fail(problem::close_bad_utf8);
  return ws_event{ws_event::close, code, reason};
}

ws_event ws_frame_decoder::next(std::span<std::uint8_t>& in) {
  // A control payload gathered for the previous call is no longer needed.
  if (control_ && stage_ == stage::first) control_.reset();
  for (;;) {
    switch (stage_) {
      case stage::failed:
        in = in.subspan(in.size());
        return fail(static_cast<problem>(failure_));

      case stage::first: {
        if (in.empty()) return {};
        const std::uint8_t b = in[0];
        in = in.subspan(1);
        fin_ = (b & 0x80) != 0;
        if ((b & 0x70) != 0) return fail(problem::reserved_bits);
        opcode_ = b & 0x0F;
        switch (opcode_) {
          case op_continuation:
            if (!in_message_) return fail(problem::orphan_continuation);
            break;
          case op_text:
            return fail(problem::text);
          case op_binary:
            if (in_message_) return fail(problem::data_inside_message);
            break;
          case op_close:
          case op_ping:
          case op_pong:
            if (!fin_) return fail(problem::fragmented_control);
            break;
          default:
            return fail(problem::reserved_opcode);
        }
        stage_ = stage::second;
        break;
      }

      case stage::second: {
        if (in.empty()) return {};
        const std::uint8_t b = in[0];
        in = in.subspan(1);
        if ((b & 0x80) == 0) return fail(problem::unmasked);
        const std::uint8_t length = b & 0x7F;
        if (is_control(opcode_) && length > max_control_payload) return fail(problem::control_too_long);
        remaining_ = length < 126 ? length : 0;
        header_left_ = length == 126 ? 2 : length == 127 ? 8 : 0;
        wide_ = length == 127;
        stage_ = header_left_ != 0 ? stage::length : stage::mask;
        if (header_left_ == 0) header_left_ = 4;
        break;
      }

      case stage::length: {
        while (header_left_ != 0 && !in.empty()) {
          remaining_ = remaining_ << 8 | in[0];
          in = in.subspan(1);
          --header_left_;
        }
        if (header_left_ != 0) return {};
        if (wide_ && (remaining_ >> 63) != 0) return fail(problem::length_too_large);
        if (remaining_ < (wide_ ? 0x10000U : 126U)) return fail(problem::non_minimal_length);
        header_left_ = 4;
        stage_ = stage::mask;
        break;
      }

      case stage::mask: {
        while (header_left_ != 0 && !in.empty()) {
          mask_[4 - header_left_] = in[0];
          in = in.subspan(1);
          --header_left_;
        }
        if (header_left_ != 0) return {};
        mask_offset_ = 0;
        stage_ = stage::payload;
        break;
      }

      case stage::payload: {
        if (is_control(opcode_)) {
          if (!control_ && in.size() >= remaining_) {  // all here: unmask in place
            const auto payload = in.first(static_cast<std::size_t>(remaining_));
            in = in.subspan(payload.size());
            unmask(payload);
            remaining_ = 0;
            return control_done(payload);
          }
          if (!control_) control_ = std::make_unique<control_buffer>();
          const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
          const auto into = std::span<std::uint8_t>(control_->bytes).subspan(control_->size, take);
          std::copy_n(in.begin(), take, into.begin());
          unmask(into);
          in = in.subspan(take);
          control_->size = static_cast<std::uint8_t>(control_->size + take);
          remaining_ -= take;
          if (remaining_ != 0) return {};
          return control_done(std::span<const std::uint8_t>(control_->bytes).first(control_->size));
        }
        if (remaining_ == 0) {  // an empty data frame
          in_message_ = !fin_;
          stage_ = stage::first;
          break;
        }
        if (in.empty()) return {};
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
        const auto payload = in.first(take);
        in = in.subspan(take);
        unmask(payload);
        remaining_ -= take;
        if (remaining_ == 0) {
          in_message_ = !fin_;
          stage_ = stage::first;
        }
        return ws_event{ws_event::data, 0, payload};
      }
    }
  }
}

std::size_t ws_binary_header(std::uint64_t payload_size, std::array<std::uint8_t, 10>& out) noexcept {
  out[0] = 0x80 | op_binary;
  if (payload_size < 126) {
    out[1] = static_cast<std::uint8_t>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<std::uint8_t>(payload_size >> 8);
    out[3] = static_cast<std::uint8_t>(payload_size);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<std::uint8_t>(payload_size >> (56 - 8 * i));
  return 10;
}

void ws_append_pong(std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out) {
  const auto size = std::min(payload.size(), max_control_payload);
  out.push_back(0x80 | op_pong);
  out.push_back(static_cast<std::uint8_t>(size));
  out.insert(out.end(), payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(size));
}

void ws_append_close(std::uint16_t code, std::vector<std::uint8_t>& out) {
  out.push_back(0x80 | op_close);
  if (code == ws_close::no_status) {
    out.push_back(0);
    return;
  }
  out.push_back(2);
  out.push_back(static_cast<std::uint8_t>(code >> 8));
  out.push_back(static_cast<std::uint8_t>(code));
}

}  // namespace lambkin::mqtt
