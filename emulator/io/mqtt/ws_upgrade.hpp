#pragma once
// Whether an HTTP request may become MQTT over WebSocket, as AWS IoT Core serves it: a WebSocket
// upgrade (`GET`, `Upgrade: websocket`) of `/mqtt` (any query string, e.g. a SigV4-signed URL, is
// accepted and ignored) offering the `mqtt` subprotocol in `Sec-WebSocket-Protocol`.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>

#include <optional>
#include <string>

namespace lambkin::io::mqtt {

/// The path MQTT over WebSocket is served at, and the subprotocol it needs.
inline constexpr const char* ws_path = "/mqtt";
inline constexpr const char* ws_subprotocol = "mqtt";

/// Why a request is refused: the HTTP status and a one-line text body that says what to do.
struct ws_refusal {
  boost::beast::http::status status;
  std::string reason;
};

/// nullopt when `req` may be accepted (the answer then names `mqtt` as the subprotocol). Refusals:
/// not a WebSocket upgrade → 426; another path → 404; no `mqtt` subprotocol offered → 400.
std::optional<ws_refusal> check_ws_upgrade(const boost::beast::http::request<boost::beast::http::empty_body>& req);

}  // namespace lambkin::io::mqtt
