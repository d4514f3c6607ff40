#pragma once
// One route's integration: the synchronous invoke of its function, raced against API Gateway's
// integration timeout, and the outcome in API Gateway's terms (see http_api.hpp).
#include "emulator/core/http/gateway_response.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "lambkin/config.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>

namespace lambkin::io::http {

/// Invokes `route.function` (at its alias, if any) with `event`. Past `timeout` the answer is the
/// integration timeout while the invocation runs on to its end, as on AWS.
boost::asio::awaitable<lambkin::http::gateway_response> invoke_route(lambda::lambda_service& service,
                                                                      const config::route_config& route,
                                                                      std::string event,
                                                                      std::chrono::milliseconds timeout);

}  // namespace lambkin::io::http
