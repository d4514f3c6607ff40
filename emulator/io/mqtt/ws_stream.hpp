#pragma once
// MQTT over WebSocket as a byte stream, so `mqtt_server::serve` runs on it unchanged.
//
// MQTT packets and WebSocket frames are independent (MQTT 5 §6.0): a packet may span frames and a
// frame may hold several packets. Reads therefore hand over message payload bytes as they come,
// across frame and message boundaries (the MQTT decoder reassembles packets); each write sends one
// binary message holding whatever the connection's writer had queued. A text frame from the peer
// is a protocol violation (MQTT-6.0.0-1): the read fails with `invalid_argument` and the
// connection closes.
//
// Ending: `async_shutdown` sends a WebSocket close (1000) and waits for the peer's close (bounded
// by the stream's handshake timeout, set by the listener); `close_now` closes the TCP socket.
//
// Thread safety: like any Asio stream (one read and one write at a time, on one executor).
#include "emulator/io/mqtt/mqtt_transport.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <utility>

namespace lambkin::io::mqtt {

class ws_stream {
 public:
  using websocket = boost::beast::websocket::stream<boost::asio::ip::tcp::socket>;
  using executor_type = websocket::executor_type;

  /// Takes a stream whose handshake (accept) is done; switches it to binary messages.
  explicit ws_stream(websocket ws) : ws_(std::move(ws)) { ws_.binary(true); }

  executor_type get_executor() noexcept { return ws_.get_executor(); }
  websocket& websocket_stream() noexcept { return ws_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& b) {
          // The wrapper completes on the caller's executor, as the wrapped handler would.
          auto executor = boost::asio::get_associated_executor(handler, ws_.get_executor());
          ws_.async_read_some(
              b, boost::asio::bind_executor(executor, [this, h = std::move(handler)](boost::system::error_code ec,
                                                                                      std::size_t n) mutable {
                if (!ec && ws_.got_text()) ec = make_error_code(boost::system::errc::invalid_argument);
                std::move(h)(ec, n);
              }));
        },
        token, buffers);
  }

  /// Writes all of `buffers` as one binary message.
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return ws_.async_write(buffers, std::forward<Token>(token));
  }

 private:
  websocket ws_;
};

template <>
struct transport_ops<ws_stream> {
  static boost::asio::awaitable<void> async_shutdown(ws_stream& s);
  static void close_now(ws_stream& s);
  // Beast's close handshake tolerates the connection's pending read (it reads the peer's close).
  static constexpr bool shutdown_reads = false;
  static void stop_reading(ws_stream&) {}
};

}  // namespace lambkin::io::mqtt
