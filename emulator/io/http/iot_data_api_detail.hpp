#pragma once
// Internal to iot_data_api*.cpp: the API's error answers and the retained-message operations.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/mqtt/broker_api.hpp"

#include <string>
#include <string_view>

namespace lambkin::io::http::iot_data {

/// The IoT Data API's error types, each with its HTTP status (iot-data service model).
enum class error {
  invalid_request,        // 400 InvalidRequestException
  resource_not_found,     // 404 ResourceNotFoundException
  method_not_allowed,     // 405 MethodNotAllowedException
  request_too_large,      // 413 RequestEntityTooLargeException
  internal_failure,       // 500 InternalFailureException
  service_unavailable,    // 503 ServiceUnavailableException
};

/// `{"message":…}` with the status and `x-amzn-ErrorType` of `e`.
response error_response(const request& req, error e, std::string_view message);

/// GET /retainedMessage/{topic} (`topic` already decoded).
response get_retained_message(mqtt::broker_api& broker, const request& req, const std::string& topic);
/// GET /retainedMessage?maxResults=…&nextToken=…
response list_retained_messages(mqtt::broker_api& broker, const request& req, std::string_view query);

}  // namespace lambkin::io::http::iot_data
