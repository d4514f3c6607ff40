#pragma once
// The floor of the warm-invoke benchmark: the least any HTTP server must do per request. A Beast
// HTTP/1.1 server on loopback that answers every request with a fixed small body, one coroutine
// per keep-alive connection on one thread (lambkin's AWS endpoint is also one thread).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <string>
#include <thread>

namespace lambkin::bench {

class http_floor_server {
 public:
  /// Listens on 127.0.0.1:<free port> and serves on its own thread until destroyed.
  explicit http_floor_server(std::string answer_body);
  ~http_floor_server();
  http_floor_server(const http_floor_server&) = delete;
  http_floor_server& operator=(const http_floor_server&) = delete;

  unsigned short port() const { return port_; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::string answer_body_;
  unsigned short port_ = 0;
  std::thread thread_;
};

}  // namespace lambkin::bench
