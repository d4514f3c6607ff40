#pragma once
// The HTTP API listener (default 127.0.0.1:3000): the template's HttpApi and Api routes, served
// as API Gateway serves them, all on one listener without a stage prefix (like `sam local
// start-api`).
//
// Per request: the route table (core/http/route_table) picks the route; the event for its payload
// format is built (core/http/gateway_event) and the function invoked synchronously through its
// `function_host`; the answer is mapped back (core/http/gateway_response). API Gateway's own
// answers: unknown route → 404 `{"message":"Not Found"}` (403 Missing Authentication Token when
// the template has only REST APIs); function error or malformed response → 500 (REST 502);
// Lambda throttle → 500; over the integration timeout (HTTP APIs 30 s, REST 29 s) → 503
// `{"message":"Service Unavailable"}` (REST 504), while the function runs on; bodies over 10 MB →
// 413. CORS preflights are answered from the API's CORS configuration (core/http/cors).
// Responses carry `apigw-requestid` (HTTP APIs) or `x-amzn-RequestId` (REST).
//
// Logs one debug line per request on the "http" logger.
//
// Thread safety: single-threaded (the io_context's thread).
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "lambkin/config.hpp"

#include <chrono>
#include <memory>

namespace lambkin::io::http {

/// API Gateway's payload limit for HTTP and REST APIs.
inline constexpr std::size_t max_api_request_body = 10 * 1024 * 1024;

struct http_api_options {
  /// The integration timeouts (API Gateway's maximum for HTTP APIs, default for REST APIs).
  std::chrono::milliseconds http_timeout{30000};
  std::chrono::milliseconds rest_timeout{29000};
  /// The client address the events report (`sourceIp`) when the socket cannot tell the peer's.
  std::string source_ip = "127.0.0.1";
};

class http_api {
 public:
  /// `service` and `tmpl` must outlive this object.
  http_api(lambda::lambda_service& service, const config::template_config& tmpl, http_api_options options = {});
  ~http_api();
  http_api(const http_api&) = delete;
  http_api& operator=(const http_api&) = delete;

  /// True when the template has at least one route (otherwise lambkin opens no HTTP API listener).
  static bool has_routes(const config::template_config& tmpl) { return !tmpl.routes.empty(); }

  /// The listener's port, for `x-forwarded-port` (set once it listens).
  void set_port(unsigned short port) { port_ = port; }
  /// "https" when the listener serves TLS (events' `x-forwarded-proto`).
  void set_scheme(std::string scheme) { scheme_ = std::move(scheme); }

  /// The http_server options: the 10 MB body limit and its 413, and the handler told the peer
  /// (`sourceIp`, and `clientCert` under mutual TLS).
  server_options make_server_options();

  net::awaitable<response> handle(request req, const peer_info& peer);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  unsigned short port_ = 0;
  std::string scheme_ = "http";
};

}  // namespace lambkin::io::http
