// session: copying the persistent state out and back in (session_snapshot.hpp).
#include "emulator/core/mqtt/session.hpp"

namespace lambkin::mqtt {

session_snapshot session::snapshot() const {
  session_snapshot s;
  s.client_id = client_id_;
  s.version = version_;
  s.session_expiry = session_expiry_;
  s.connected = state_ == state::connected;
  if (!s.connected && expiry_armed_) s.expires_at = expiry_deadline_;
  s.subscriptions.assign(subscriptions_.begin(), subscriptions_.end());
  s.messages.reserve(inflight_.size() + queue_.size());
  for (const auto& f : inflight_)
    s.messages.push_back(snapshot_message{f.delivery.msg, f.delivery.qos, f.delivery.retain,
                                          f.delivery.subscription_ids, f.packet_id,
                                          f.stage == outbound_state::await_pubcomp});
  for (const auto& p : queue_) {
    if (p.qos == qos0) continue;  // never kept offline
    s.messages.push_back(snapshot_message{p.msg, p.qos, p.retain, p.subscription_ids, 0, false});
  }
  s.last_packet_id = last_packet_id_;
  return s;
}

void session::restore(const session_snapshot& s, time_point now, session_output& out) {
  (void)now;
  state_ = state::offline;
  version_ = s.version;
  session_expiry_ = s.session_expiry;
  subscriptions_.clear();
  for (const auto& [filter, sub] : s.subscriptions) subscriptions_.emplace(filter, sub);
  inflight_.clear();
  queue_.clear();
  queued_qos0_ = 0;
  for (const auto& m : s.messages) {
    pending p{m.msg, m.qos, m.retain, m.subscription_ids};
    if (m.packet_id == 0) {
      queue_.push_back(std::move(p));
      continue;
    }
    const auto stage = m.released ? outbound_state::await_pubcomp
                                  : (m.qos == qos1 ? outbound_state::await_puback : outbound_state::await_pubrec);
    inflight_.push_back(in_flight{m.packet_id, stage, std::move(p)});
  }
  last_packet_id_ = s.last_packet_id;
  if (s.expires_at) {
    expiry_armed_ = true;
    expiry_deadline_ = *s.expires_at;
    out.push_back(arm_timer{timer_kind::session_expiry, expiry_deadline_});
  }
}

}  // namespace lambkin::mqtt
