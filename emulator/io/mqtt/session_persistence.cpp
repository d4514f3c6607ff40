#include "emulator/io/mqtt/session_persistence.hpp"

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"
#include "emulator/io/log.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <span>
#include <vector>

namespace lambkin::io::mqtt {
namespace json = boost::json;
namespace {

constexpr std::uint32_t never = 0xFFFFFFFF;
constexpr const char* alive_key = "mqtt_alive_ms";

std::int64_t ms_between(time_point from, time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

std::string state_json(const core::session_snapshot& s) {
  json::array subs;
  for (const auto& [filter, sub] : s.subscriptions) {
    subs.push_back(json::object{{"filter", filter},
                                {"qos", static_cast<int>(sub.options.max_qos)},
                                {"no_local", sub.options.no_local},
                                {"retain_as_published", sub.options.retain_as_published},
                                {"retain_handling", static_cast<int>(sub.options.handling)},
                                {"identifier", sub.identifier}});
  }
  return json::serialize(json::object{{"version", static_cast<int>(s.version)},
                                      {"session_expiry", s.session_expiry},
                                      {"connected", s.connected},
                                      {"last_packet_id", s.last_packet_id},
                                      {"subscriptions", std::move(subs)}});
}

}  // namespace

session_persistence::session_persistence(boost::asio::any_io_executor executor, core::broker& broker,
                                         store::async_event_store& store, std::function<std::int64_t()> wall_ms,
                                         std::chrono::seconds heartbeat)
    : broker_(broker), store_(store), wall_ms_(std::move(wall_ms)), heartbeat_(heartbeat), timer_(std::move(executor)) {
  store_.set_before_commit([this] { write(); });
}

session_persistence::~session_persistence() {
  *alive_ = false;
  timer_.cancel();
  sync();
  if (!dirty_.empty()) store_.touch();
  store_.flush();  // runs `write` while the broker is still there
  store_.set_before_commit(nullptr);
}

void session_persistence::stop() {
  stopped_ = true;
  timer_.cancel();
}

session_persistence::restore_result session_persistence::restore(time_point now, core::broker_output_list& out) {
  restore_result r;
  const std::int64_t wall = wall_ms_();
  const std::int64_t alive = store_.meta(alive_key).value_or(wall);
  for (const auto& stored : store_.sessions()) {
    auto snapshot = decode(stored, now, wall, alive);
    if (!snapshot) {
      ++r.expired;
      store_.erase_session(stored.client_id);
      continue;
    }
    if (broker_.restore_session(*snapshot, now, out)) {
      ++r.restored;
      stored_.insert(stored.client_id);
    }
  }
  broker_.track_session_changes(true);
  beat();
  return r;
}

void session_persistence::sync() {
  auto changed = broker_.take_session_changes();
  if (changed.empty()) return;
  for (auto& id : changed) dirty_.insert(std::move(id));
  store_.touch();
}

void session_persistence::beat() {
  if (stopped_) return;
  store_.put_meta(alive_key, wall_ms_());
  timer_.expires_after(heartbeat_);
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!ec && *alive) beat();
  });
}

void session_persistence::write() {
  sync();
  if (dirty_.empty()) return;
  const auto now = clock::now();
  const std::int64_t wall = wall_ms_();
  if (store_.failed_commits() != failures_seen_) {  // what we believe is on disk may not be
    failures_seen_ = store_.failed_commits();
    written_.clear();
  }
  for (const auto& id : dirty_) {
    const auto* s = broker_.find_session(id);
    if (s != nullptr && !s->ended() && s->session_expiry() != 0) {
      auto stored = encode(*s, now, wall);
      if (stored.messages.empty()) {
        auto [it, fresh] = written_.try_emplace(id);
        if (!fresh && it->second.first == stored.state && it->second.second == stored.expires_ms) continue;
        it->second = {stored.state, stored.expires_ms};
      } else {
        written_.erase(id);
      }
      store_.put_session(std::move(stored));
      stored_.insert(id);
    } else if (stored_.erase(id) != 0) {
      written_.erase(id);
      store_.erase_session(id);
      logger("mqtt")->info("persistent session ended: client_id={}", id);
    }
  }
  dirty_.clear();
}

store::stored_session session_persistence::encode(const core::session& s, time_point now, std::int64_t wall) const {
  const auto snapshot = s.snapshot();
  store::stored_session out;
  out.client_id = snapshot.client_id;
  out.state = state_json(snapshot);
  if (snapshot.expires_at) out.expires_ms = wall + std::max<std::int64_t>(1, ms_between(now, *snapshot.expires_at));
  std::vector<std::uint8_t> bytes;
  for (const auto& m : snapshot.messages) {
    const auto& msg = *m.msg;
    if (core::expired(msg, now)) continue;
    core::publish p;
    p.topic = msg.topic;
    p.payload = msg.payload;
    p.qos = m.qos;
    p.retain = m.retain;
    p.packet_id = m.packet_id == 0 ? 1 : m.packet_id;
    p.props = msg.props;
    p.props.message_expiry_interval = core::remaining_expiry(msg, now);
    p.props.subscription_identifiers = m.subscription_ids;
    bytes.clear();
    if (core::encode(p, core::protocol_version::v5, bytes)) continue;  // cannot happen: it was decoded
    std::int64_t expires = 0;
    if (msg.expires_at) expires = wall + ms_between(now, *msg.expires_at);
    out.messages.push_back(
        store::stored_session_message{m.packet_id, m.released, std::string(bytes.begin(), bytes.end()), expires});
  }
  return out;
}

std::optional<core::session_snapshot> session_persistence::decode(const store::stored_session& stored,
                                                                  time_point now, std::int64_t wall,
                                                                  std::int64_t alive) const {
  core::session_snapshot s;
  s.client_id = stored.client_id;
  try {
    const auto state = json::parse(stored.state).as_object();
    s.version = state.at("version").to_number<int>() == 5 ? core::protocol_version::v5 : core::protocol_version::v311;
    s.session_expiry = state.at("session_expiry").to_number<std::uint32_t>();
    s.last_packet_id = state.at("last_packet_id").to_number<std::uint16_t>();
    const bool connected = state.at("connected").as_bool();
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
    // When the session ends, in wall-clock time (0: never).
    std::int64_t ends = stored.expires_ms;
    if (connected) ends = s.session_expiry == never ? 0 : alive + std::int64_t{s.session_expiry} * 1000;
    if (ends != 0) {
      if (ends <= wall) return std::nullopt;
      s.expires_at = now + std::chrono::milliseconds(ends - wall);
    }
  } catch (const std::exception& e) {
    logger("mqtt")->warn("persistent session of client_id={}: the stored state does not parse ({}); dropped",
                         stored.client_id, e.what());
    return std::nullopt;
  }
  for (const auto& m : stored.messages) {
    if (m.expires_ms != 0 && m.expires_ms <= wall) continue;
    core::decoder d(core::decoder_options{.version = core::protocol_version::v5});
    std::span<const std::uint8_t> in(reinterpret_cast<const std::uint8_t*>(m.packet.data()), m.packet.size());
    auto result = d.feed(in);
    auto* p = std::get_if<core::packet>(&result);
    auto* pub = p ? std::get_if<core::publish>(p) : nullptr;
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
    pub->props.subscription_identifiers.clear();
    pub->props.message_expiry_interval.reset();
    if (m.expires_ms != 0) pub->props.message_expiry_interval = static_cast<std::uint32_t>((m.expires_ms - wall + 999) / 1000);
    sm.msg = core::make_message(std::move(*pub), now);
    s.messages.push_back(std::move(sm));
  }
  return s;
}

}  // namespace lambkin::io::mqtt
