#include "emulator/io/mqtt/mosquitto_properties.hpp"

#include <mqtt_protocol.h>

#include <cstdlib>
#include <string>

namespace lambkin::io::mqtt {
namespace {

namespace core = lambkin::mqtt;

/// A string libmosquitto allocated with malloc, taken over.
std::string take(char* s) {
  std::string out = s ? s : "";
  std::free(s);
  return out;
}

}  // namespace

core::properties from_mosquitto(const mosquitto_property* list, std::vector<std::uint32_t>& subscription_ids) {
  core::properties out;
  for (const auto* p = list; p != nullptr; p = mosquitto_property_next(p)) {
    const int id = mosquitto_property_identifier(p);
    switch (id) {
      case MQTT_PROP_PAYLOAD_FORMAT_INDICATOR: {
        std::uint8_t v = 0;
        if (mosquitto_property_read_byte(p, id, &v, false))
          out.payload_format_indicator = v == 1 ? core::payload_format::utf8 : core::payload_format::unspecified;
        break;
      }
      case MQTT_PROP_MESSAGE_EXPIRY_INTERVAL: {
        std::uint32_t v = 0;
        if (mosquitto_property_read_int32(p, id, &v, false)) out.message_expiry_interval = v;
        break;
      }
      case MQTT_PROP_CONTENT_TYPE:
      case MQTT_PROP_RESPONSE_TOPIC: {
        char* v = nullptr;
        if (mosquitto_property_read_string(p, id, &v, false))
          (id == MQTT_PROP_CONTENT_TYPE ? out.content_type : out.response_topic) = take(v);
        break;
      }
      case MQTT_PROP_CORRELATION_DATA: {
        void* v = nullptr;
        std::uint16_t len = 0;
        if (mosquitto_property_read_binary(p, id, &v, &len, false)) {
          out.correlation_data = std::string(static_cast<const char*>(v), len);
          std::free(v);
        }
        break;
      }
      case MQTT_PROP_USER_PROPERTY: {
        char* name = nullptr;
        char* value = nullptr;
        if (mosquitto_property_read_string_pair(p, id, &name, &value, false))
          out.user_properties.push_back({take(name), take(value)});
        break;
      }
      case MQTT_PROP_SUBSCRIPTION_IDENTIFIER: {
        std::uint32_t v = 0;
        if (mosquitto_property_read_varint(p, id, &v, false)) subscription_ids.push_back(v);
        break;
      }
      default:  // Topic Alias is resolved by libmosquitto; nothing else belongs to a PUBLISH
        break;
    }
  }
  return out;
}

property_list to_mosquitto(const core::properties& props) {
  mosquitto_property* list = nullptr;
  if (props.payload_format_indicator)
    mosquitto_property_add_byte(&list, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR,
                                static_cast<std::uint8_t>(*props.payload_format_indicator));
  if (props.message_expiry_interval)
    mosquitto_property_add_int32(&list, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, *props.message_expiry_interval);
  if (props.content_type) mosquitto_property_add_string(&list, MQTT_PROP_CONTENT_TYPE, props.content_type->c_str());
  if (props.response_topic)
    mosquitto_property_add_string(&list, MQTT_PROP_RESPONSE_TOPIC, props.response_topic->c_str());
  if (props.correlation_data)
    mosquitto_property_add_binary(&list, MQTT_PROP_CORRELATION_DATA, props.correlation_data->data(),
                                  static_cast<std::uint16_t>(props.correlation_data->size()));
  for (const auto& u : props.user_properties)
    mosquitto_property_add_string_pair(&list, MQTT_PROP_USER_PROPERTY, u.name.c_str(), u.value.c_str());
  return property_list(list);
}

}  // namespace lambkin::io::mqtt
