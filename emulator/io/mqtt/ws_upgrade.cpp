#include "emulator/io/mqtt/ws_upgrade.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

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

}  // namespace

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
  return std::nullopt;
}

}  // namespace lambkin::io::mqtt
