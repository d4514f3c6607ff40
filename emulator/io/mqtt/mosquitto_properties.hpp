#pragma once
// MQTT 5 properties between libmosquitto's property lists and the core's typed `properties`
// (bridge mode, mqtt_bridge.hpp). Only what a forwarded PUBLISH carries is converted: Payload
// Format Indicator, Message Expiry Interval, Content Type, Response Topic, Correlation Data, User
// Properties; inbound Subscription Identifiers are returned apart (they say which subscription
// of the bridge a message came through).
#include "emulator/core/mqtt/properties.hpp"

#include <mosquitto.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace lambkin::io::mqtt {

struct property_list_deleter {
  void operator()(mosquitto_property* p) const noexcept { mosquitto_property_free_all(&p); }
};
using property_list = std::unique_ptr<mosquitto_property, property_list_deleter>;

/// The forwarded properties of a PUBLISH received from libmosquitto; its Subscription
/// Identifiers are appended to `subscription_ids`.
lambkin::mqtt::properties from_mosquitto(const mosquitto_property* list, std::vector<std::uint32_t>& subscription_ids);

/// A libmosquitto property list for a PUBLISH with `props`' forwarded properties (null when none).
property_list to_mosquitto(const lambkin::mqtt::properties& props);

}  // namespace lambkin::io::mqtt
