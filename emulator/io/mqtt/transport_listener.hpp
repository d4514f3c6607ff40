#pragma once
// A listener for a transport that needs a handshake before MQTT starts (WebSocket upgrade, TLS):
// accepts TCP connections, runs each one's `handshake` coroutine under a deadline, and lets the
// subclass hand the finished stream to `mqtt_server::adopt`. Connections still in their handshake
// are closed at the deadline and by `stop`, so a peer that connects and says nothing holds
// nothing for long.
//
// Thread safety: single-threaded, like mqtt_server (every member on the executor's thread).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace lambkin::io::mqtt {

class transport_listener {
 public:
  using tcp = boost::asio::ip::tcp;

  /// `bind_address` is an IP literal; port 0 picks a free port at `listen`.
  transport_listener(boost::asio::any_io_executor executor, std::string bind_address, unsigned short port,
                     std::chrono::steady_clock::duration handshake_timeout);
  virtual ~transport_listener();
  transport_listener(const transport_listener&) = delete;
  transport_listener& operator=(const transport_listener&) = delete;

  /// Binds and listens; errors are returned, not thrown.
  boost::system::error_code listen();
  /// The bound port after a successful `listen` (0 before).
  unsigned short port() const;
  void start();
  /// Stops accepting and closes the connections still in their handshake. Idempotent.
  void stop();

 protected:
  /// One accepted connection (TCP_NODELAY set): do the handshake, then `mqtt_server::adopt`.
  /// Call `track` first so the deadline and `stop` can close the connection.
  virtual boost::asio::awaitable<void> handshake(tcp::socket socket, std::string remote_ip) = 0;

  /// A handshake in progress: `close` runs at the deadline or at `stop`, unless this is destroyed
  /// first (the handshake finished, either way).
  class tracked {
   public:
    tracked(transport_listener& owner, std::function<void()> close);
    ~tracked();
    tracked(const tracked&) = delete;
    tracked& operator=(const tracked&) = delete;

   private:
    transport_listener& owner_;
    std::shared_ptr<bool> alive_;
    std::uint64_t id_;
    boost::asio::steady_timer deadline_;
  };

  boost::asio::any_io_executor executor_;
  /// False once this listener is destroyed; coroutines check it after every suspension.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool stopped_ = false;

 private:
  boost::asio::awaitable<void> accept_loop();

  std::string bind_address_;
  unsigned short requested_port_;
  std::chrono::steady_clock::duration handshake_timeout_;
  tcp::acceptor acceptor_;
  std::unordered_map<std::uint64_t, std::function<void()>> pending_;
  std::uint64_t next_pending_ = 0;
};

}  // namespace lambkin::io::mqtt
