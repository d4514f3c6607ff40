// session: dispatch of client packets, timers, and the connected → offline → ended lifecycle.
// (CONNECT: session_connect.cpp; inbound PUBLISH: session_publish.cpp; SUBSCRIBE/UNSUBSCRIBE:
// session_subscribe.cpp; outbound messages and their acknowledgements: session_delivery.cpp.)
#include "emulator/core/mqtt/session.hpp"

#include <utility>

namespace lambkin::mqtt {

std::string_view to_string(disconnect_reason r) noexcept {
  switch (r) {
    case disconnect_reason::client_initiated: return "CLIENT_INITIATED_DISCONNECT";
    case disconnect_reason::client_error: return "CLIENT_ERROR";
    case disconnect_reason::connection_lost: return "CONNECTION_LOST";
    case disconnect_reason::duplicate_client_id: return "DUPLICATE_CLIENTID";
    case disconnect_reason::keep_alive_timeout: return "MQTT_KEEP_ALIVE_TIMEOUT";
    case disconnect_reason::forbidden_access: return "FORBIDDEN_ACCESS";
    case disconnect_reason::server_initiated: return "SERVER_INITIATED_DISCONNECT";
    case disconnect_reason::throttled: return "THROTTLED";
  }
  return "UNKNOWN";
}

session::session(session_handle handle, std::string client_id, const profile& p)
    : handle_(handle), client_id_(std::move(client_id)), profile_(&p) {}

const std::map<std::string, session_subscription, std::less<>>& session::subscriptions() const noexcept {
  static const subscription_map none;
  return subscriptions_ ? *subscriptions_ : none;
}

properties session::reason_props(std::string reason) const {
  properties props;
  // MQTT 5 §3.1.2.11.7: with Request Problem Information 0, no Reason String on acks.
  if (version_ == protocol_version::v5 && problem_information_ && !reason.empty())
    props.reason_string = std::move(reason);
  return props;
}

void session::on_packet(packet&& p, time_point now, session_output& out) {
  if (state_ != state::connected) return;
  last_activity_ = now;
  switch (type_of(p)) {
    case packet_type::publish: on_publish(std::get<publish>(std::move(p)), now, out); break;
    case packet_type::puback: on_puback(std::get<puback>(p), now, out); break;
    case packet_type::pubrec: on_pubrec(std::get<pubrec>(p), now, out); break;
    case packet_type::pubrel: on_pubrel(std::get<pubrel>(p), out); break;
    case packet_type::pubcomp: on_pubcomp(std::get<pubcomp>(p), now, out); break;
    case packet_type::subscribe: on_subscribe(std::get<subscribe>(std::move(p)), now, out); break;
    case packet_type::unsubscribe: on_unsubscribe(std::get<unsubscribe>(std::move(p)), out); break;
    case packet_type::pingreq: out.push_back(send_packet{pingresp{}}); break;
    case packet_type::disconnect: on_disconnect(std::get<disconnect>(p), now, out); break;
    case packet_type::connect:
      protocol_violation(errc::protocol_error, "a second CONNECT on the connection", disconnect_reason::client_error,
                         now, out);
      break;
    case packet_type::auth:
      protocol_violation(errc::protocol_error, "AUTH without an authentication method", disconnect_reason::client_error,
                         now, out);
      break;
    case packet_type::connack:
    case packet_type::suback:
    case packet_type::unsuback:
    case packet_type::pingresp:
      protocol_violation(errc::protocol_error, std::string(to_string(type_of(p))) + " is sent by servers only",
                         disconnect_reason::client_error, now, out);
      break;
  }
}

void session::on_decode_error(errc code, std::string_view reason, time_point now, session_output& out) {
  protocol_violation(code, std::string(reason), disconnect_reason::client_error, now, out);
}

void session::protocol_violation(errc code, std::string reason, disconnect_reason why, time_point now,
                                 session_output& out) {
  if (state_ != state::connected) return;
  if (version_ == protocol_version::v5) {
    disconnect d{to_reason_code(code), {}};
    d.props.reason_string = std::move(reason);  // always allowed on DISCONNECT
    out.push_back(send_packet{std::move(d)});
  }
  out.push_back(close_connection{why, code});
  go_offline(now, out);
}

void session::on_disconnect(const disconnect& d, time_point now, session_output& out) {
  if (version_ == protocol_version::v5 && d.props.session_expiry_interval) {
    const std::uint32_t requested = *d.props.session_expiry_interval;
    if (session_expiry_ == 0 && requested != 0) {
      protocol_violation(errc::protocol_error, "Session Expiry Interval was 0 on CONNECT",
                         disconnect_reason::client_error, now, out);
      return;
    }
    session_expiry_ = profile_->max_session_expiry ? std::min(requested, *profile_->max_session_expiry) : requested;
  }
  // A normal DISCONNECT discards the Will; reason 0x04 asks for it (MQTT 5 §3.14.2.1).
  if (!(version_ == protocol_version::v5 && d.reason == reason_code::disconnect_with_will_message)) will_.reset();
  out.push_back(close_connection{disconnect_reason::client_initiated, {}});
  go_offline(now, out);
}

void session::on_closed(time_point now, session_output& out) {
  if (state_ == state::connected) go_offline(now, out);
}

void session::on_taken_over(time_point now, session_output& out) {
  on_server_disconnect(reason_code::session_taken_over, disconnect_reason::duplicate_client_id,
                       "another connection uses this client id", now, out);
}

void session::on_server_disconnect(reason_code rc, disconnect_reason why, std::string_view reason, time_point now,
                                   session_output& out) {
  if (state_ != state::connected) return;
  if (version_ == protocol_version::v5) {
    disconnect d{rc, {}};
    if (!reason.empty()) d.props.reason_string = std::string(reason);
    out.push_back(send_packet{std::move(d)});
  }
  out.push_back(close_connection{why, rc == reason_code::session_taken_over
                                          ? std::error_code(errc::session_taken_over)
                                          : std::error_code(errc::server_unavailable)});
  go_offline(now, out);
}

void session::go_offline(time_point now, session_output& out) {
  state_ = state::offline;
  head_changed();
  write_blocked_ = false;
  if (keep_alive_ != 0) out.push_back(cancel_timer{timer_kind::keep_alive});
  // QoS 0 messages are not kept for an offline client (AWS §1.4; MQTT allows either).
  if (queued_qos0_ != 0) {
    rare().dropped_qos0 += erase_if(queue_, [](const pending& p) { return p.qos == qos0; });
    queued_qos0_ = 0;
  }
  if (will_) {
    const std::uint32_t delay = will_->props.will_delay_interval.value_or(0);
    if (delay == 0 || session_expiry_ == 0) {
      publish_pending_will(now, out);
    } else {
      will_pending_ = true;
      x().will_deadline = now + seconds(delay);
      out.push_back(arm_timer{timer_kind::will_delay, extras_->will_deadline});
    }
  }
  if (session_expiry_ == 0) {
    end(now, out);
  } else if (session_expiry_ != 0xFFFFFFFF) {
    expiry_armed_ = true;
    x().expiry_deadline = now + seconds(session_expiry_);
    out.push_back(arm_timer{timer_kind::session_expiry, extras_->expiry_deadline});
  }
}

void session::publish_pending_will(time_point now, session_output& out) {
  if (!will_) return;
  will_message w = std::move(*will_);
  will_.reset();
  will_pending_ = false;
  head_changed();
  // AWS IoT: publishing the will needs iot:Publish (and iot:RetainPublish when retained) on its
  // topic, as the client's own PUBLISH would. Refused: the will is dropped, and logged.
  if (authority_) {
    for (const auto action : {iot_action::publish, iot_action::retain_publish}) {
      if (action == iot_action::retain_publish && !w.retain) break;
      if (!authority_->allowed(action, w.topic)) {
        out.push_back(access_denied{action, authority_->resource(action, w.topic)});
        return;
      }
    }
  }
  out.push_back(publish_will{make_message(std::move(w.topic), std::move(w.payload), w.qos, w.retain,
                                          std::move(w.props), now)});
}

void session::end(time_point now, session_output& out) {
  if (state_ == state::ended) return;
  if (state_ == state::connected) {
    out.push_back(close_connection{disconnect_reason::server_initiated, {}});
    if (keep_alive_ != 0) out.push_back(cancel_timer{timer_kind::keep_alive});
  } else {
    if (will_pending_) out.push_back(cancel_timer{timer_kind::will_delay});
    if (expiry_armed_) out.push_back(cancel_timer{timer_kind::session_expiry});
  }
  expiry_armed_ = false;
  publish_pending_will(now, out);  // the session ends before the Will Delay Interval: send it now
  state_ = state::ended;
  inflight_.clear();
  queue_.clear();
  queued_qos0_ = 0;
  out.push_back(session_ended{});
}

void session::on_timer(timer_kind kind, time_point now, session_output& out) {
  switch (kind) {
    case timer_kind::keep_alive:
      if (state_ == state::connected) check_keep_alive(now, out);
      break;
    case timer_kind::will_delay:
      if (state_ == state::offline && will_pending_ && now >= extras_->will_deadline) publish_pending_will(now, out);
      break;
    case timer_kind::session_expiry:
      if (state_ == state::offline && expiry_armed_ && now >= extras_->expiry_deadline) {
        expiry_armed_ = false;  // it fired: nothing to cancel
        end(now, out);
      }
      break;
  }
}

void session::arm_keep_alive(session_output& out) {
  if (keep_alive_ == 0) return;
  out.push_back(arm_timer{timer_kind::keep_alive, last_activity_ + milliseconds(keep_alive_ * 1500)});
}

void session::check_keep_alive(time_point now, session_output& out) {
  if (keep_alive_ == 0) return;
  // Packets only move `last_activity_`; the timer is re-armed lazily when it fires, so the shell
  // is not asked to reset a timer on every packet.
  const time_point deadline = last_activity_ + milliseconds(keep_alive_ * 1500);
  if (now < deadline) {
    out.push_back(arm_timer{timer_kind::keep_alive, deadline});
    return;
  }
  protocol_violation(errc::keep_alive_timeout, "no packet within 1.5 times the keep-alive",
                     disconnect_reason::keep_alive_timeout, now, out);
}

void session::on_write_blocked(time_point) {
  if (state_ == state::connected) write_blocked_ = true;
}

void session::on_write_ready(time_point now, session_output& out) {
  write_blocked_ = false;
  flush(now, out);
}

}  // namespace lambkin::mqtt
