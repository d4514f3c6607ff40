#pragma once
// Fuzz input as HTTP/1.1 requests: the bytes are parsed as a client stream (one or more
// requests, pipelined) by Beast's request parser with the limits http_server uses, so a target
// sees the `request` objects a listener would hand to its handler — without sockets.
#include "emulator/io/http/http_server.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace lambkin::fuzz {

/// At most `max_requests` requests; parsing stops at the first malformed or incomplete one.
inline std::vector<io::http::request> parse_requests(std::string_view bytes, std::size_t body_limit,
                                                     std::size_t max_requests = 8) {
  namespace bhttp = boost::beast::http;
  std::vector<io::http::request> out;
  while (!bytes.empty() && out.size() < max_requests) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.header_limit(16 * 1024);
    parser.body_limit(body_limit);
    boost::system::error_code ec;
    while (!parser.is_done()) {
      if (bytes.empty()) {  // the input ends here: a body that runs to EOF is complete
        parser.put_eof(ec);
        break;
      }
      const auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == bhttp::error::need_more) ec = {};
      if (ec) break;
      if (used == 0) {  // needs more than the input holds (an incomplete head)
        parser.put_eof(ec);
        break;
      }
    }
    if (ec || !parser.is_done()) break;
    out.push_back(parser.release());
  }
  return out;
}

}  // namespace lambkin::fuzz
