#pragma once
// Opening a listening TCP socket, shared by every listener (HTTP servers, the MQTT broker).
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace lambkin::io {

/// Opens, sets SO_REUSEADDR, binds and listens; on any error closes the acceptor and returns the
/// error (address in use…) instead of throwing. Port 0 picks a free port.
inline boost::system::error_code listen_on(boost::asio::ip::tcp::acceptor& acceptor,
                                           const boost::asio::ip::tcp::endpoint& endpoint) {
  using tcp = boost::asio::ip::tcp;
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  }
  return ec;
}

}  // namespace lambkin::io
