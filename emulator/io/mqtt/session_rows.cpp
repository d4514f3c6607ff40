#include "emulator/io/mqtt/session_rows.hpp"

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/text/hex.hpp"
#include "emulator/core/mqtt/encoder.hpp"
#include "emulator/io/log.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <span>
#include <stdexcept>
#include <vector>

namespace lambkin::io::mqtt {
namespace json = boost::json;
namespace {

constexpr std::uint32_t never = 0xFFFFFFFF;

std::int64_t ms_between(time_point from, time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

std::string encode_publish(const core::publish& p) {
  std::vector<std::uint8_t> bytes;
  if (core::encode(p, core::protocol_version::v5, bytes)) return {};  // cannot happen: it was decoded
  return std::string(bytes.begin(), bytes.end());
}

std::optional<core::publish> decode_publish(std::string_view bytes) {
  core::decoder d(core::decoder_options{.version = core::protocol_version::v5});
  std::span<const std::uint8_t> in(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  auto result = d.feed(in);
  auto* p = std::get_if<core::packet>(&result);
  auto* pub = p ? std::get_if<core::publish>(p) : nullptr;
  if (!pub) return std::nullopt;
  return std::move(*pub);
}

/// The Will as a PUBLISH (its Will Delay Interval, not a PUBLISH property, is stored beside it).
std::string encode_will(const core::will_message& w) {
  core::publish p{w.topic, w.payload, w.qos, w.retain, false, static_cast<std::uint16_t>(w.qos == core::qos0 ? 0 : 1),
                  w.props};
  p.props.will_delay_interval.reset();
  return encode_publish(p);
}

}  // namespace

store::stored_session encode_session_head(const core::session_snapshot& s, time_point now, std::int64_t wall) {
  json::array subs;
  for (const auto& [filter, sub] : s.subscriptions) {
    subs.push_back(json::object{{"filter", filter},
                                {"qos", static_cast<int>(sub.options.max_qos)},
                                {"no_local", sub.options.no_local},
                                {"retain_as_published", sub.options.retain_as_published},
                                {"retain_handling", static_cast<int>(sub.options.handling)},
                                {"identifier", sub.identifier}});
  }
  json::object state{{"version", static_cast<int>(s.version)},
                     {"session_expiry", s.session_expiry},
                     {"connected", s.connected},
                     {"last_packet_id", s.last_packet_id},
                     {"subscriptions", std::move(subs)}};
  if (!s.inbound_qos2.empty()) {
    json::array ids;
    for (auto id : s.inbound_qos2) ids.push_back(id);
    state["inbound_qos2"] = std::move(ids);
  }
  if (s.will) {
    state["will"] = text::to_hex(encode_will(*s.will));
    state["will_delay"] = s.will->props.will_delay_interval.value_or(0);
    if (s.will_at) state["will_due_ms"] = wall + std::max<std::int64_t>(1, ms_between(now, *s.will_at));
  }
  store::stored_session out;
  out.client_id = s.client_id;
  out.state = json::serialize(state);
  if (s.expires_at) out.expires_ms = wall + std::max<std::int64_t>(1, ms_between(now, *s.expires_at));
  return out;
}

std::optional<store::stored_session_message> encode_session_message(const core::snapshot_message& m, time_point now,
                                                                    std::int64_t wall) {
  const auto& msg = *m.msg;
  if (core::expired(msg, now)) return std::nullopt;
  core::publish p{msg.topic, msg.payload, m.qos, m.retain, false, m.packet_id == 0 ? std::uint16_t{1} : m.packet_id,
                  msg.props};
  p.props.message_expiry_interval = core::remaining_expiry(msg, now);
  p.props.subscription_identifiers = m.subscription_ids;
  std::int64_t expires = 0;
  if (msg.expires_at) expires = wall + ms_between(now, *msg.expires_at);
  return store::stored_session_message{static_cast<std::int64_t>(m.seq), m.packet_id, m.released, encode_publish(p),
                                       expires};
}

std::optional<decoded_session> decode_session(const store::stored_session& stored, time_point now, std::int64_t wall,
                                              std::int64_t alive) {
  decoded_session d;
  auto& s = d.snapshot;
  s.client_id = stored.client_id;
  const auto steady = [&](std::int64_t at_ms) { return now + std::chrono::milliseconds(at_ms - wall); };
  try {
    const auto state = json::parse(stored.state).as_object();
    s.version = state.at("version").to_number<int>() == 5 ? core::protocol_version::v5 : core::protocol_version::v311;
    s.session_expiry = state.at("session_expiry").to_number<std::uint32_t>();
    s.last_packet_id = state.at("last_packet_id").to_number<std::uint16_t>();
    const bool connected = state.at("connected").as_bool();
    d.was_connected = connected;
    for (const auto& v : state.at("subscriptions").as_array()) {
      const auto& o = v.as_object();
      core::session_subscription sub;
      sub.options.max_qos = static_cast<core::qos_level>(o.at("qos").to_number<int>());
      sub.options.no_local = o.at("no_local").as_bool();
      sub.options.retain_as_published = o.at("retain_as_published").as_bool();
      sub.options.handling = static_cast<core::retain_handling>(o.at("retain_handling").to_number<int>());
      sub.identifier = o.at("identifier").to_number<std::uint32_t>();
      s.subscriptions.emplace_back(std::string(o.at("filter").as_string()), sub);
    }
    if (const auto* ids = state.if_contains("inbound_qos2"))
      for (const auto& id : ids->as_array()) s.inbound_qos2.push_back(id.to_number<std::uint16_t>());
    if (const auto* will = state.if_contains("will")) {
      const auto bytes = text::from_hex(will->as_string());
      auto pub = bytes ? decode_publish(*bytes) : std::nullopt;
      if (!pub) throw std::invalid_argument("the Will does not decode");
      const auto delay = state.at("will_delay").to_number<std::uint32_t>();
      core::will_message w{std::move(pub->topic), std::move(pub->payload), pub->qos, pub->retain, std::move(pub->props)};
      if (delay != 0) w.props.will_delay_interval = delay;
      s.will = std::move(w);
      // Connected when lambkin stopped: the connection was lost (no DISCONNECT) when it was last
      // known alive, and the Will Delay Interval counts from then.
      if (connected) s.will_at = steady(alive + std::int64_t{delay} * 1000);
      else if (const auto* due = state.if_contains("will_due_ms")) s.will_at = steady(due->to_number<std::int64_t>());
    }
    // When the session ends, in wall-clock time (0: never).
    std::int64_t ends = stored.expires_ms;
    if (connected) ends = s.session_expiry == never ? 0 : alive + std::int64_t{s.session_expiry} * 1000;
    if (ends != 0) {
      d.expired = ends <= wall;
      s.expires_at = d.expired ? now : steady(ends);
    }
  } catch (const std::exception& e) {
    logger("mqtt")->warn("persistent session of client_id={}: the stored state does not parse ({}); dropped",
                         stored.client_id, e.what());
    return std::nullopt;
  }
  if (d.expired) return d;  // its messages end with it
  for (const auto& m : stored.messages) {
    if (m.expires_ms != 0 && m.expires_ms <= wall) continue;
    auto pub = decode_publish(m.packet);
    if (!pub) {
      logger("mqtt")->warn("persistent session of client_id={}: a stored message does not decode; dropped",
                           stored.client_id);
      continue;
    }
    core::snapshot_message sm;
    sm.qos = pub->qos;
    sm.retain = pub->retain;
    sm.subscription_ids = std::move(pub->props.subscription_identifiers);
    sm.packet_id = m.packet_id;
    sm.released = m.released;
    sm.seq = static_cast<std::uint64_t>(m.seq);
    pub->props.subscription_identifiers.clear();
    pub->props.message_expiry_interval.reset();
    if (m.expires_ms != 0) pub->props.message_expiry_interval = static_cast<std::uint32_t>((m.expires_ms - wall + 999) / 1000);
    sm.msg = core::make_message(std::move(*pub), now);
    s.messages.push_back(std::move(sm));
  }
  return d;
}

}  // namespace lambkin::io::mqtt
