// mqtt_bridge's broker_api side, on the io_context's thread: publishing, listeners (subscriptions
// on the external broker), delivery to the listener sink, and the retained messages seen.
#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/topic.hpp"
#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/mosquitto_properties.hpp"
#include "emulator/io/mqtt/mqtt_bridge.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/error.hpp"

#include <mosquitto.h>

namespace lambkin::io::mqtt {

namespace core_mqtt = lambkin::mqtt;

std::error_code mqtt_bridge::publish(core_mqtt::publish_request r) { return send(std::move(r), nullptr); }

void mqtt_bridge::publish_acknowledged(core_mqtt::publish_request r, publish_done done) {
  const bool wait = r.qos != core_mqtt::qos0;
  int mid = 0;
  if (auto ec = send(std::move(r), wait ? &mid : nullptr)) return done(ec);
  if (!wait) return done({});
  // The PUBACK is reported through a post to this thread, so it cannot overtake this entry.
  auto& slot = awaiting_ack_[mid];
  if (slot) slot(errc::server_unavailable);  // an id reused while an older publish still waited
  slot = std::move(done);
}

void mqtt_bridge::fail_awaiting(std::error_code why) {
  auto waiting = std::move(awaiting_ack_);
  awaiting_ack_.clear();
  for (auto& [mid, done] : waiting) done(why);
}

std::error_code mqtt_bridge::send(core_mqtt::publish_request r, int* mid) {
  if (auto ec = core_mqtt::validate_topic_name(r.topic)) return ec;
  if (auto ec = core_mqtt::check_topic_limits(r.topic, profile_, errc::topic_name_invalid)) return ec;
  if (auto ec = core_mqtt::check_payload_size(r.payload.size(), profile_)) return ec;
  if (r.qos == core_mqtt::qos2 && !profile_.qos2_supported) return errc::qos_not_supported;
  if (!connected_) return errc::server_unavailable;
  const auto props = to_mosquitto(r.props);
  const auto now = clock::now();
  const auto msg = core_mqtt::make_message(std::move(r.topic), std::move(r.payload), r.qos, r.retain, std::move(r.props), now);
  const auto payload = msg->payload.view();
  const int rc = mosquitto_publish_v5(client_, mid, msg->topic.c_str(), static_cast<int>(payload.size()),
                                      payload.data(), static_cast<int>(msg->qos), msg->retain, props.get());
  switch (rc) {
    case MOSQ_ERR_SUCCESS:
      if (msg->retain) retained_.store(msg, now);
      return {};
    case MOSQ_ERR_PAYLOAD_SIZE:
    case MOSQ_ERR_OVERSIZE_PACKET:
      return errc::packet_too_large;
    case MOSQ_ERR_QOS_NOT_SUPPORTED:
      return errc::qos_not_supported;
    case MOSQ_ERR_MALFORMED_UTF8:
      return errc::topic_name_invalid;
    default:
      logger("mqtt")->warn("bridge: publish to {} on {} failed: {}", msg->topic, target_.display(), mosquitto_strerror(rc));
      return errc::server_unavailable;
  }
}

std::optional<core_mqtt::listener_id> mqtt_bridge::add_listener(std::string_view filter) {
  if (core_mqtt::validate_topic_filter(filter) || core_mqtt::parse_shared(filter)) return std::nullopt;
  const core_mqtt::listener_id id{++next_listener_};
  auto it = filters_.find(filter);
  if (it == filters_.end()) {
    it = filters_.emplace(std::string(filter), filter_entry{++next_subscription_, {}}).first;
    filter_of_subscription_.emplace(it->second.subscription_id, it->first);
    bool now_connected = false;
    {
      std::lock_guard lock(mutex_);
      wanted_.emplace(it->first, it->second.subscription_id);
      now_connected = connected_;
    }
    // Not connected: the next CONNACK subscribes to everything wanted.
    if (now_connected) subscribe(it->first, it->second.subscription_id);
  }
  it->second.listeners.push_back(id);
  listeners_.emplace(id.value(), it->first);
  return id;
}

bool mqtt_bridge::remove_listener(core_mqtt::listener_id id) {
  const auto l = listeners_.find(id.value());
  if (l == listeners_.end()) return false;
  const auto f = filters_.find(l->second);
  listeners_.erase(l);
  if (f == filters_.end()) return true;
  std::erase(f->second.listeners, id);
  if (!f->second.listeners.empty()) return true;
  bool now_connected = false;
  {
    std::lock_guard lock(mutex_);
    wanted_.erase(f->first);
    now_connected = connected_;
  }
  if (now_connected) mosquitto_unsubscribe_v5(client_, nullptr, f->first.c_str(), nullptr);
  filter_of_subscription_.erase(f->second.subscription_id);
  filters_.erase(f);
  return true;
}

void mqtt_bridge::deliver(const core_mqtt::message_ptr& msg, const std::vector<std::uint32_t>& subscription_ids) {
  // Retained messages the broker forwards as published (Retain As Published): the view
  // GetRetainedMessage answers from. An empty retained payload deletes, as on any broker.
  if (msg->retain) retained_.store(msg, clock::now());
  if (!listener_sink_) return;
  std::vector<const std::pair<const std::string, filter_entry>*> through;
  if (!subscription_ids.empty()) {
    for (const auto sid : subscription_ids)
      if (const auto f = filter_of_subscription_.find(sid); f != filter_of_subscription_.end())
        if (const auto e = filters_.find(f->second); e != filters_.end()) through.push_back(&*e);
  } else {  // a broker without Subscription Identifiers: every filter that matches
    for (const auto& e : filters_) through.push_back(&e);
  }
  for (const auto* e : through) {
    // The profile's matching, not the broker's: in the aws profile `a/#` does not match `a`.
    if (!core_mqtt::matches(e->first, msg->topic, profile_)) continue;
    for (const auto id : e->second.listeners) listener_sink_(core_mqtt::listener_message{id, msg, {}, {}});
  }
}

std::optional<core_mqtt::retained_entry> mqtt_bridge::find_retained(std::string_view topic) {
  const auto* entry = retained_.find(topic, clock::now());
  if (!entry) return std::nullopt;
  return *entry;
}

std::vector<core_mqtt::retained_entry> mqtt_bridge::list_retained() { return retained_.list(clock::now()); }

std::string mqtt_bridge::retained_scope() const {
  return "lambkin is bridged to " + target_.display() +
         " and knows only the retained messages it published or received on its subscriptions";
}

}  // namespace lambkin::io::mqtt
