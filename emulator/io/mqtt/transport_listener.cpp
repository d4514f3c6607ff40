#include "emulator/io/mqtt/transport_listener.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/net/listen.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>
#include <vector>

namespace lambkin::io::mqtt {
namespace net = boost::asio;

transport_listener::transport_listener(net::any_io_executor executor, std::string bind_address, unsigned short port,
                                       std::chrono::steady_clock::duration handshake_timeout)
    : executor_(std::move(executor)),
      bind_address_(std::move(bind_address)),
      requested_port_(port),
      handshake_timeout_(handshake_timeout),
      acceptor_(executor_) {}

transport_listener::~transport_listener() {
  *alive_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  auto pending = std::move(pending_);
  for (auto& [id, close] : pending) close();
}

boost::system::error_code transport_listener::listen() {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(bind_address_, ec);
  if (ec) return ec;
  return listen_on(acceptor_, tcp::endpoint(address, requested_port_));
}

unsigned short transport_listener::port() const {
  boost::system::error_code ec;
  const auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void transport_listener::start() { net::co_spawn(executor_, accept_loop(), net::detached); }

void transport_listener::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  // A close may end a handshake synchronously and erase its entry: walk a copy.
  std::vector<std::function<void()>> closers;
  for (auto& [id, close] : pending_) closers.push_back(close);
  for (auto& close : closers) close();
}

net::awaitable<void> transport_listener::accept_loop() {
  auto alive = alive_;
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
    if (!*alive || stopped_ || !acceptor_.is_open()) co_return;
    if (ec) {
      logger("mqtt")->warn("accept failed: {}", ec.message());
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto ep = socket.remote_endpoint(ignored);
    std::string ip = ignored ? std::string() : ep.address().to_string();
    net::co_spawn(executor_, handshake(std::move(socket), std::move(ip)), net::detached);
  }
}

transport_listener::tracked::tracked(transport_listener& owner, std::function<void()> close)
    : owner_(owner), alive_(owner.alive_), id_(++owner.next_pending_), deadline_(owner.executor_) {
  owner_.pending_.emplace(id_, close);
  deadline_.expires_after(owner_.handshake_timeout_);
  deadline_.async_wait([close = std::move(close)](boost::system::error_code ec) {
    if (!ec) close();
  });
}

transport_listener::tracked::~tracked() {
  deadline_.cancel();
  if (*alive_) owner_.pending_.erase(id_);
}

}  // namespace lambkin::io::mqtt
