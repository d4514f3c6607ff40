#pragma once
// Test support for the WebSocket and TLS listeners: an mqtt_server on 127.0.0.1 (ephemeral port)
// with a WebSocket listener and, when given certificate files, a TLS listener, all on one
// io_context running on its own thread, so the test thread drives real clients and waits on them.
#include "emulator/io/mqtt/mqtt_server.hpp"
#include "emulator/io/mqtt/mqtt_tls_listener.hpp"
#include "emulator/io/mqtt/mqtt_ws_listener.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace lambkin::test {

class mqtt_transports_thread {
 public:
  explicit mqtt_transports_thread(std::optional<io::mqtt::tls_files> tls = std::nullopt,
                                  std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(10))
      : server_(ioc_.get_executor(), lambkin::mqtt::profile::aws(), "127.0.0.1", 0),
        ws_(ioc_.get_executor(), server_, "127.0.0.1", 0, handshake_timeout) {
    REQUIRE_FALSE(server_.listen());
    REQUIRE_FALSE(ws_.listen());
    if (tls) {
      tls_ = std::make_unique<io::mqtt::mqtt_tls_listener>(ioc_.get_executor(), server_, "127.0.0.1", 0, *tls,
                                                           handshake_timeout);
      const auto err = tls_->load();
      REQUIRE_MESSAGE(!err, err.value_or(""));
      REQUIRE_FALSE(tls_->listen());
      tls_->start();
    }
    server_.start();
    ws_.start();
    thread_ = std::thread([this] {
      ioc_.run();
      ran_out_.set_value();
    });
  }
  /// Stops every listener and the server, and lets the io_context run out of work (5 s at most).
  ~mqtt_transports_thread() {
    boost::asio::post(ioc_, [this] {
      ws_.stop();
      if (tls_) tls_->stop();
      server_.stop();
    });
    if (ran_out_.get_future().wait_for(std::chrono::seconds(5)) != std::future_status::ready) ioc_.stop();
    thread_.join();
  }
  mqtt_transports_thread(const mqtt_transports_thread&) = delete;
  mqtt_transports_thread& operator=(const mqtt_transports_thread&) = delete;

  std::string tcp_port() const { return std::to_string(server_.port()); }
  unsigned short ws_port() const { return ws_.port(); }
  std::string tls_port() const { return tls_ ? std::to_string(tls_->port()) : std::string(); }

  /// Runs `f(server)` on the server's thread and returns its result.
  template <class F>
  auto call(F f) {
    std::packaged_task<decltype(f(server_))()> task([&] { return f(server_); });
    auto result = task.get_future();
    boost::asio::post(ioc_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context ioc_;
  io::mqtt::mqtt_server server_;
  io::mqtt::mqtt_ws_listener ws_;
  std::unique_ptr<io::mqtt::mqtt_tls_listener> tls_;
  std::promise<void> ran_out_;
  std::thread thread_;
};

inline constexpr auto transport_timeout = std::chrono::seconds(10);

}  // namespace lambkin::test
