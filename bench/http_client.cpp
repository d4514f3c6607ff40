#include "bench/http_client.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace lambkin::bench {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

http_client::http_client(unsigned short port) : socket_(io_) {
  socket_.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port));
  // Small requests on a request/response connection: Nagle would add delayed-ACK stalls.
  socket_.set_option(tcp::no_delay(true));
}

int http_client::post(const std::string& target, const std::string& body) {
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();
  http::write(socket_, req);

  http::response<http::string_body> res;
  http::read(socket_, buffer_, res);
  body_ = std::move(res.body());
  return res.result_int();
}

}  // namespace lambkin::bench
