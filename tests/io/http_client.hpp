#pragma once
// Test support: a blocking HTTP/1.1 client on Beast for loopback tests of lambkin's servers.
// It runs on its own thread while the server's io_context runs on the test's thread.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <string>

namespace lambkin::test {

namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

class http_client {
 public:
  explicit http_client(unsigned short port) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  bhttp::response<bhttp::string_body> request(bhttp::verb verb, std::string target, std::string body = {},
                                              std::string content_type = "application/json") {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!body.empty()) req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }
  /// Sends a prepared request and reads the response.
  bhttp::response<bhttp::string_body> send(bhttp::request<bhttp::string_body>& req) {
    bhttp::write(socket_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }
  /// True when the server has closed the connection (a read returns end of stream or reset).
  bool closed_by_server() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(boost::asio::buffer(&c, 1), ec);
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }
  tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context ioc_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace lambkin::test
