#pragma once
// Test support: a slowloris client. It writes `bytes` one at a time, pausing `pace` after each
// (the pause is the behaviour under test, not a wait for the server), and stops as soon as the
// server closes the connection. Returns how many bytes it had sent by then; `bytes.size()` means
// the server never hung up.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <string_view>

namespace lambkin::test {

/// True when the server closed `s` within `wait` (a read returns end of stream or reset).
inline bool closed_within(boost::asio::ip::tcp::socket& s, std::chrono::milliseconds wait) {
  pollfd p{s.native_handle(), POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char c;
  boost::system::error_code ec;
  const auto n = s.read_some(boost::asio::buffer(&c, 1), ec);
  return n == 0 && (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset);
}

inline std::size_t dribble_until_closed(boost::asio::ip::tcp::socket& s, std::string_view bytes,
                                        std::chrono::milliseconds pace) {
  for (std::size_t sent = 0; sent < bytes.size(); ++sent) {
    boost::system::error_code ec;
    boost::asio::write(s, boost::asio::buffer(bytes.data() + sent, 1), ec);
    if (ec || closed_within(s, pace)) return sent;
  }
  return bytes.size();
}

}  // namespace lambkin::test
