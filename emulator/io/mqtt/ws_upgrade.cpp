#include "emulator/io/mqtt/ws_upgrade.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <string_view>

namespace lambkin::io::mqtt {
namespace http = boost::beast::http;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Sec-WebSocket-Protocol is a comma-separated list, and may be repeated.
bool offers_subprotocol(const http::request<http::empty_body>& req, std::string_view wanted) {
  for (auto it = req.find(http::field::sec_websocket_protocol);
       it != req.end() && it->name() == http::field::sec_websocket_protocol; ++it) {
    std::string_view list = it->value();
    while (!list.empty()) {
      const auto comma = list.find(',');
      if (trim(list.substr(0, comma)) == wanted) return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return false;
}

/// A Sec-WebSocket-Key is 16 bytes in base64: 22 characters of the alphabet and "==".
bool valid_key(std::string_view key) {
  key = trim(key);
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (const char ch : key.substr(0, 22)) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
                    ch == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string ws_accept_key(std::string_view key) {
  std::string input(trim(key));
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  std::array<unsigned char, 4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1> text{};
  const int n = EVP_EncodeBlock(text.data(), digest.data(), static_cast<int>(digest.size()));
  return std::string(reinterpret_cast<const char*>(text.data()), static_cast<std::size_t>(n));
}

std::string ws_accept_response(const http::request<http::empty_body>& req) {
  std::string res = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
  res += "Sec-WebSocket-Accept: ";
  res += ws_accept_key(req[http::field::sec_websocket_key]);
  res += "\r\nSec-WebSocket-Protocol: ";
  res += ws_subprotocol;
  res += "\r\nServer: lambkin\r\n\r\n";
  return res;
}

std::optional<ws_refusal> check_ws_upgrade(const http::request<http::empty_body>& req) {
  if (!boost::beast::websocket::is_upgrade(req))
    return ws_refusal{http::status::upgrade_required,
                      "lambkin serves MQTT over WebSocket here: open a WebSocket to /mqtt with subprotocol mqtt"};
  std::string_view target = req.target();
  target = target.substr(0, target.find('?'));
  if (target != ws_path)
    return ws_refusal{http::status::not_found, "MQTT over WebSocket is served at /mqtt, not " + std::string(target)};
  if (!offers_subprotocol(req, ws_subprotocol))
    return ws_refusal{http::status::bad_request,
                      "MQTT over WebSocket needs the WebSocket subprotocol mqtt (Sec-WebSocket-Protocol: mqtt)"};
  if (trim(req[http::field::sec_websocket_version]) != "13")
    return ws_refusal{http::status::upgrade_required, "lambkin speaks WebSocket version 13 (Sec-WebSocket-Version: 13)"};
  if (!valid_key(req[http::field::sec_websocket_key]))
    return ws_refusal{http::status::bad_request,
                      "a WebSocket upgrade needs a Sec-WebSocket-Key of 16 bytes in base64 (RFC 6455 §4.1)"};
  return std::nullopt;
}

}  // namespace lambkin::io::mqtt
