// CONNECT: the checks before a session is chosen, and the negotiation once it is.
#include "emulator/core/mqtt/session.hpp"
#include "emulator/core/mqtt/topic.hpp"

#include <algorithm>

namespace lambkin::mqtt {
namespace {

std::uint16_t negotiate_keep_alive(std::uint16_t requested, const profile& p) {
  if (requested == 0) {
    if (!p.keep_alive_zero_means_max) return 0;  // keep-alive disabled
    return p.keep_alive_max;                     // AWS: 0 → 1200 s
  }
  return std::clamp(requested, std::max<std::uint16_t>(p.keep_alive_min, 1), p.keep_alive_max);
}

std::uint32_t requested_session_expiry(const connect& c, const profile& p) {
  if (c.version == protocol_version::v5) return c.props.session_expiry_interval.value_or(0);
  if (c.clean_start) return 0;
  return p.session_expiry_311.value_or(0xFFFFFFFF);
}

}  // namespace

std::optional<connect_refusal> check_connect(const connect& c, const profile& p) {
  if (check_client_id(c.client_id, p))
    return connect_refusal{reason_code::client_identifier_not_valid,
                           "client id longer than " + std::to_string(p.max_client_id_bytes) + " bytes"};
  if (c.client_id.empty()) {
    if (c.version == protocol_version::v311 && !c.clean_start)
      return connect_refusal{reason_code::client_identifier_not_valid, "an empty client id needs Clean Session"};
    if (!p.assign_client_ids) return connect_refusal{reason_code::client_identifier_not_valid, "empty client id"};
  }
  if (c.props.authentication_method)
    return connect_refusal{reason_code::bad_authentication_method, "enhanced authentication is not supported"};
  if (c.will) {
    const will_message& w = *c.will;
    if (validate_topic_name(w.topic) || check_topic_limits(w.topic, p, errc::topic_name_invalid))
      return connect_refusal{reason_code::topic_name_invalid, "invalid will topic"};
    if (!may_publish(w.topic, p))
      return connect_refusal{reason_code::not_authorized, "the will topic is reserved"};
    if (w.qos == qos2 && !p.qos2_supported)
      return connect_refusal{reason_code::qos_not_supported, "will QoS 2 is not supported"};
    if (w.retain && !p.retain_available)
      return connect_refusal{reason_code::retain_not_supported, "retained wills are not supported"};
    if (check_payload_size(w.payload.size(), p))
      return connect_refusal{reason_code::packet_too_large, "will payload over the size limit"};
  }
  return std::nullopt;
}

void session::on_connect(const connect& c, std::string_view assigned_client_id, bool session_present,
                         time_point now, session_output& out) {
  const profile& p = *profile_;
  if (state_ == state::ended) return;
  if (state_ == state::offline) {
    // A new connection before the Will Delay Interval passed: the Will is not sent (§3.1.3.2.2).
    if (will_pending_) out.push_back(cancel_timer{timer_kind::will_delay});
    if (expiry_armed_) out.push_back(cancel_timer{timer_kind::session_expiry});
  }
  will_pending_ = false;
  expiry_armed_ = false;
  state_ = state::connected;
  head_changed();
  version_ = c.version;
  last_activity_ = now;
  write_blocked_ = false;
  const bool v5 = version_ == protocol_version::v5;

  keep_alive_ = negotiate_keep_alive(c.keep_alive, p);
  const std::uint32_t requested_expiry = requested_session_expiry(c, p);
  session_expiry_ = p.max_session_expiry ? std::min(requested_expiry, *p.max_session_expiry) : requested_expiry;
  client_receive_maximum_ = v5 ? c.props.receive_maximum.value_or(65'535) : 65'535;
  client_max_packet_size_ = v5 ? c.props.maximum_packet_size.value_or(0) : 0;
  client_topic_alias_maximum_ = v5 ? c.props.topic_alias_maximum.value_or(0) : 0;
  problem_information_ = c.props.request_problem_information.value_or(true);
  if (v5 && p.topic_alias_maximum != 0)
    x().inbound_aliases.assign(p.topic_alias_maximum, std::string());
  else if (extras_)
    extras_->inbound_aliases.clear();
  if (extras_) extras_->outbound_aliases.clear();
  will_ = c.will ? std::make_unique<will_message>(*c.will) : nullptr;

  connack ack{session_present, reason_code::success, {}};
  if (v5) {
    auto& props = ack.props;
    if (p.receive_maximum != 65'535) props.receive_maximum = p.receive_maximum;
    if (!p.qos2_supported) props.maximum_qos = 1;
    if (!p.retain_available) props.retain_available = false;
    props.maximum_packet_size = p.max_packet_size;
    if (p.topic_alias_maximum != 0) props.topic_alias_maximum = p.topic_alias_maximum;
    if (!p.wildcard_subscriptions_available) props.wildcard_subscription_available = false;
    if (!p.subscription_identifiers_available) props.subscription_identifier_available = false;
    if (!p.shared_subscriptions_available) props.shared_subscription_available = false;
    if (!assigned_client_id.empty()) props.assigned_client_identifier = std::string(assigned_client_id);
    if (keep_alive_ != c.keep_alive) props.server_keep_alive = keep_alive_;
    if (session_expiry_ != requested_expiry) props.session_expiry_interval = session_expiry_;
  }
  out.push_back(send_packet{std::move(ack)});
  arm_keep_alive(out);
  if (session_present) resend_inflight(now, out);
  flush(now, out);
}

}  // namespace lambkin::mqtt
