// Inbound PUBLISH (and the PUBREL that completes an inbound QoS 2 exchange).
#include "emulator/core/mqtt/session.hpp"
#include "emulator/core/mqtt/topic.hpp"
#include "emulator/core/mqtt/utf8.hpp"

#include <utility>

namespace lambkin::mqtt {

bool session::resolve_topic_alias(publish& p, time_point now, session_output& out) {
  if (!p.props.topic_alias) {
    if (!p.topic.empty()) return true;
    protocol_violation(errc::protocol_error, "empty topic without a topic alias", disconnect_reason::client_error, now,
                       out);
    return false;
  }
  const std::uint16_t alias = *p.props.topic_alias;
  const std::size_t maximum = extras_ ? extras_->inbound_aliases.size() : 0;
  if (alias == 0 || alias > maximum) {
    protocol_violation(errc::topic_alias_invalid,
                       "topic alias " + std::to_string(alias) + " exceeds the maximum of " + std::to_string(maximum),
                       disconnect_reason::client_error, now, out);
    return false;
  }
  std::string& known = extras_->inbound_aliases[alias - 1];
  if (!p.topic.empty()) {
    known = p.topic;
  } else if (known.empty()) {
    protocol_violation(errc::protocol_error, "topic alias " + std::to_string(alias) + " was never set",
                       disconnect_reason::client_error, now, out);
    return false;
  } else {
    p.topic = known;
  }
  p.props.topic_alias.reset();
  return true;
}

void session::on_publish(publish&& p, time_point now, session_output& out) {
  const profile& prof = *profile_;
  const auto violation = [&](errc code, std::string reason, disconnect_reason why = disconnect_reason::client_error) {
    protocol_violation(code, std::move(reason), why, now, out);
  };
  if (p.qos == qos2 && !prof.qos2_supported) return violation(errc::qos_not_supported, "QoS 2 is not supported");
  if (version_ == protocol_version::v5) {
    if (!p.props.subscription_identifiers.empty())
      return violation(errc::protocol_error, "a client PUBLISH must not carry a Subscription Identifier");
    if (!resolve_topic_alias(p, now, out)) return;
  }
  if (validate_topic_name(p.topic)) return violation(errc::topic_name_invalid, "invalid topic name");
  if (check_topic_limits(p.topic, prof, errc::topic_name_invalid))
    return violation(errc::topic_name_invalid, "topic name over the length or depth limit");
  if (check_payload_size(p.payload.size(), prof))
    return violation(errc::packet_too_large, "Message payload exceeds size limit for message type");
  if (!may_publish(p.topic, prof))
    return violation(errc::not_authorized, "publishing to a reserved topic", disconnect_reason::forbidden_access);
  if (p.retain && !prof.retain_available) return violation(errc::retain_not_supported, "retain is not supported");
  if (authority_ && !authorized(p, now, out)) return;

  const std::uint16_t id = p.packet_id;
  const qos_level q = p.qos;
  // Payload Format Indicator 1 promises UTF-8 (MQTT 5 §3.3.2.3.2: the receiver MAY check): a
  // payload that is not is refused with 0x99 and not routed; QoS 0 has no answer, it is dropped.
  if (p.props.payload_format_indicator == payload_format::utf8 && !is_valid_utf8(p.payload.view())) {
    ++received_;
    if (q == qos1) out.push_back(send_packet{puback{id, reason_code::payload_format_invalid, reason_props("payload is not UTF-8")}});
    if (q == qos2) out.push_back(send_packet{pubrec{id, reason_code::payload_format_invalid, reason_props("payload is not UTF-8")}});
    return;
  }
  if (q == qos2) {
    if (extras_ && extras_->inbound_qos2.contains(id)) {  // a re-sent PUBLISH: acknowledge, do not route again
      out.push_back(send_packet{pubrec{id, reason_code::success, {}}});
      return;
    }
    if ((extras_ ? extras_->inbound_qos2.size() : 0) >= prof.receive_maximum)
      return violation(errc::receive_maximum_exceeded, "more unacknowledged QoS 2 PUBLISHes than Receive Maximum");
    x().inbound_qos2.insert(id);
    head_changed();  // kept across a restart: the PUBREL after it must still find it
  }
  ++received_;
  if (q == qos1 && version_ == protocol_version::v5 && prof.puback_no_matching_subscribers) {
    out.push_back(route_message{make_message(std::move(p), now), id});  // the broker acknowledges
    return;
  }
  out.push_back(route_message{make_message(std::move(p), now), std::nullopt});
  if (q == qos1) out.push_back(send_packet{puback{id, reason_code::success, {}}});
  if (q == qos2) out.push_back(send_packet{pubrec{id, reason_code::success, {}}});
}

bool session::authorized(const publish& p, time_point now, session_output& out) {
  iot_action refused = iot_action::publish;
  if (authority_->allowed(iot_action::publish, p.topic)) {
    if (!p.retain || authority_->allowed(iot_action::retain_publish, p.topic)) return true;
    refused = iot_action::retain_publish;
  }
  out.push_back(access_denied{refused, authority_->resource(refused, p.topic)});
  // AWS IoT: MQTT 3.1.1 has no way to refuse a PUBLISH, the connection is closed; MQTT 5 answers
  // QoS 1 (and 2) with "Not authorized", and QoS 0 has no answer.
  if (version_ == protocol_version::v311) {
    protocol_violation(errc::not_authorized, "not authorized to publish to " + p.topic,
                       disconnect_reason::forbidden_access, now, out);
  } else if (p.qos == qos1) {
    out.push_back(send_packet{puback{p.packet_id, reason_code::not_authorized, reason_props("not authorized")}});
  } else if (p.qos == qos2) {
    out.push_back(send_packet{pubrec{p.packet_id, reason_code::not_authorized, reason_props("not authorized")}});
  }
  return false;
}

void session::on_pubrec_refused(std::uint16_t packet_id) {
  if (extras_ && extras_->inbound_qos2.erase(packet_id) != 0) head_changed();
}

void session::on_pubrel(const pubrel& p, session_output& out) {
  const bool known = extras_ && extras_->inbound_qos2.erase(p.packet_id) != 0;
  if (known) head_changed();
  if (known || version_ == protocol_version::v311) {
    out.push_back(send_packet{pubcomp{p.packet_id, reason_code::success, {}}});
    return;
  }
  out.push_back(send_packet{pubcomp{p.packet_id, reason_code::packet_identifier_not_found,
                                    reason_props("unknown packet identifier")}});
}

}  // namespace lambkin::mqtt
