#pragma once
// A minimal HTTP/1.1 client for what lambkin itself sends (the rules engine's `http` action):
// one request per connection, plain `http://` only, a deadline on the whole exchange.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::io::http {

struct client_request {
  std::string method = "POST";
  std::string url;  // http://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{3000};
};

struct client_response {
  int status = 0;
  std::string body;
  /// Set when no response arrived: a bad URL, a refused connection, the timeout.
  std::optional<std::string> error;
};

/// Sends one request; never throws for network errors (they come back in `error`).
boost::asio::awaitable<client_response> async_send(boost::asio::any_io_executor executor, client_request request);

}  // namespace lambkin::io::http
