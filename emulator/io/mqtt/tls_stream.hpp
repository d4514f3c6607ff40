#pragma once
// MQTT over TLS: an Asio SSL stream over TCP, served by `mqtt_server::serve` once its handshake
// (mutual TLS, see mqtt_tls_listener.hpp) is done.
//
// Ending: `async_shutdown` half-closes the TCP connection without a TLS close_notify. Asio's SSL
// shutdown would read the peer's close_notify while the connection's reader is still reading the
// same socket; the peer sees the end of the stream right after our last packet either way.
#include "emulator/io/mqtt/mqtt_transport.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

namespace lambkin::io::mqtt {

using tls_stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

template <>
struct transport_ops<tls_stream> {
  static boost::asio::awaitable<void> async_shutdown(tls_stream& s) {
    return transport_ops<boost::asio::ip::tcp::socket>::async_shutdown(s.next_layer());
  }
  static void close_now(tls_stream& s) { transport_ops<boost::asio::ip::tcp::socket>::close_now(s.next_layer()); }
};

}  // namespace lambkin::io::mqtt
