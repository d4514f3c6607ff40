// RFC 6455 framing for MQTT over WebSocket: client frames decoded from any chunking (lengths in
// all three forms, masks across chunk boundaries, fragmented messages with control frames between
// their fragments), every malformed frame refused with its close code, and the server's frames.
#include "emulator/core/mqtt/ws_frame.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

using namespace lambkin::mqtt;

namespace {

using bytes = std::vector<std::uint8_t>;
constexpr std::array<std::uint8_t, 4> key{0xA1, 0x5C, 0x07, 0xF3};

/// A client frame: `first` is the FIN/RSV/opcode byte; the payload masked with `key` (unless
/// `masked` is false). `length_form` forces the 16-bit (126) or 64-bit (127) length.
bytes frame(std::uint8_t first, const bytes& payload, bool masked = true, int length_form = 0) {
  bytes f{first};
  const std::uint8_t mask_bit = masked ? 0x80 : 0x00;
  const std::uint64_t n = payload.size();
  if (length_form == 127 || (length_form == 0 && n > 0xFFFF)) {
    f.push_back(mask_bit | 127);
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  } else if (length_form == 126 || (length_form == 0 && n >= 126)) {
    f.push_back(mask_bit | 126);
    f.push_back(static_cast<std::uint8_t>(n >> 8));
    f.push_back(static_cast<std::uint8_t>(n));
  } else {
    f.push_back(static_cast<std::uint8_t>(mask_bit | n));
  }
  if (masked)
      for (auto k : key) f.push_back(k);
  for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(masked ? payload[i] ^ key[i % 4] : payload[i]);
  return f;
}

bytes text_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }
bytes pattern(std::size_t n) {
  bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return b;
}
bytes operator+(bytes a, const bytes& b) {
  for (auto x : b) a.push_back(x);
  return a;
}

/// What a decoder reports for `input` fed in chunks of `chunk` bytes (each chunk a fresh buffer,
/// as a socket read would be): the binary payload collected, and the other events in order.
struct outcome {
  bytes data;
  std::vector<ws_event::kind_t> events;  // everything but data and need_more
  std::vector<bytes> control_payloads;
  std::vector<std::uint16_t> codes;
  std::string reason;
};

outcome decode(const bytes& input, std::size_t chunk) {
  ws_frame_decoder d;
  outcome o;
  for (std::size_t at = 0; at < input.size(); at += chunk) {
    bytes piece(input.begin() + static_cast<std::ptrdiff_t>(at),
                input.begin() + static_cast<std::ptrdiff_t>(std::min(input.size(), at + chunk)));
    std::span<std::uint8_t> in(piece);
    while (!in.empty()) {
      const auto e = d.next(in);
      if (e.kind == ws_event::need_more) {
        CHECK(in.empty());
        break;
      }
      if (e.kind == ws_event::data) {
        CHECK(!e.payload.empty());
        o.data.insert(o.data.end(), e.payload.begin(), e.payload.end());
        continue;
      }
      o.events.push_back(e.kind);
      o.control_payloads.emplace_back(e.payload.begin(), e.payload.end());
      o.codes.push_back(e.code);
      if (e.kind == ws_event::error) {
        o.reason = e.reason;
        CHECK(d.failed());
        return o;
      }
    }
  }
  return o;
}

/// `input` decoded in every chunk size from 1 to 17 and whole must give the same outcome.
outcome decode_any_chunking(const bytes& input) {
  const auto whole = decode(input, input.size() == 0 ? 1 : input.size());
  for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
    CAPTURE(chunk);
    const auto o = decode(input, chunk);
    CHECK(o.data == whole.data);
    CHECK(o.events == whole.events);
    CHECK(o.control_payloads == whole.control_payloads);
    CHECK(o.codes == whole.codes);
  }
  return whole;
}

ws_event first_error(const bytes& input) {
  ws_frame_decoder d;
  bytes copy = input;
  std::span<std::uint8_t> in(copy);
  while (!in.empty()) {
    const auto e = d.next(in);
    if (e.kind == ws_event::error) return e;
    if (e.kind == ws_event::need_more) break;
  }
  return {};
}

}  // namespace

TEST_CASE("ws_frame: a binary frame's payload comes out unmasked, in any chunking, in all three length forms") {
  for (const std::size_t n : {0UL, 1UL, 5UL, 125UL, 126UL, 300UL, 65535UL, 65536UL, 70000UL}) {
    CAPTURE(n);
    const auto payload = pattern(n);
    const auto o = n > 1000 ? decode(frame(0x82, payload), 4093) : decode_any_chunking(frame(0x82, payload));
    CHECK(o.data == payload);
    CHECK(o.events.empty());
  }
  // The same payload in the 64-bit form must use it only above 65535; a 16-bit one at 126 and up.
  CHECK(decode(frame(0x82, pattern(65536), true, 127), 1000).data == pattern(65536));
  CHECK(decode(frame(0x82, pattern(126), true, 126), 3).data == pattern(126));
}

TEST_CASE("ws_frame: the mask carries on across chunk boundaries and several frames in one chunk") {
  const auto input = frame(0x82, pattern(10)) + frame(0x82, pattern(3)) + frame(0x82, pattern(1));
  const auto o = decode_any_chunking(input);
  CHECK(o.data == pattern(10) + pattern(3) + pattern(1));
}

TEST_CASE("ws_frame: a fragmented binary message streams each fragment's bytes, control frames between them") {
  const auto input = frame(0x02, text_bytes("MQ")) + frame(0x89, text_bytes("are you there")) +
                     frame(0x00, text_bytes("TT")) + frame(0x8A, text_bytes("late pong")) +
                     frame(0x00, bytes{}) + frame(0x80, text_bytes("!")) + frame(0x82, text_bytes("next"));
  const auto o = decode_any_chunking(input);
  CHECK(o.data == text_bytes("MQTT!next"));
  REQUIRE(o.events == std::vector<ws_event::kind_t>{ws_event::ping, ws_event::pong});
  CHECK(o.control_payloads[0] == text_bytes("are you there"));
  CHECK(o.control_payloads[1] == text_bytes("late pong"));
}

TEST_CASE("ws_frame: a ping with a 125-byte payload and an empty one, split anywhere") {
  const auto input = frame(0x89, pattern(125)) + frame(0x89, bytes{});
  const auto o = decode_any_chunking(input);
  REQUIRE(o.events == std::vector<ws_event::kind_t>{ws_event::ping, ws_event::ping});
  CHECK(o.control_payloads[0] == pattern(125));
  CHECK(o.control_payloads[1].empty());
}

TEST_CASE("ws_frame: a close gives its code and reason, or no_status when empty") {
  auto o = decode_any_chunking(frame(0x88, bytes{0x03, 0xE8} + text_bytes("bye")));
  REQUIRE(o.events == std::vector<ws_event::kind_t>{ws_event::close});
  CHECK(o.codes[0] == ws_close::normal);
  CHECK(o.control_payloads[0] == text_bytes("bye"));
  o = decode_any_chunking(frame(0x88, bytes{0x0F, 0xA0}));  // 4000: an application's code
  REQUIRE(o.events == std::vector<ws_event::kind_t>{ws_event::close});
  CHECK(o.codes[0] == 4000);
  o = decode_any_chunking(frame(0x88, bytes{}));
  REQUIRE(o.events == std::vector<ws_event::kind_t>{ws_event::close});
  CHECK(o.codes[0] == ws_close::no_status);
}

TEST_CASE("ws_frame: malformed frames are refused with their close code, whatever the chunking") {
  struct bad_case {
    std::string name;
    bytes input;
    std::uint16_t code;
    std::string data_before = "";  // what `input` delivers before its error
  };
  const std::vector<bad_case> cases{
      {"text frame (MQTT-6.0.0-1)", frame(0x81, text_bytes("hello")), ws_close::unsupported_data},
      {"text frame starting a fragmented message", frame(0x01, text_bytes("he")), ws_close::unsupported_data},
      {"unmasked binary frame", frame(0x82, text_bytes("abc"), false), ws_close::protocol_error},
      {"unmasked ping", frame(0x89, bytes{}, false), ws_close::protocol_error},
      {"RSV1 set", frame(0xC2, text_bytes("abc")), ws_close::protocol_error},
      {"RSV2 set", frame(0xA2, text_bytes("abc")), ws_close::protocol_error},
      {"RSV3 set", frame(0x92, text_bytes("abc")), ws_close::protocol_error},
      {"reserved data opcode 3", frame(0x83, text_bytes("abc")), ws_close::protocol_error},
      {"reserved data opcode 7", frame(0x87, text_bytes("abc")), ws_close::protocol_error},
      {"reserved control opcode 0xB", frame(0x8B, bytes{}), ws_close::protocol_error},
      {"reserved control opcode 0xF", frame(0x8F, bytes{}), ws_close::protocol_error},
      {"continuation without a message", frame(0x80, text_bytes("abc")), ws_close::protocol_error},
      {"binary frame inside a fragmented message", frame(0x02, text_bytes("a")) + frame(0x82, text_bytes("b")),
       ws_close::protocol_error, "a"},
      {"text frame inside a fragmented message", frame(0x02, text_bytes("a")) + frame(0x81, text_bytes("b")),
       ws_close::unsupported_data, "a"},
      {"fragmented ping", frame(0x09, text_bytes("a")), ws_close::protocol_error},
      {"fragmented close", frame(0x08, bytes{0x03, 0xE8}), ws_close::protocol_error},
      {"ping of 126 bytes", frame(0x89, pattern(126)), ws_close::protocol_error},
      {"close of 126 bytes", frame(0x88, bytes{0x03, 0xE8} + pattern(124)), ws_close::protocol_error},
      {"16-bit length under 126", frame(0x82, pattern(125), true, 126), ws_close::protocol_error},
      {"64-bit length under 65536", frame(0x82, pattern(300), true, 127), ws_close::protocol_error},
      {"64-bit length with its top bit set",
       bytes{0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4}, ws_close::protocol_error},
      {"close with a one-byte payload", frame(0x88, bytes{0x03}), ws_close::protocol_error},
      {"close with code 999", frame(0x88, bytes{0x03, 0xE7}), ws_close::protocol_error},
      {"close with code 1005", frame(0x88, bytes{0x03, 0xED}), ws_close::protocol_error},
      {"close with code 1006", frame(0x88, bytes{0x03, 0xEE}), ws_close::protocol_error},
      {"close with code 1015", frame(0x88, bytes{0x03, 0xF7}), ws_close::protocol_error},
      {"close with code 2000", frame(0x88, bytes{0x07, 0xD0}), ws_close::protocol_error},
      {"close with code 5000", frame(0x88, bytes{0x13, 0x88}), ws_close::protocol_error},
      {"close reason not UTF-8", frame(0x88, bytes{0x03, 0xE8, 0xC3, 0x28}), ws_close::invalid_payload},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto input = frame(0x82, text_bytes("ok")) + c.input;
    const auto o = decode_any_chunking(input);
    CHECK(o.data == text_bytes("ok" + c.data_before));
    REQUIRE(o.events == std::vector<ws_event::kind_t>{ws_event::error});
    CHECK(o.codes[0] == c.code);
    CHECK(!o.reason.empty());
  }
}

TEST_CASE("ws_frame: after an error the decoder stays failed and consumes what it is given") {
  ws_frame_decoder d;
  bytes input = frame(0x81, text_bytes("x"));
  std::span<std::uint8_t> in(input);
  auto e = d.next(in);
  REQUIRE(e.kind == ws_event::error);
  CHECK(e.code == ws_close::unsupported_data);
  bytes more = frame(0x82, text_bytes("valid"));
  std::span<std::uint8_t> again(more);
  e = d.next(again);
  CHECK(e.kind == ws_event::error);
  CHECK(e.code == ws_close::unsupported_data);
  CHECK(again.empty());
}

TEST_CASE("ws_frame: the text-frame refusal names MQTT-6.0.0-1") {
  const auto e = first_error(frame(0x81, text_bytes("x")));
  REQUIRE(e.kind == ws_event::error);
  CHECK(std::string(e.reason).find("MQTT-6.0.0-1") != std::string::npos);
}

TEST_CASE("ws_frame: server frames: binary headers in three length forms, pong echo, close with and without code") {
  std::array<std::uint8_t, 10> h{};
  REQUIRE(ws_binary_header(0, h) == 2);
  CHECK(bytes(h.begin(), h.begin() + 2) == bytes{0x82, 0x00});
  REQUIRE(ws_binary_header(125, h) == 2);
  CHECK(bytes(h.begin(), h.begin() + 2) == bytes{0x82, 125});
  REQUIRE(ws_binary_header(126, h) == 4);
  CHECK(bytes(h.begin(), h.begin() + 4) == bytes{0x82, 126, 0x00, 126});
  REQUIRE(ws_binary_header(65535, h) == 4);
  CHECK(bytes(h.begin(), h.begin() + 4) == bytes{0x82, 126, 0xFF, 0xFF});
  REQUIRE(ws_binary_header(65536, h) == 10);
  CHECK(bytes(h.begin(), h.end()) == bytes{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0});
  REQUIRE(ws_binary_header(0x0102030405ULL, h) == 10);
  CHECK(bytes(h.begin(), h.end()) == bytes{0x82, 127, 0, 0, 0, 1, 2, 3, 4, 5});

  bytes out;
  ws_append_pong(text_bytes("hi"), out);
  CHECK(out == bytes{0x8A, 2, 'h', 'i'});
  out.clear();
  ws_append_close(ws_close::unsupported_data, out);
  CHECK(out == bytes{0x88, 2, 0x03, 0xEB});
  out.clear();
  ws_append_close(ws_close::no_status, out);
  CHECK(out == bytes{0x88, 0});
}
