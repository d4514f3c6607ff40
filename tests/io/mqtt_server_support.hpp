#pragma once
// Test support for the MQTT shell: a server on 127.0.0.1 with an ephemeral port whose io_context
// runs on its own thread, so the test thread can drive real clients (mosquitto_pub/_sub child
// processes, libmosquitto) and wait on them without sleeping.
#include "emulator/io/mqtt/mqtt_server.hpp"

#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lambkin::test {

namespace mqtt_io = lambkin::io::mqtt;
namespace core = lambkin::mqtt;

class mqtt_broker_thread {
 public:
  explicit mqtt_broker_thread(core::profile p = core::profile::aws())
      : server_(ioc_.get_executor(), std::move(p), "127.0.0.1", 0) {
    REQUIRE_FALSE(server_.listen());
    port_ = server_.port();
    REQUIRE(port_ != 0);
    server_.start();
    thread_ = std::thread([this] {
      ioc_.run();
      ran_out_.set_value();
    });
  }
  /// Stops the server and lets it flush and close every connection (its io_context runs out of
  /// work); after 5 s the io_context is stopped regardless.
  ~mqtt_broker_thread() {
    boost::asio::post(ioc_, [this] { server_.stop(); });
    if (ran_out_.get_future().wait_for(std::chrono::seconds(5)) != std::future_status::ready) ioc_.stop();
    thread_.join();
  }
  mqtt_broker_thread(const mqtt_broker_thread&) = delete;
  mqtt_broker_thread& operator=(const mqtt_broker_thread&) = delete;

  std::string port() const { return std::to_string(port_); }

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
  mqtt_io::mqtt_server server_;
  unsigned short port_ = 0;
  std::promise<void> ran_out_;
  std::thread thread_;
};

inline constexpr auto client_timeout = std::chrono::seconds(10);

/// mosquitto_sub that exits after `count` messages (or 10 s: -W guards a failing test), with -d
/// so its stdout says when the SUBACK arrived.
inline std::vector<std::string> sub_args(const mqtt_broker_thread& b, const std::string& version,
                                         const std::string& topic, std::vector<std::string> extra = {}) {
  // stdbuf -oL: mosquitto_sub's stdout is a file here, block-buffered unless told otherwise, and
  // the test watches it for the SUBACK line.
  std::vector<std::string> a{"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", b.port(), "-V", version, "-t",
                             topic, "-C", "1", "-W", "10", "-d"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

inline std::vector<std::string> pub_args(const mqtt_broker_thread& b, const std::string& version,
                                         const std::string& topic, const std::string& message,
                                         std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", b.port(), "-V", version, "-t",
                             topic, "-m", message, "-d"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

/// Waits until a `mosquitto_sub -d` has its SUBACK.
inline bool subscribed(child_process& sub) { return wait_for_stdout(sub, "received SUBACK", client_timeout); }

}  // namespace lambkin::test
