#pragma once
// Whether an HTTP request may become MQTT over WebSocket, as AWS IoT Core serves it: a WebSocket
// upgrade (`GET`, `Upgrade: websocket`) of `/mqtt` (any query string, e.g. a SigV4-signed URL, is
// accepted and ignored) offering the `mqtt` subprotocol in `Sec-WebSocket-Protocol`.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>

#include <optional>
#include <string>
#include <string_view>

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
/// not a WebSocket upgrade → 426; another path → 404; no `mqtt` subprotocol offered → 400;
/// a WebSocket version other than 13 → 426 (the answer says `Sec-WebSocket-Version: 13`); no
/// valid `Sec-WebSocket-Key` (16 bytes in base64) → 400.
std::optional<ws_refusal> check_ws_upgrade(const boost::beast::http::request<boost::beast::http::empty_body>& req);

/// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key` (RFC 6455 §4.2.2):
/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string ws_accept_key(std::string_view key);

/// The whole `101 Switching Protocols` answer accepting `req` (checked by `check_ws_upgrade`):
/// subprotocol `mqtt`, `Server: lambkin`.
std::string ws_accept_response(const boost::beast::http::request<boost::beast::http::empty_body>& req);

}  // namespace lambkin::io::mqtt
