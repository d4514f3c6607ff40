// MQTT 5 properties between libmosquitto and the core (bridge mode, emulator/io/mqtt/mosquitto_properties.hpp).
#include "emulator/io/mqtt/mosquitto_properties.hpp"

#include <doctest/doctest.h>

#include <mqtt_protocol.h>

using namespace lambkin::io::mqtt;
namespace core = lambkin::mqtt;

TEST_CASE("a PUBLISH's forwarded properties survive core → libmosquitto → core") {
  core::properties p;
  p.payload_format_indicator = core::payload_format::utf8;
  p.message_expiry_interval = 60;
  p.content_type = "application/json";
  p.response_topic = "things/dev-1/acks";
  p.correlation_data = std::string("\x00\x01\xFF", 3);
  p.user_properties = {{"site", "oslo"}, {"site", "bergen"}, {"floor", ""}};  // order and duplicates kept
  const auto list = to_mosquitto(p);
  REQUIRE(list);
  std::vector<std::uint32_t> ids;
  CHECK(from_mosquitto(list.get(), ids) == p);
  CHECK(ids.empty());
}

TEST_CASE("no properties is a null list, Subscription Identifiers come back apart, others are left out") {
  CHECK_FALSE(to_mosquitto(core::properties{}));
  core::properties ignored;
  ignored.topic_alias = 3;  // belongs to one connection, never forwarded
  ignored.reason_string = "x";
  CHECK_FALSE(to_mosquitto(ignored));

  mosquitto_property* raw = nullptr;
  mosquitto_property_add_varint(&raw, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 7);
  mosquitto_property_add_varint(&raw, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 268'435'455);
  mosquitto_property_add_int16(&raw, MQTT_PROP_TOPIC_ALIAS, 2);
  mosquitto_property_add_string(&raw, MQTT_PROP_CONTENT_TYPE, "text/plain");
  const property_list list(raw);
  std::vector<std::uint32_t> ids;
  const auto p = from_mosquitto(list.get(), ids);
  CHECK(ids == std::vector<std::uint32_t>{7, 268'435'455});
  CHECK(p.content_type == "text/plain");
  CHECK_FALSE(p.topic_alias);
  CHECK(p.subscription_identifiers.empty());
}
