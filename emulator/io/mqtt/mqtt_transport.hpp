#pragma once
// What `mqtt_server::serve<Stream>` needs from a transport beyond Asio's AsyncReadStream and
// AsyncWriteStream: how to end the connection. Each transport specialises `transport_ops`:
//
//   static net::awaitable<void> async_shutdown(Stream&);  // everything was written: tell the peer
//                                                         // we are done (TCP FIN, WebSocket close)
//   static void close_now(Stream&);                       // drop it; pending operations fail
//   static constexpr bool shutdown_reads = …;             // async_shutdown reads from the stream
//                                                         // (TLS: the peer's close_notify), so
//   static void stop_reading(Stream&);                    // the connection's reader is stopped first
//
// Specialisations: tcp::socket here, `tls_stream` in tls_stream.hpp.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace lambkin::io::mqtt {

template <class Stream>
struct transport_ops;

/// Plain TCP as mqtt_server serves it: the socket's descriptor is held by the connection and
/// watched by the server's tcp_poller (no Asio object per connection). A tag for `write_loop`.
struct tcp_fd {};

template <>
struct transport_ops<boost::asio::ip::tcp::socket> {
  static boost::asio::awaitable<void> async_shutdown(boost::asio::ip::tcp::socket& s) {
    boost::system::error_code ignored;
    s.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    co_return;
  }
  static void close_now(boost::asio::ip::tcp::socket& s) {
    boost::system::error_code ignored;
    s.close(ignored);
  }
  static constexpr bool shutdown_reads = false;
  static void stop_reading(boost::asio::ip::tcp::socket&) {}
};

}  // namespace lambkin::io::mqtt
