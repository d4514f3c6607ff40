#pragma once
// MQTT over WebSocket (AWS IoT Core's `wss://<endpoint>/mqtt`, here plain ws:// on loopback;
// default port 8083): accepts TCP, reads the HTTP upgrade request, refuses with a clear HTTP error
// what is not a WebSocket upgrade of /mqtt offering the `mqtt` subprotocol (ws_upgrade.hpp),
// accepts the rest naming `mqtt` in the answer (written here: Beast only reads the request), and
// hands the socket to `mqtt_server::adopt_websocket`, which serves it on its poller with its own
// RFC 6455 framing (binary frames; packets and frames independent).
//
// Typical wiring (after the mqtt_server is listening):
//   io::mqtt::mqtt_ws_listener ws(ioc.get_executor(), mqtt, "127.0.0.1", 8083);
//   if (auto ec = ws.listen()) fail(ec);
//   ws.start();  …  ws.stop() before mqtt.stop().
//
// The upgrade must complete within `handshake_timeout` (default 10 s). No authentication: a
// SigV4-signed URL's query string is ignored, as an emulator may.
//
// Logs (logger "mqtt"): one info line per refused upgrade (address, status, target).
#include "emulator/io/mqtt/transport_listener.hpp"

#include <chrono>

namespace lambkin::io::mqtt {

class mqtt_server;

class mqtt_ws_listener : public transport_listener {
 public:
  /// `server` must outlive this listener.
  mqtt_ws_listener(boost::asio::any_io_executor executor, mqtt_server& server, std::string bind_address,
                   unsigned short port, std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(10));

 protected:
  boost::asio::awaitable<void> handshake(tcp::socket socket, std::string remote_ip) override;

 private:
  mqtt_server& server_;
};

}  // namespace lambkin::io::mqtt
