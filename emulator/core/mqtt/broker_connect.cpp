// CONNECT at the broker: refusal, client id assignment, takeover, resuming or starting a session.
#include "emulator/core/mqtt/broker.hpp"

#include <utility>

namespace lambkin::mqtt {

std::string broker::generate_client_id() {
  std::string id;
  do {
    id = "lambkin-" + std::to_string(++generated_ids_);
  } while (by_client_id_.contains(id));
  return id;
}

session_handle broker::create_session(std::string client_id) {
  const session_handle h{++next_session_};
  session_entry e;
  e.s = std::make_unique<mqtt::session>(h, std::move(client_id), profile_);
  // The key views the new session's copy: replace the node, not just its value.
  by_client_id_.erase(e.s->client_id());
  by_client_id_.emplace(e.s->client_id(), h);
  sessions_.emplace(h, std::move(e));
  return h;
}

void broker::refuse(connection_id c, const connect& cp, const connect_refusal& r, broker_output_list& out) {
  const protocol_version v = cp.version;
  if (v == protocol_version::v5) {
    connack ack{false, r.reason, {}};
    ack.props.reason_string = r.reason_string;
    out.push_back(connection_send{c, v, std::move(ack)});
  } else {
    // 3.1.1 has return codes 1–5 only (0x84–0x88); for anything else the connection just closes.
    const auto code = static_cast<std::uint8_t>(r.reason);
    if (code >= 0x84 && code <= 0x88) out.push_back(connection_send{c, v, connack{false, r.reason, {}}});
  }
  out.push_back(connection_close{c, disconnect_reason::client_error, {}, cp.client_id});
  connections_.erase(c);
}

void broker::on_connect(connection_id c, connect&& cp, time_point now, broker_output_list& out) {
  if (auto refusal = check_connect(cp, profile_)) {
    refuse(c, cp, *refusal, out);
    return;
  }
  std::string assigned;
  if (cp.client_id.empty()) {
    assigned = generate_client_id();
    cp.client_id = assigned;
  }
  // Before any takeover: a refused CONNECT must not disturb the session it names.
  std::shared_ptr<connection_authority> authority;
  if (authorizer_) {
    const auto& info = *connections_.at(c).info;
    connect_attributes attributes;
    attributes.persistent = cp.version == protocol_version::v311 ? !cp.clean_start
                                                                 : cp.props.session_expiry_interval.value_or(0) != 0;
    attributes.last_will = cp.will.has_value();
    auto verdict = authorizer_->authorize_connect(info, cp.client_id, attributes);
    if (!verdict.allowed) {
      out.push_back(authorization_denied{cp.client_id, info.principal, iot_action::connect, std::move(verdict.resource),
                                         std::move(verdict.reason)});
      refuse(c, cp, connect_refusal{reason_code::not_authorized, "Not authorized"}, out);
      return;
    }
    authority = std::move(verdict.authority);
  }

  bool session_present = false;
  session_handle h;
  if (auto existing = by_client_id_.find(cp.client_id); existing != by_client_id_.end()) {
    h = existing->second;
    if (find(h)->connection) {  // takeover: the new connection wins (reference §1.8)
      scratch_.clear();
      find(h)->s->on_taken_over(now, scratch_);
      apply(h, now, out);
    }
    auto* e = find(h);
    if (e != nullptr && !e->s->ended() && cp.clean_start) {
      scratch_.clear();
      e->s->end(now, scratch_);  // Clean Start: the old session ends (its pending will goes out)
      apply(h, now, out);
    }
    e = find(h);
    session_present = e != nullptr && !e->s->ended();
  }
  if (!session_present) h = create_session(cp.client_id);

  auto& conn = connections_.at(c);
  auto& e = *find(h);
  conn.session = h;
  e.connection = c;
  // The address is only needed for the connected event below; the session keeps the principal.
  const std::unique_ptr<connection_info> info = std::move(conn.info);
  e.principal = info->principal.empty() ? nullptr : std::make_unique<const std::string>(std::move(info->principal));
  e.s->set_version_number(++connects_);
  e.s->set_authority(std::move(authority));
  scratch_.clear();
  e.s->on_connect(cp, assigned, session_present, now, scratch_);
  if (profile_.lifecycle_events && has_lifecycle_events(cp.client_id))
    publish_event(connected_topic(cp.client_id), connected_payload(identity(e, now), info->ip_address, e.s->version_number()),
                  now);
  apply(h, now, out);
}

}  // namespace lambkin::mqtt
