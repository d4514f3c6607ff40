// Outbound messages: the in-flight window, the bounded queue, packet identifiers, outbound topic
// aliases, the client's Maximum Packet Size, and the acknowledgements that move the window.
#include "emulator/core/mqtt/encoder.hpp"
#include "emulator/core/mqtt/session.hpp"

#include <algorithm>
#include <utility>

namespace lambkin::mqtt {

std::size_t session::window() const noexcept {
  return std::max<std::size_t>(1, std::min<std::size_t>(client_receive_maximum_, profile_->max_inflight_out));
}

void session::deliver(const message_ptr& m, const delivery& d, time_point now, session_output& out) {
  if (state_ == state::ended) return;
  if (authority_ && !authority_->allowed(iot_action::receive, m->topic)) {
    out.push_back(access_denied{iot_action::receive, authority_->resource(iot_action::receive, m->topic)});
    return;  // AWS IoT: not delivered, and nobody is told
  }
  if (expired(*m, now)) {
    ++rare().dropped_expired;
    return;
  }
  qos_level q = std::min(m->qos, d.max_qos);
  if (q == qos2 && !profile_->qos2_supported) q = qos1;
  pending p{m, q, d.retain, d.subscription_ids};
  if (state_ == state::offline) {
    if (q == qos0) {
      ++rare().dropped_qos0;
      return;
    }
    enqueue(std::move(p), now, out);
    return;
  }
  const bool room = q == qos0 || inflight_.size() < window();
  if (queue_.empty() && !write_blocked_ && room) {
    transmit(std::move(p), now, out);
    return;
  }
  enqueue(std::move(p), now, out);
}

bool session::enqueue(pending&& p, time_point now, session_output& out) {
  if (p.qos == qos0) {
    if (queued_qos0_ >= profile_->max_queued_qos0) {
      ++rare().dropped_qos0;
      return false;
    }
    ++queued_qos0_;
    queue_.push_back(std::move(p));
    return true;
  }
  if (queue_.size() - queued_qos0_ >= profile_->max_queued_messages) {
    if (state_ == state::connected) {
      // A client that stops acknowledging must not make the broker hold messages without bound.
      protocol_violation(errc::quota_exceeded, "too many messages waiting for this client",
                         disconnect_reason::throttled, now, out);
    } else {
      ++rare().dropped_queue_full;
    }
    return false;
  }
  journal_added(p, 0);
  queue_.push_back(std::move(p));
  return true;
}

void session::flush(time_point now, session_output& out) {
  while (state_ == state::connected && !write_blocked_ && !queue_.empty()) {
    if (queue_.front().qos != qos0 && inflight_.size() >= window()) break;  // order is kept: wait
    pending p = std::move(queue_.front());
    queue_.pop_front();
    if (p.qos == qos0) --queued_qos0_;
    if (expired(*p.msg, now)) {
      ++rare().dropped_expired;
      journal(message_change::kind::removed, p.seq);
      continue;
    }
    transmit(std::move(p), now, out);
  }
}

publish session::make_publish(const pending& p, std::uint16_t packet_id, bool dup, time_point now) {
  publish pub{p.msg->topic, p.msg->payload, p.qos, p.retain, dup, packet_id, {}};
  if (version_ == protocol_version::v5) {  // 3.1.1 clients get no properties
    pub.props = p.msg->props;
    pub.props.message_expiry_interval = remaining_expiry(*p.msg, now);
    pub.props.subscription_identifiers = p.subscription_ids;
    if (client_topic_alias_maximum_ != 0) {
      // Reuse the topic's alias, or assign the next free one; once all are taken, full topics.
      auto& aliases = x().outbound_aliases;
      if (auto it = aliases.find(pub.topic); it != aliases.end()) {
        pub.props.topic_alias = it->second;
        pub.topic.clear();
      } else if (aliases.size() < client_topic_alias_maximum_) {
        const auto alias = static_cast<std::uint16_t>(aliases.size() + 1);
        aliases.emplace(pub.topic, alias);
        pub.props.topic_alias = alias;
      }
    }
  }
  return pub;
}

bool session::transmit(pending&& p, time_point now, session_output& out) {
  if (client_max_packet_size_ != 0) {
    // Sized with the full topic and no alias: an alias is only assigned to a packet really sent.
    publish probe{p.msg->topic, p.msg->payload, p.qos, p.retain, false, 1, p.msg->props};
    probe.props.message_expiry_interval = remaining_expiry(*p.msg, now);
    probe.props.subscription_identifiers = p.subscription_ids;
    if (encoded_size(probe, version_) > client_max_packet_size_) {
      ++rare().dropped_too_large;  // MQTT 5 §3.1.2.11.4: discard as if sent
      journal(message_change::kind::removed, p.seq);
      return false;
    }
  }
  const std::uint16_t id = p.qos == qos0 ? 0 : next_packet_id();
  if (id != 0) {
    if (p.seq == 0) journal_added(p, id);
    else journal(message_change::kind::sent, p.seq, id);
  }
  publish pub = make_publish(p, id, false, now);
  if (p.qos != qos0)
    inflight_.push_back(in_flight{id, p.qos == qos1 ? outbound_state::await_puback : outbound_state::await_pubrec,
                                  std::move(p)});
  ++delivered_;
  out.push_back(send_packet{std::move(pub)});
  return true;
}

void session::resend_inflight(time_point now, session_output& out) {
  for (const auto& f : inflight_) {
    if (f.stage == outbound_state::await_pubcomp) {
      out.push_back(send_packet{pubrel{f.packet_id, reason_code::success, {}}});
      continue;
    }
    ++rare().redelivered;
    out.push_back(send_packet{make_publish(f.delivery, f.packet_id, true, now)});
  }
}

std::uint16_t session::next_packet_id() noexcept {
  auto in_use = [&](std::uint16_t id) {
    return std::any_of(inflight_.begin(), inflight_.end(), [&](const in_flight& f) { return f.packet_id == id; });
  };
  do {
    last_packet_id_ = last_packet_id_ == 65'535 ? 1 : static_cast<std::uint16_t>(last_packet_id_ + 1);
  } while (in_use(last_packet_id_));
  return last_packet_id_;
}

void session::release(std::uint16_t packet_id, outbound_state expected, time_point now, session_output& out) {
  // Acknowledgements mostly arrive in order, so the search usually stops at the front.
  auto it = std::find_if(inflight_.begin(), inflight_.end(),
                         [&](const in_flight& f) { return f.packet_id == packet_id; });
  if (it == inflight_.end() || it->stage != expected) return;  // unknown or late: ignored
  journal(message_change::kind::removed, it->delivery.seq);
  inflight_.erase(it);
  flush(now, out);
}

void session::on_puback(const puback& a, time_point now, session_output& out) {
  release(a.packet_id, outbound_state::await_puback, now, out);
}

void session::on_pubcomp(const pubcomp& a, time_point now, session_output& out) {
  release(a.packet_id, outbound_state::await_pubcomp, now, out);
}

void session::on_pubrec(const pubrec& a, time_point now, session_output& out) {
  auto it = std::find_if(inflight_.begin(), inflight_.end(),
                         [&](const in_flight& f) { return f.packet_id == a.packet_id; });
  if (it == inflight_.end() || it->stage == outbound_state::await_puback) {
    if (version_ == protocol_version::v5)
      out.push_back(send_packet{pubrel{a.packet_id, reason_code::packet_identifier_not_found, {}}});
    return;
  }
  if (is_error(a.reason)) {  // the client refused the message: the exchange ends here
    journal(message_change::kind::removed, it->delivery.seq);
    inflight_.erase(it);
    flush(now, out);
    return;
  }
  it->stage = outbound_state::await_pubcomp;
  journal(message_change::kind::released, it->delivery.seq);
  out.push_back(send_packet{pubrel{a.packet_id, reason_code::success, {}}});
}

}  // namespace lambkin::mqtt
