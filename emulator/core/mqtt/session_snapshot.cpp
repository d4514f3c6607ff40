// session: copying the persistent state out and back in, and the journal of what changed in
// between (session_snapshot.hpp).
#include "emulator/core/mqtt/session.hpp"

#include <algorithm>

namespace lambkin::mqtt {

session_snapshot session::snapshot(bool with_messages) const {
  session_snapshot s;
  s.client_id = client_id_;
  s.version = version_;
  s.session_expiry = session_expiry_;
  s.connected = state_ == state::connected;
  if (!s.connected && expiry_armed_) s.expires_at = extras_->expiry_deadline;
  if (subscriptions_) s.subscriptions.assign(subscriptions_->begin(), subscriptions_->end());
  if (with_messages) {
    s.messages.reserve(inflight_.size() + queue_.size());
    for (const auto& f : inflight_)
      s.messages.push_back(snapshot_message{f.delivery.msg, f.delivery.qos, f.delivery.retain,
                                            f.delivery.subscription_ids, f.packet_id,
                                            f.stage == outbound_state::await_pubcomp, f.delivery.seq});
    for (const auto& p : queue_) {
      if (p.qos == qos0) continue;  // never kept offline
      s.messages.push_back(snapshot_message{p.msg, p.qos, p.retain, p.subscription_ids, 0, false, p.seq});
    }
  }
  s.last_packet_id = last_packet_id_;
  if (will_) s.will = *will_;
  if (will_pending_) s.will_at = extras_->will_deadline;
  if (extras_) s.inbound_qos2.assign(extras_->inbound_qos2.begin(), extras_->inbound_qos2.end());
  std::sort(s.inbound_qos2.begin(), s.inbound_qos2.end());
  return s;
}

void session::restore(const session_snapshot& s, time_point now, session_output& out) {
  state_ = state::offline;
  version_ = s.version;
  session_expiry_ = s.session_expiry;
  subscriptions_.reset();
  if (!s.subscriptions.empty()) subscriptions_ = std::make_unique<subscription_map>();
  for (const auto& [filter, sub] : s.subscriptions) subscriptions_->emplace(filter, sub);
  inflight_.clear();
  queue_.clear();
  queued_qos0_ = 0;
  last_seq_ = 0;
  for (const auto& m : s.messages) {
    pending p{m.msg, m.qos, m.retain, m.subscription_ids, m.seq};
    last_seq_ = std::max(last_seq_, m.seq);
    if (m.packet_id == 0) {
      queue_.push_back(std::move(p));
      continue;
    }
    const auto stage = m.released ? outbound_state::await_pubcomp
                                  : (m.qos == qos1 ? outbound_state::await_puback : outbound_state::await_pubrec);
    inflight_.push_back(in_flight{m.packet_id, stage, std::move(p)});
  }
  // Messages stored without a number (none should be) get fresh ones after the rest.
  for (auto& f : inflight_)
    if (f.delivery.seq == 0) f.delivery.seq = ++last_seq_;
  for (auto& p : queue_)
    if (p.seq == 0) p.seq = ++last_seq_;
  last_packet_id_ = inflight_.empty() ? s.last_packet_id : inflight_.back().packet_id;
  if (extras_) extras_->inbound_qos2.clear();
  if (!s.inbound_qos2.empty()) x().inbound_qos2.insert(s.inbound_qos2.begin(), s.inbound_qos2.end());
  will_ = s.will ? std::make_unique<will_message>(*s.will) : nullptr;
  will_pending_ = false;
  if (will_) {
    will_pending_ = true;
    x().will_deadline = s.will_at.value_or(now);
    out.push_back(arm_timer{timer_kind::will_delay, extras_->will_deadline});
  }
  if (s.expires_at) {
    expiry_armed_ = true;
    x().expiry_deadline = *s.expires_at;
    out.push_back(arm_timer{timer_kind::session_expiry, extras_->expiry_deadline});
  }
}

session_journal session::take_journal() {
  if (!extras_) return {};
  session_journal j = std::move(extras_->journal);
  extras_->journal = session_journal{};
  return j;
}

void session::journal_added(pending& p, std::uint16_t packet_id) {
  p.seq = ++last_seq_;
  if (!journal_on_) return;
  journal_entries().messages.push_back(message_change{
      message_change::kind::added, p.seq, 0, snapshot_message{p.msg, p.qos, p.retain, p.subscription_ids, packet_id, false, p.seq}});
}

void session::journal(message_change::kind what, std::uint64_t seq, std::uint16_t packet_id) {
  if (!journal_on_ || seq == 0) return;
  journal_entries().messages.push_back(message_change{what, seq, packet_id, {}});
}

}  // namespace lambkin::mqtt
