// broker: construction, the shell's connection inputs, timers, the in-process API and queries.
// (CONNECT and takeover: broker_connect.cpp; executing session commands and routing:
// broker_routing.cpp; lifecycle events: broker_lifecycle.cpp.)
#include "emulator/core/mqtt/broker.hpp"

#include "emulator/core/mqtt/topic.hpp"

#include <utility>

namespace lambkin::mqtt {
namespace {

// timer_id = owner kind (top byte) | owner number. Connection timers: the connect timeout.
// Session timers: 1 + timer_kind.
constexpr std::uint64_t connect_timeout_tag = 0;
constexpr unsigned tag_shift = 56;
constexpr std::uint64_t number_mask = (std::uint64_t{1} << tag_shift) - 1;
constexpr float per_bucket = 2.0F;  // max_load_factor of the per-client maps

timer_id connect_timer(connection_id c) { return timer_id{(connect_timeout_tag << tag_shift) | (c.value() & number_mask)}; }

}  // namespace

timer_id broker::session_timer(session_handle h, timer_kind k) noexcept {
  return timer_id{((std::uint64_t{1} + static_cast<std::uint64_t>(k)) << tag_shift) | (h.value() & number_mask)};
}

broker::broker(mqtt::profile p)
    : profile_(std::move(p)), trie_(profile_.hash_matches_parent), retained_(profile_) {
  // Up to two entries per bucket on average: the bucket arrays of these per-client maps cost half
  // (issue 5: memory per idle connection); a lookup follows one more link at most, on average.
  connections_.max_load_factor(per_bucket);
  sessions_.max_load_factor(per_bucket);
  by_client_id_.max_load_factor(per_bucket);
  // Shared groups prefer members that are online; an offline member would only queue.
  trie_.set_availability([this](session_handle h) {
    const auto* e = find(h);
    return e != nullptr && e->s->connected();
  });
}

broker::~broker() = default;

broker::session_entry* broker::find(session_handle h) noexcept {
  auto it = sessions_.find(h);
  return it == sessions_.end() ? nullptr : &it->second;
}

void broker::on_connection_opened(connection_id c, connection_info info, time_point now, broker_output_list& out) {
  connections_.insert_or_assign(c, connection_entry{std::make_unique<connection_info>(std::move(info)), session_handle{}});
  out.push_back(timer_arm{connect_timer(c), now + profile_.connect_timeout});
}

void broker::on_connection_packet(connection_id c, packet&& p, time_point now, broker_output_list& out) {
  auto it = connections_.find(c);
  if (it == connections_.end()) return;  // closed already: late bytes are ignored
  if (it->second.session == session_handle{}) {
    if (auto* cp = std::get_if<connect>(&p)) {
      out.push_back(timer_cancel{connect_timer(c)});
      on_connect(c, std::move(*cp), now, out);
    } else {
      // MQTT 5 §3.1: the first packet must be CONNECT; close without answering.
      out.push_back(connection_close{c, disconnect_reason::client_error, errc::protocol_error, {}});
      out.push_back(timer_cancel{connect_timer(c)});
      connections_.erase(it);
    }
    return;
  }
  const session_handle h = it->second.session;
  scratch_.clear();
  find(h)->s->on_packet(std::move(p), now, scratch_);
  apply(h, now, out);
}

void broker::on_connection_error(connection_id c, const decode_error& e, time_point now, broker_output_list& out) {
  auto it = connections_.find(c);
  if (it == connections_.end()) return;
  if (it->second.session == session_handle{}) {
    if (e.code == errc::unsupported_protocol_version)  // 3.1.1 CONNACK, return code 1: every version reads it
      out.push_back(connection_send{c, protocol_version::v311, connack{false, reason_code::unsupported_protocol_version, {}}});
    out.push_back(connection_close{c, disconnect_reason::client_error, e.code, {}});
    out.push_back(timer_cancel{connect_timer(c)});
    connections_.erase(it);
    return;
  }
  const session_handle h = it->second.session;
  scratch_.clear();
  find(h)->s->on_decode_error(e.code, e.reason, now, scratch_);
  apply(h, now, out);
}

void broker::on_connection_closed(connection_id c, time_point now, broker_output_list& out) {
  auto it = connections_.find(c);
  if (it == connections_.end()) return;  // the core closed it: already handled
  const session_handle h = it->second.session;
  if (h == session_handle{}) {
    out.push_back(timer_cancel{connect_timer(c)});
    connections_.erase(it);
    return;
  }
  detach(h, disconnect_reason::connection_lost, now);
  scratch_.clear();
  find(h)->s->on_closed(now, scratch_);
  apply(h, now, out);
}

void broker::on_connection_write_blocked(connection_id c, time_point now) {
  auto it = connections_.find(c);
  if (it == connections_.end() || it->second.session == session_handle{}) return;
  find(it->second.session)->s->on_write_blocked(now);
}

void broker::on_connection_write_ready(connection_id c, time_point now, broker_output_list& out) {
  auto it = connections_.find(c);
  if (it == connections_.end() || it->second.session == session_handle{}) return;
  const session_handle h = it->second.session;
  scratch_.clear();
  find(h)->s->on_write_ready(now, scratch_);
  apply(h, now, out);
}

void broker::on_pubrec_refused(connection_id c, std::uint16_t packet_id, time_point now, broker_output_list& out) {
  auto it = connections_.find(c);
  if (it == connections_.end() || it->second.session == session_handle{}) return;
  const session_handle h = it->second.session;
  scratch_.clear();
  find(h)->s->on_pubrec_refused(packet_id);
  apply(h, now, out);
}

void broker::on_timer(timer_id t, time_point now, broker_output_list& out) {
  const std::uint64_t tag = t.value() >> tag_shift;
  const std::uint64_t number = t.value() & number_mask;
  if (tag == connect_timeout_tag) {
    const connection_id c{number};
    auto it = connections_.find(c);
    if (it == connections_.end() || it->second.session != session_handle{}) return;  // stale
    out.push_back(connection_close{c, disconnect_reason::client_error, errc::protocol_error, {}});
    connections_.erase(it);
    return;
  }
  const session_handle h{number};
  auto* e = find(h);
  if (e == nullptr || tag > 3) return;
  scratch_.clear();
  e->s->on_timer(static_cast<timer_kind>(tag - 1), now, scratch_);
  apply(h, now, out);
}

void broker::on_shutdown(time_point now, broker_output_list& out) {
  std::vector<session_handle> online;
  for (auto& [h, e] : sessions_)
    if (e.connection) online.push_back(h);
  for (auto h : online) {
    scratch_.clear();
    find(h)->s->on_server_disconnect(reason_code::server_shutting_down, disconnect_reason::server_initiated,
                                     "server shutting down", now, scratch_);
    apply(h, now, out);
  }
  for (auto& [c, e] : connections_) out.push_back(connection_close{c, disconnect_reason::server_initiated, {}, {}});
  connections_.clear();
}

bool broker::disconnect_client(std::string_view client_id, time_point now, broker_output_list& out) {
  auto it = by_client_id_.find(client_id);
  if (it == by_client_id_.end()) return false;
  const session_handle h = it->second;
  if (!find(h)->connection) return false;
  scratch_.clear();
  find(h)->s->on_server_disconnect(reason_code::administrative_action, disconnect_reason::server_initiated,
                                   "disconnected by an administrator", now, scratch_);
  apply(h, now, out);
  return true;
}

std::error_code broker::publish(publish_request r, time_point now, broker_output_list& out) {
  if (auto ec = validate_topic_name(r.topic)) return ec;
  if (auto ec = check_topic_limits(r.topic, profile_, errc::topic_name_invalid)) return ec;
  if (auto ec = check_payload_size(r.payload.size(), profile_)) return ec;
  if (r.qos == qos2 && !profile_.qos2_supported) return errc::qos_not_supported;
  work_.push_back(route_work{make_message(std::move(r.topic), std::move(r.payload), r.qos, r.retain,
                                          std::move(r.props), now),
                             session_handle{}, std::nullopt});
  drain(now, out);
  return {};
}

std::optional<listener_id> broker::add_listener(std::string_view filter) {
  if (validate_topic_filter(filter) || parse_shared(filter)) return std::nullopt;
  const listener_id id{++next_listener_};
  const session_handle as_subscriber{(std::uint64_t{1} << 63) | id.value()};
  trie_.subscribe(filter, subscription{as_subscriber, subscription_options{qos1, false, true, retain_handling::dont_send}, 0});
  listeners_.emplace(id.value(), std::string(filter));
  return id;
}

bool broker::remove_listener(listener_id id) {
  auto it = listeners_.find(id.value());
  if (it == listeners_.end()) return false;
  trie_.unsubscribe(it->second, session_handle{(std::uint64_t{1} << 63) | id.value()});
  listeners_.erase(it);
  return true;
}

std::string_view broker::client_id_of(connection_id c) const noexcept {
  const auto it = connections_.find(c);
  if (it == connections_.end() || it->second.session == session_handle{}) return {};
  const auto s = sessions_.find(it->second.session);
  return s == sessions_.end() ? std::string_view() : std::string_view(s->second.s->client_id());
}

const session* broker::find_session(std::string_view client_id) const {
  auto it = by_client_id_.find(client_id);
  if (it == by_client_id_.end()) return nullptr;
  auto s = sessions_.find(it->second);
  return s == sessions_.end() ? nullptr : s->second.s.get();
}

}  // namespace lambkin::mqtt
