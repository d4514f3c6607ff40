#pragma once
// The AWS IoT Data Plane API (iot-data 2015-05-28, rest-json) on the AWS endpoint, served by the
// MQTT broker's in-process API (broker_api.hpp: lambkin's own broker, or an external one in
// bridge mode) — what SDK-based functions and `aws iot-data` call:
//
//   POST /topics/{topic}?qos=0|1&retain=true|false&contentType=…&responseTopic=…&messageExpiry=…
//        x-amz-mqtt5-user-properties: base64 of `[{"key":"value"},…]`
//        x-amz-mqtt5-payload-format-indicator: UNSPECIFIED_BYTES | UTF8_DATA
//        x-amz-mqtt5-correlation-data: base64 of the bytes
//        body = the payload                                              → Publish, 200
//   GET  /retainedMessage/{topic}                                         → GetRetainedMessage
//        {"topic","payload"(base64),"qos","lastModifiedTime"(epoch ms),"userProperties"(base64, if any)}
//   GET  /retainedMessage?maxResults=1..200&nextToken=…                   → ListRetainedMessages
//        {"retainedTopics":[{"topic","payloadSize","qos","lastModifiedTime"}],"nextToken"(if more)}
//
// `{topic}` is percent-decoded (the SDKs send `a%2Fb`; curl users may send `a/b`, both work).
// Publish goes through the broker as an in-process publish: subscribers, retained store and
// rules see it as from any client; an empty payload with retain=true deletes the retained message.
// Errors are the API's: 400 InvalidRequestException (bad topic, qos, header, token…), 404
// ResourceNotFoundException (no retained message), 405 MethodNotAllowedException, 413
// RequestEntityTooLargeException (payload over the broker's limit), 503 ServiceUnavailableException
// (bridge mode: the external broker not connected, or no PUBACK), each with `x-amzn-ErrorType`
// and `{"message":…}`.
//
// Thread safety: runs on the io_context thread that also runs the broker.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/mqtt/broker_api.hpp"

#include <string_view>

namespace lambkin::io::http {

/// True for the paths this API answers (`/topics/…`, `/retainedMessage`, `/retainedMessage/…`).
bool is_iot_data_path(std::string_view path) noexcept;

/// Answers one IoT Data request (its path matched `is_iot_data_path`). A Publish is answered once
/// the broker has it: at once for lambkin's own broker; in bridge mode at QoS 1, when the external
/// broker's PUBACK arrives (503 ServiceUnavailableException if the connection is lost first, or
/// after 10 s without one) — AWS answers 200 once IoT Core has accepted the message.
net::awaitable<response> serve_iot_data(mqtt::broker_api& broker, request req);

/// The same without waiting: a Publish is answered once `broker.publish` returned (the fuzz target).
response handle_iot_data(mqtt::broker_api& broker, const request& req);

}  // namespace lambkin::io::http
