#include "emulator/io/mqtt/ws_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>

namespace lambkin::io::mqtt {

boost::asio::awaitable<void> transport_ops<ws_stream>::async_shutdown(ws_stream& s) {
  // Not open: the peer's close frame arrived first and the reader is answering it.
  if (!s.websocket_stream().is_open()) co_return;
  // Completes when the peer answers with its close (the reader then sees `closed`), or fails after
  // the stream's handshake timeout; either way the connection ends.
  auto [ec] = co_await s.websocket_stream().async_close(boost::beast::websocket::close_code::normal,
                                                       boost::asio::as_tuple(boost::asio::use_awaitable));
  (void)ec;
}

void transport_ops<ws_stream>::close_now(ws_stream& s) {
  boost::system::error_code ignored;
  boost::beast::get_lowest_layer(s.websocket_stream()).close(ignored);
}

}  // namespace lambkin::io::mqtt
