// libFuzzer target for the MQTT codec (emulator/core/mqtt/decoder.hpp, encoder.hpp), and for the
// broker core behind it. Build: -DLAMBKIN_BUILD_FUZZ=ON with clang; run:
//   ./mqtt_codec_fuzz -max_total_time=60 -max_len=4096 fuzz/corpus/mqtt_codec
// Without clang, `mqtt_codec_corpus_replay DIR…` (fuzz/corpus_replay.cpp, built with any compiler)
// runs the seeds through this same entry point as a normal test.
//
// The input is a byte stream as a socket delivers it. It is decoded three ways: as a server does
// (version learnt from the CONNECT) and as 3.1.1 and MQTT 5 clients do. Checked, beyond "no crash,
// no sanitizer report":
//  - the decoder gives the same packets and the same error whether the stream arrives at once or
//    in small pieces (split points taken from the input itself);
//  - every decoded packet survives encode → decode unchanged;
//  - the server-side packets, and the error if any, go to a broker core (aws and standard
//    profiles) as a connection would feed them, alongside a second, well-behaved connection.
#include "emulator/core/mqtt/broker.hpp"
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <variant>
#include <vector>

namespace {

namespace core = lambkin::mqtt;

struct decoded {
  std::vector<core::packet> packets;
  std::optional<core::decode_error> error;
  bool operator==(const decoded&) const = default;
};

/// Feeds `data` in pieces of 1 + data[i] % `max_piece` bytes (all at once when `max_piece` is 0).
decoded decode_stream(std::span<const std::uint8_t> data, std::optional<core::protocol_version> version,
                      std::size_t max_piece) {
  core::decoder d(core::decoder_options{core::profile::standard().max_packet_size, version});
  decoded out;
  std::size_t at = 0;
  while (at < data.size() && !out.error) {
    const std::size_t piece = max_piece == 0 ? data.size() - at : std::min<std::size_t>(1 + data[at] % max_piece, data.size() - at);
    std::span<const std::uint8_t> in = data.subspan(at, piece);
    at += piece;
    while (!in.empty()) {
      auto r = d.feed(in);
      if (std::holds_alternative<core::need_more>(r)) break;
      if (auto* e = std::get_if<core::decode_error>(&r)) {
        out.error = *e;
        break;
      }
      out.packets.push_back(std::move(std::get<core::packet>(r)));
    }
  }
  return out;
}

/// encode → decode must give the packet back.
void check_round_trip(const core::packet& p, core::protocol_version v) {
  std::vector<std::uint8_t> bytes;
  if (core::encode(p, v, bytes)) return;  // e.g. too large to encode: a refusal, not a bug
  std::span<const std::uint8_t> in(bytes);
  core::decoder d(core::decoder_options{core::max_remaining_length + 5, v});
  auto r = d.feed(in);
  const auto* back = std::get_if<core::packet>(&r);
  if (!back || !in.empty() || !(*back == p)) std::abort();
}

void drive_broker(core::profile profile, const decoded& stream) {
  core::broker b(std::move(profile));
  core::broker_output_list out;
  lambkin::time_point now{};
  b.set_wall_clock(now, 1'700'000'000'000);
  // A well-behaved subscriber, so routing has somewhere to go.
  const core::connection_id peer{1}, fuzzed{2};
  b.on_connection_opened(peer, core::connection_info{"127.0.0.1", {}, {}}, now, out);
  core::connect hello;
  hello.client_id = "peer";
  b.on_connection_packet(peer, core::packet{hello}, now, out);
  core::subscribe sub;
  sub.packet_id = 1;
  sub.topics.push_back({"#", core::subscription_options{core::qos1}});
  b.on_connection_packet(peer, core::packet{sub}, now, out);

  b.on_connection_opened(fuzzed, core::connection_info{"127.0.0.1", "principal", {}}, now, out);
  for (const auto& p : stream.packets) {
    now += std::chrono::milliseconds(10);
    auto copy = p;
    b.on_connection_packet(fuzzed, std::move(copy), now, out);
  }
  if (stream.error) b.on_connection_error(fuzzed, *stream.error, now, out);
  b.on_connection_closed(fuzzed, now, out);
  // Fire every timer armed so far (keep-alive, expiry, will delay…), once.
  std::vector<decltype(core::timer_arm::timer)> timers;
  for (const auto& o : out)
    if (const auto* a = std::get_if<core::timer_arm>(&o)) timers.push_back(a->timer);
  now += std::chrono::hours(2);
  for (const auto t : timers) b.on_timer(t, now, out);
  b.on_shutdown(now, out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const std::optional<core::protocol_version> versions[] = {std::nullopt, core::protocol_version::v311,
                                                            core::protocol_version::v5};
  std::optional<decoded> server;
  for (const auto& v : versions) {
    auto whole = decode_stream(bytes, v, 0);
    if (!(decode_stream(bytes, v, 7) == whole)) std::abort();
    // The version each packet was decoded for: a CONNECT sets it (the decoder learns it there).
    auto version = v.value_or(core::protocol_version::v5);
    for (const auto& p : whole.packets) {
      if (const auto* c = std::get_if<core::connect>(&p)) version = c->version;
      check_round_trip(p, version);
    }
    if (!v) server = std::move(whole);
  }
  drive_broker(core::profile::aws(), *server);
  drive_broker(core::profile::standard(), *server);
  return 0;
}
