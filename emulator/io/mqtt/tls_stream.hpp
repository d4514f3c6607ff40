#pragma once
// MQTT over TLS: an Asio SSL stream over TCP, served by `mqtt_server::serve` once its handshake
// (mutual TLS, see mqtt_tls_listener.hpp) is done.
//
// Ending: `async_shutdown` sends a TLS close_notify and waits (at most `shutdown_timeout`) for the
// peer's, then closes. Asio's SSL shutdown reads the peer's close_notify, so the connection's reader
// must not be reading the same stream: `stop_reading` cancels its read first (shutdown_reads).
#include "emulator/io/mqtt/mqtt_transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace lambkin::io::mqtt {

using tls_stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

template <>
struct transport_ops<tls_stream> {
  static constexpr std::chrono::seconds shutdown_timeout{2};
  static boost::asio::awaitable<void> async_shutdown(tls_stream& s) {
    // A peer that never answers: the timer cancels the shutdown. Its handler touches the stream
    // only when it fired (a cancelled timer, destroyed with this frame, does nothing).
    boost::asio::steady_timer timer(s.get_executor(), shutdown_timeout);
    timer.async_wait([&s](const boost::system::error_code& ec) {
      if (!ec) {
        boost::system::error_code ignored;
        s.next_layer().cancel(ignored);
      }
    });
    auto [ec] = co_await s.async_shutdown(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;  // eof, truncated or cancelled: the connection ends either way
  }
  static void close_now(tls_stream& s) { transport_ops<boost::asio::ip::tcp::socket>::close_now(s.next_layer()); }
  static constexpr bool shutdown_reads = true;
  static void stop_reading(tls_stream& s) {
    boost::system::error_code ignored;
    s.next_layer().cancel(ignored);
  }
};

}  // namespace lambkin::io::mqtt
