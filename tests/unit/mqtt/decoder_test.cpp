// The incremental decoder: splits, several packets per feed, the size limit before buffering,
// and every malformed input we could think of (each named after the rule it breaks).
#include "emulator/core/mqtt/decoder.hpp"

#include "codec_support.hpp"

#include <doctest/doctest.h>

#include <string_view>

using namespace lambkin;
using namespace lambkin::mqtt;
using namespace lambkin::mqtt::testing;

namespace {

constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

// Element by element: GCC 12 reports a false -Warray-bounds for vector::insert here.
bytes operator+(const bytes& a, const bytes& b) {
  bytes r;
  r.reserve(a.size() + b.size());
  for (auto x : a) r.push_back(x);
  for (auto x : b) r.push_back(x);
  return r;
}
/// A UTF-8 string / binary field: 2-byte length + bytes.
bytes str(std::string_view s) {
  bytes b{static_cast<std::uint8_t>(s.size() >> 8), static_cast<std::uint8_t>(s.size() & 0xFF)};
  for (char c : s) b.push_back(static_cast<std::uint8_t>(c));
  return b;
}
/// A packet with a one-byte Remaining Length.
bytes pkt(std::uint8_t first, const bytes& body) {
  REQUIRE(body.size() < 128);
  return bytes{first, static_cast<std::uint8_t>(body.size())} + body;
}
/// The variable header of a CONNECT up to (and including) keep-alive.
bytes connect_header(std::string_view name, std::uint8_t level, std::uint8_t flags) {
  return str(name) + bytes{level, flags, 0x00, 0x3C};
}

connect make_connect_for_fuzz() {
  connect c;
  c.client_id = "fuzz";
  c.username = "u";
  c.password = "p";
  c.will = will_message{"w/t", "bye", qos1, true, {}};
  return c;
}

errc error_of(const bytes& b, std::optional<protocol_version> v, std::uint32_t max = 268'435'460) {
  return decode_failure(b, v, max).code;
}

}  // namespace

TEST_CASE("several packets in one feed come out one by one, a split packet waits for its rest") {
  const bytes two = encoded(pingreq{}, v5) + encoded(publish{"a", "xyz", qos1, false, false, 1, {}}, v5);
  auto rs = decode_all(two, v5);
  REQUIRE(rs.size() == 2);
  CHECK(std::get<packet>(rs[0]) == packet{pingreq{}});
  CHECK(std::get<packet>(rs[1]) == packet{publish{"a", "xyz", qos1, false, false, 1, {}}});

  decoder d(decoder_options{1000, v5});
  const bytes p = encoded(publish{"topic", std::string(200, 'p'), qos0, false, false, 0, {}}, v5);
  std::span<const std::uint8_t> first(p.data(), 2);  // header and half the length
  CHECK(std::holds_alternative<need_more>(d.feed(first)));
  CHECK(first.empty());
  std::span<const std::uint8_t> middle(p.data() + 2, 50);
  CHECK(std::holds_alternative<need_more>(d.feed(middle)));
  std::span<const std::uint8_t> rest(p.data() + 52, p.size() - 52);
  auto r = d.feed(rest);
  REQUIRE(std::holds_alternative<packet>(r));
  CHECK(std::get<publish>(std::get<packet>(r)).payload.size() == 200);
  CHECK(rest.empty());
}

TEST_CASE("a server-side decoder learns the version from CONNECT and refuses anything before it") {
  connect c;
  c.version = v5;
  c.client_id = "c";
  decoder d;
  CHECK_FALSE(d.version());
  const bytes b = encoded(c, v5) + encoded(puback{1, reason_code::quota_exceeded, {}}, v5);
  std::span<const std::uint8_t> in(b);
  CHECK(std::holds_alternative<packet>(d.feed(in)));
  CHECK(d.version() == v5);
  auto r = d.feed(in);
  REQUIRE(std::holds_alternative<packet>(r));
  CHECK(std::get<puback>(std::get<packet>(r)).reason == reason_code::quota_exceeded);

  CHECK(error_of(encoded(pingreq{}, v5), std::nullopt) == errc::protocol_error);
}

TEST_CASE("the size limit is enforced from the Remaining Length, before the body is buffered") {
  decoder d(decoder_options{100, v5});
  const bytes header{0x30, 0xE8, 0x07};  // PUBLISH, Remaining Length 1000, no body yet
  std::span<const std::uint8_t> in(header);
  auto r = d.feed(in);
  REQUIRE(std::holds_alternative<decode_error>(r));
  CHECK(std::get<decode_error>(r).code == errc::packet_too_large);
  CHECK(d.failed());
  // The decoder stays failed.
  const bytes more = encoded(pingreq{}, v5);
  std::span<const std::uint8_t> next(more);
  CHECK(std::get<decode_error>(d.feed(next)).code == errc::packet_too_large);

  // Exactly at the limit is fine: 1 + 1 + 98 = 100 bytes (topic 3, properties 1, payload 94).
  const bytes at_limit = encoded(publish{"t", std::string(94, 'x'), qos0, false, false, 0, {}}, v5);
  REQUIRE(at_limit.size() == 100);
  CHECK(decode_all(at_limit, v5, 0, 100).size() == 1);
  CHECK(error_of(at_limit, v5, 99) == errc::packet_too_large);
}

TEST_CASE("fixed header: reserved type, wrong flags, QoS 3, DUP on QoS 0") {
  CHECK(error_of(bytes{0x00, 0x00}, v5) == errc::malformed_packet);
  CHECK(error_of(bytes{0x41, 0x02, 0x00, 0x01}, v5) == errc::malformed_packet);  // PUBACK flags 1
  CHECK(error_of(bytes{0x60, 0x02, 0x00, 0x01}, v5) == errc::malformed_packet);  // PUBREL needs 0010
  CHECK(error_of(pkt(0x80, bytes{0, 1} + str("a") + bytes{0}), v311) == errc::malformed_packet);  // SUBSCRIBE
  CHECK(error_of(pkt(0xA0, bytes{0, 1} + str("a")), v311) == errc::malformed_packet);  // UNSUBSCRIBE
  CHECK(error_of(bytes{0xC1, 0x00}, v5) == errc::malformed_packet);                     // PINGREQ flags
  CHECK(error_of(pkt(0x11, connect_header("MQTT", 4, 0x02) + str("c")), std::nullopt) == errc::malformed_packet);
  CHECK(error_of(pkt(0x36, str("t") + bytes{0, 1}), v5) == errc::malformed_packet);  // QoS 3
  CHECK(error_of(pkt(0x38, str("t")), v311) == errc::malformed_packet);              // DUP on QoS 0
  CHECK(error_of(bytes{0xF0, 0x00}, v311) == errc::malformed_packet);                // AUTH in 3.1.1
}

TEST_CASE("Remaining Length: at most 4 bytes, minimally encoded") {
  CHECK(error_of(bytes{0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, v5) == errc::malformed_packet);
  CHECK(error_of(bytes{0xC0, 0x80, 0x00}, v5) == errc::malformed_packet);
  CHECK(error_of(bytes{0xC0, 0x80, 0x80, 0x00}, v5) == errc::malformed_packet);
}

TEST_CASE("bodies: truncated, trailing bytes, zero packet identifiers") {
  CHECK(error_of(bytes{0x40, 0x01, 0x00}, v311) == errc::malformed_packet);              // PUBACK short
  CHECK(error_of(bytes{0x40, 0x03, 0x00, 0x01, 0x00}, v311) == errc::malformed_packet);  // 3.1.1 PUBACK long
  CHECK(error_of(bytes{0xC0, 0x01, 0x00}, v5) == errc::malformed_packet);                // PINGREQ body
  CHECK(error_of(bytes{0xE0, 0x01, 0x00}, v311) == errc::malformed_packet);              // 3.1.1 DISCONNECT body
  CHECK(error_of(pkt(0x30, bytes{0x00, 0x05, 'a'}), v311) == errc::malformed_packet);    // topic past the end
  CHECK(error_of(pkt(0x32, str("t") + bytes{0, 0}), v311) == errc::malformed_packet);    // PUBLISH id 0
  CHECK(error_of(bytes{0x40, 0x02, 0x00, 0x00}, v5) == errc::malformed_packet);          // PUBACK id 0
  CHECK(error_of(pkt(0x82, bytes{0, 0} + str("a") + bytes{0}), v311) == errc::malformed_packet);
  CHECK(error_of(pkt(0xA2, bytes{0, 0} + str("a")), v311) == errc::malformed_packet);
  CHECK(error_of(pkt(0x32, str("t")), v5) == errc::malformed_packet);  // QoS 1 without an id
}

TEST_CASE("UTF-8 strings: ill-formed, U+0000, surrogates and overlongs are malformed") {
  for (const bytes& topic : {bytes{0xC3, 0x28}, bytes{0x00}, bytes{0xED, 0xA0, 0x80}, bytes{0xC0, 0xAF},
                             bytes{0xE0, 0x80, 0xAF}, bytes{0xF4, 0x90, 0x80, 0x80}, bytes{0xFF}, bytes{0xE2, 0x82}}) {
    const bytes body = bytes{0x00, static_cast<std::uint8_t>(topic.size())} + topic;
    CHECK(error_of(pkt(0x30, body), v311) == errc::malformed_packet);
  }
  // Valid multi-byte text passes: "é", "€", "𝄞".
  const bytes ok = bytes{0x00, 0x09, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9D, 0x84, 0x9E};
  CHECK(std::get<publish>(decode_one(pkt(0x30, ok), v311)).topic == "é€𝄞");
  // Client id, user name, filters and user properties are checked too.
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x02) + bytes{0x00, 0x01, 0xFF}), std::nullopt) ==
        errc::malformed_packet);
  CHECK(error_of(pkt(0x82, bytes{0, 1, 0, 1, 0xC0, 0}), v311) == errc::malformed_packet);
  CHECK(error_of(pkt(0xA2, bytes{0, 1, 0, 1, 0x00}), v311) == errc::malformed_packet);
  CHECK(error_of(pkt(0x30, str("t") + bytes{0x05, 0x26, 0x00, 0x01, 0xFF, 0x00, 0x00}), v5) ==
        errc::malformed_packet);
}

TEST_CASE("CONNECT: protocol name and level, flags, will and credentials") {
  const bytes id = str("c");
  CHECK(error_of(pkt(0x10, connect_header("MQIsdp", 3, 0x02) + id), std::nullopt) ==
        errc::unsupported_protocol_version);
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 3, 0x02) + id), std::nullopt) == errc::unsupported_protocol_version);
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 6, 0x02) + id), std::nullopt) == errc::unsupported_protocol_version);
  CHECK(error_of(pkt(0x10, connect_header("MQTX", 4, 0x02) + id), std::nullopt) == errc::malformed_packet);
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x03) + id), std::nullopt) == errc::malformed_packet);  // reserved
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x0A) + id), std::nullopt) == errc::malformed_packet);  // will QoS, no will
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x22) + id), std::nullopt) == errc::malformed_packet);  // will retain, no will
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x1E) + id + str("w") + str("p")), std::nullopt) ==
        errc::malformed_packet);  // will QoS 3
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x42) + id + str("pw")), std::nullopt) ==
        errc::malformed_packet);  // 3.1.1 password without user name
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x02) + id + bytes{0x00}), std::nullopt) ==
        errc::malformed_packet);  // trailing byte
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 4, 0x06) + id + str("w")), std::nullopt) ==
        errc::malformed_packet);  // will payload missing
  // MQTT 5 allows a password alone.
  const auto c = std::get<connect>(decode_one(pkt(0x10, connect_header("MQTT", 5, 0x42) + bytes{0} + id + str("pw")),
                                              std::nullopt));
  CHECK(c.password == "pw");
  CHECK_FALSE(c.username);
}

TEST_CASE("CONNACK: reserved flags, 3.1.1 reserved return codes, session present on refusal") {
  CHECK(error_of(bytes{0x20, 0x02, 0x02, 0x00}, v311) == errc::malformed_packet);
  CHECK(error_of(bytes{0x20, 0x02, 0x00, 0x06}, v311) == errc::malformed_packet);
  CHECK(error_of(bytes{0x20, 0x02, 0x01, 0x05}, v311) == errc::malformed_packet);
  CHECK(error_of(bytes{0x20, 0x03, 0x00, 0x01, 0x00}, v5) == errc::malformed_packet);  // 0x01 not a CONNACK code
  CHECK(error_of(bytes{0x20, 0x02, 0x00, 0x00}, v5) == errc::malformed_packet);        // no property length
}

TEST_CASE("MQTT 5 properties: placement, duplicates, values, lengths") {
  auto publish_with = [](const bytes& props) {
    return pkt(0x30, str("t") + bytes{static_cast<std::uint8_t>(props.size())} + props);
  };
  // Session Expiry Interval is not a PUBLISH property.
  CHECK(error_of(publish_with(bytes{0x11, 0, 0, 0, 1}), v5) == errc::malformed_packet);
  // Unknown identifiers.
  CHECK(error_of(publish_with(bytes{0x05, 0x00}), v5) == errc::malformed_packet);
  CHECK(error_of(publish_with(bytes{0x7F, 0x00}), v5) == errc::malformed_packet);
  // Duplicates are a protocol error…
  CHECK(error_of(publish_with(bytes{0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 2}), v5) == errc::protocol_error);
  CHECK(error_of(publish_with(bytes{0x01, 0x00, 0x01, 0x01}), v5) == errc::protocol_error);
  // …except User Property and (in PUBLISH) Subscription Identifier.
  const auto p = std::get<publish>(decode_one(
      publish_with(bytes{0x26} + str("k") + str("1") + bytes{0x26} + str("k") + str("2") + bytes{0x0B, 1, 0x0B, 2}), v5));
  CHECK(p.props.user_properties == std::vector<user_property>{{"k", "1"}, {"k", "2"}});
  CHECK(p.props.subscription_identifiers == std::vector<std::uint32_t>{1, 2});
  CHECK(error_of(pkt(0x82, bytes{0, 1, 4, 0x0B, 1, 0x0B, 2} + str("a") + bytes{0}), v5) == errc::protocol_error);
  // Values.
  CHECK(error_of(publish_with(bytes{0x01, 0x02}), v5) == errc::protocol_error);  // payload format 2
  CHECK(error_of(publish_with(bytes{0x23, 0x00, 0x00}), v5) == errc::protocol_error);  // topic alias 0
  CHECK(error_of(publish_with(bytes{0x0B, 0x00}), v5) == errc::protocol_error);  // subscription id 0
  CHECK(error_of(publish_with(bytes{0x0B, 0x80, 0x00}), v5) == errc::malformed_packet);  // non-minimal varint
  const bytes connect_props = connect_header("MQTT", 5, 0x02);
  CHECK(error_of(pkt(0x10, connect_props + bytes{3, 0x21, 0, 0} + str("c")), std::nullopt) == errc::protocol_error);
  CHECK(error_of(pkt(0x10, connect_props + bytes{5, 0x27, 0, 0, 0, 0} + str("c")), std::nullopt) ==
        errc::protocol_error);
  CHECK(error_of(pkt(0x10, connect_props + bytes{2, 0x17, 2} + str("c")), std::nullopt) == errc::protocol_error);
  CHECK(error_of(pkt(0x10, connect_props + bytes{2, 0x24, 1} + str("c")), std::nullopt) ==
        errc::malformed_packet);  // Maximum QoS is a CONNACK property
  CHECK(error_of(bytes{0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02}, v5) == errc::protocol_error);  // Maximum QoS 2
  // Will properties are checked against the Will's table.
  CHECK(error_of(pkt(0x10, connect_header("MQTT", 5, 0x06) + bytes{0} + str("c") + bytes{2, 0x17, 1} + str("w") +
                               str("p")),
                 std::nullopt) == errc::malformed_packet);
  // Lengths: a property block past the packet's end, a property past its block.
  CHECK(error_of(pkt(0x30, str("t") + bytes{0x10, 0x01}), v5) == errc::malformed_packet);
  CHECK(error_of(pkt(0x30, str("t") + bytes{0x02, 0x02, 0x00, 0x00, 0x00, 0x01}), v5) == errc::malformed_packet);
}

TEST_CASE("MQTT 5 reason codes must belong to their packet") {
  CHECK(error_of(bytes{0x40, 0x03, 0x00, 0x01, 0x04}, v5) == errc::malformed_packet);  // PUBACK 0x04
  CHECK(error_of(bytes{0x62, 0x03, 0x00, 0x01, 0x10}, v5) == errc::malformed_packet);  // PUBREL 0x10
  CHECK(error_of(bytes{0xE0, 0x01, 0x05}, v5) == errc::malformed_packet);              // DISCONNECT 0x05
  CHECK(error_of(bytes{0xF0, 0x01, 0x80}, v5) == errc::malformed_packet);              // AUTH 0x80
  CHECK(error_of(bytes{0x90, 0x04, 0x00, 0x01, 0x00, 0x03}, v5) == errc::malformed_packet);  // SUBACK 0x03
  CHECK(error_of(bytes{0x90, 0x03, 0x00, 0x01, 0x03}, v311) == errc::malformed_packet);
  CHECK(error_of(bytes{0xB0, 0x04, 0x00, 0x01, 0x00, 0x10}, v5) == errc::malformed_packet);  // UNSUBACK 0x10
  CHECK(error_of(bytes{0x90, 0x03, 0x00, 0x01, 0x00}, v5) == errc::malformed_packet);        // SUBACK, no code
}

TEST_CASE("SUBSCRIBE: empty, reserved option bits, QoS 3, Retain Handling 3") {
  CHECK(error_of(bytes{0x82, 0x02, 0x00, 0x01}, v311) == errc::protocol_error);
  CHECK(error_of(bytes{0x82, 0x03, 0x00, 0x01, 0x00}, v5) == errc::protocol_error);
  CHECK(error_of(bytes{0xA2, 0x02, 0x00, 0x01}, v311) == errc::protocol_error);
  CHECK(error_of(pkt(0x82, bytes{0, 1} + str("a") + bytes{0x04}), v311) == errc::malformed_packet);  // no-local bit in 3.1.1
  CHECK(error_of(pkt(0x82, bytes{0, 1, 0} + str("a") + bytes{0x40}), v5) == errc::malformed_packet);
  CHECK(error_of(pkt(0x82, bytes{0, 1, 0} + str("a") + bytes{0x03}), v5) == errc::malformed_packet);
  CHECK(error_of(pkt(0x82, bytes{0, 1, 0} + str("a") + bytes{0x30}), v5) == errc::malformed_packet);
  CHECK(error_of(pkt(0x82, bytes{0, 1, 0} + str("a")), v5) == errc::malformed_packet);  // options byte missing
}

TEST_CASE("random and mutated inputs never crash, and whatever decodes re-encodes to the same packet") {
  // A deterministic generator (no seeds from the clock): the same inputs on every run.
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  auto next = [&]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  connect c = make_connect_for_fuzz();
  std::vector<bytes> seeds;
  for (auto v : {v311, v5}) {
    c.version = v;
    seeds.push_back(encoded(c, v));
    publish p{"a/b", "payload", qos1, true, false, 3, {}};
    if (v == v5) {
      p.props.user_properties = {{"k", "v"}};
      p.props.message_expiry_interval = 9;
    }
    seeds.push_back(encoded(p, v));
    seeds.push_back(encoded(subscribe{1, {{"a/+", {qos1, false, false, retain_handling::send_on_subscribe}}}, {}}, v));
    seeds.push_back(encoded(suback{1, {reason_code::granted_qos_1}, {}}, v));
    seeds.push_back(encoded(unsubscribe{1, {"a"}, {}}, v));
    seeds.push_back(encoded(puback{1, reason_code::success, {}}, v));
    seeds.push_back(encoded(disconnect{}, v));
  }
  std::size_t decoded = 0;
  for (int round = 0; round < 20'000; ++round) {
    const auto& seed = seeds[next() % seeds.size()];
    bytes input = seed;
    const int mutations = 1 + static_cast<int>(next() % 4);
    for (int m = 0; m < mutations; ++m) {
      const auto where = static_cast<std::size_t>(next() % input.size());
      switch (next() % 3) {
        case 0: input[where] = static_cast<std::uint8_t>(next()); break;
        case 1: input.erase(input.begin() + static_cast<std::ptrdiff_t>(where)); break;
        default: input.insert(input.begin() + static_cast<std::ptrdiff_t>(where), static_cast<std::uint8_t>(next()));
      }
      if (input.empty()) input.push_back(0x30);
    }
    const auto version = (round % 2 == 0) ? std::optional(v5) : std::optional(v311);
    for (const auto& r : decode_all(input, version, 1 + next() % 5, 4096)) {
      const auto* p = std::get_if<packet>(&r);
      if (p == nullptr) continue;
      ++decoded;
      const protocol_version v = std::holds_alternative<connect>(*p) ? std::get<connect>(*p).version : *version;
      bytes again;
      REQUIRE_FALSE(encode(*p, v, again));
      const std::optional<protocol_version> known = std::holds_alternative<connect>(*p) ? std::nullopt : std::optional(v);
      CHECK(decode_one(again, known) == *p);
    }
  }
  CHECK(decoded > 1000);  // the mutations leave plenty of valid packets to compare
}
