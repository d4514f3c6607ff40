#pragma once
// A blocking Beast HTTP/1.1 client on one keep-alive loopback connection: what both the floor
// and the lambkin measurements use, so that the client's own cost is the same on both sides.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <string>

namespace lambkin::bench {

class http_client {
 public:
  /// Connects to 127.0.0.1:port; throws boost::system::system_error when nothing listens.
  explicit http_client(unsigned short port);

  /// POSTs `body` to `target` and waits for the whole answer; returns the HTTP status and keeps
  /// the answer's body in `last_body()`. Throws on a broken connection (a benchmark should stop).
  int post(const std::string& target, const std::string& body);
  const std::string& last_body() const { return body_; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string body_;
};

}  // namespace lambkin::bench
