// SUBSCRIBE and UNSUBSCRIBE: per-filter checks and reason codes; the broker indexes what is granted.
#include "emulator/core/mqtt/session.hpp"
#include "emulator/core/mqtt/topic.hpp"

#include <utility>

namespace lambkin::mqtt {

void session::on_subscribe(subscribe&& s, time_point now, session_output& out) {
  const profile& p = *profile_;
  if (!s.props.subscription_identifiers.empty() && !p.subscription_identifiers_available) {
    protocol_violation(errc::subscription_identifiers_not_supported, "Subscription Identifiers are not supported",
                       disconnect_reason::client_error, now, out);
    return;
  }
  const std::uint32_t identifier = s.props.subscription_identifiers.empty() ? 0 : s.props.subscription_identifiers[0];
  const bool too_many = static_cast<bool>(check_subscribe_count(s.topics.size(), p));
  suback ack{s.packet_id, {}, {}};
  ack.reasons.reserve(s.topics.size());
  std::vector<add_subscription> granted;
  std::string problem;  // the first failure, for the Reason String

  for (auto& t : s.topics) {
    const auto shared = parse_shared(t.filter);
    const std::string_view plain = shared ? shared->filter : std::string_view(t.filter);
    auto refuse = [&](reason_code rc, std::string why) {
      ack.reasons.push_back(rc);
      if (problem.empty()) problem = std::move(why) + ": " + t.filter;
    };
    if (too_many) {
      refuse(reason_code::quota_exceeded, "more than " + std::to_string(p.max_filters_per_subscribe) + " filters");
    } else if (validate_topic_filter(t.filter)) {
      refuse(reason_code::topic_filter_invalid, "invalid topic filter");
    } else if (check_topic_limits(t.filter, p, errc::topic_filter_invalid)) {
      refuse(reason_code::topic_filter_invalid, "topic filter over the length or depth limit");
    } else if (shared && !p.shared_subscriptions_available) {
      refuse(reason_code::shared_subscriptions_not_supported, "shared subscriptions are not supported");
    } else if (shared && t.options.no_local) {
      protocol_violation(errc::protocol_error, "No Local on a shared subscription", disconnect_reason::client_error,
                         now, out);
      return;
    } else if (has_wildcard(plain) && !p.wildcard_subscriptions_available) {
      refuse(reason_code::wildcard_subscriptions_not_supported, "wildcard subscriptions are not supported");
    } else if (!may_subscribe(plain, p)) {
      refuse(reason_code::not_authorized, "subscribing to a reserved topic");
    } else if (authority_ && !authority_->allowed(iot_action::subscribe, t.filter)) {
      out.push_back(access_denied{iot_action::subscribe, authority_->resource(iot_action::subscribe, t.filter)});
      // AWS IoT closes a 3.1.1 connection that subscribes where it may not; MQTT 5 gets 0x87.
      if (version_ == protocol_version::v311) {
        protocol_violation(errc::not_authorized, "not authorized to subscribe to " + t.filter,
                           disconnect_reason::forbidden_access, now, out);
        return;
      }
      refuse(reason_code::not_authorized, "not authorized");
    } else if (t.options.max_qos == qos2 && !p.qos2_supported && !p.qos2_subscription_downgrade) {
      refuse(reason_code::unspecified_error, "QoS 2 is not supported");
    } else if (const std::size_t count = subscriptions_ ? subscriptions_->size() : 0;
               count >= p.max_subscriptions && !(subscriptions_ && subscriptions_->contains(t.filter))) {
      refuse(reason_code::quota_exceeded, "more than " + std::to_string(p.max_subscriptions) + " subscriptions");
    } else {
      subscription_options opts = t.options;
      if (opts.max_qos == qos2 && !p.qos2_supported) opts.max_qos = qos1;  // the server may grant less
      if (!subscriptions_) subscriptions_ = std::make_unique<subscription_map>();
      auto [it, is_new] = subscriptions_->insert_or_assign(t.filter, session_subscription{opts, identifier});
      head_changed();
      ack.reasons.push_back(static_cast<reason_code>(opts.max_qos));
      granted.push_back(add_subscription{it->first, opts, identifier, is_new});
    }
  }
  ack.props = reason_props(std::move(problem));
  // SUBACK first: retained messages the broker sends for the new subscriptions follow it.
  out.push_back(send_packet{std::move(ack)});
  for (auto& g : granted) out.push_back(std::move(g));
}

void session::on_unsubscribe(unsubscribe&& u, session_output& out) {
  unsuback ack{u.packet_id, {}, {}};
  ack.reasons.reserve(u.filters.size());
  for (auto& f : u.filters) {
    if (validate_topic_filter(f)) {
      ack.reasons.push_back(reason_code::topic_filter_invalid);
    } else if (subscriptions_ && subscriptions_->erase(f) != 0) {
      head_changed();
      ack.reasons.push_back(reason_code::success);
      out.push_back(remove_subscription{std::move(f)});
    } else {
      ack.reasons.push_back(reason_code::no_subscription_existed);
    }
  }
  out.push_back(send_packet{std::move(ack)});
}

}  // namespace lambkin::mqtt
