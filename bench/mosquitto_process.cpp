#include "bench/mosquitto_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace lambkin::bench {

using tcp = boost::asio::ip::tcp;

unsigned short free_loopback_port() {
  boost::asio::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

bool wait_for_port(unsigned short port, double seconds) {
  boost::asio::io_context ioc;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  // Polling with a short sleep is fine here: this is set-up, outside anything measured.
  while (std::chrono::steady_clock::now() < deadline) {
    tcp::socket s(ioc);
    boost::system::error_code ec;
    s.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port), ec);
    if (!ec) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

mosquitto_process::mosquitto_process(const std::string& exe) {
  std::string pattern = (std::filesystem::temp_directory_path() / "mosquitto-bench-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  mqtt_port_ = free_loopback_port();
  ws_port_ = free_loopback_port();
  // Matched to lambkin where the two differ by default: TCP_NODELAY on accepted sockets (lambkin
  // sets it), 100 unacknowledged QoS 1 messages toward a client and 1,000 queued behind them
  // (lambkin's profile: max_inflight_out, max_queued_messages); no persistence (lambkin keeps
  // sessions in memory); logging of errors and warnings only (lambkin runs with --log-level warn).
  std::ostringstream c;
  c << "listener " << mqtt_port_ << " 127.0.0.1\n"
    << "protocol mqtt\n"
    << "listener " << ws_port_ << " 127.0.0.1\n"
    << "protocol websockets\n"
    << "allow_anonymous true\n"
    << "max_connections -1\n"
    << "set_tcp_nodelay true\n"
    << "max_inflight_messages 100\n"
    << "max_queued_messages 1000\n"
    << "persistence false\n"
    << "log_dest stderr\n"
    << "log_type error\n"
    << "log_type warning\n";
  config_ = c.str();
  std::ofstream(dir_ / "mosquitto.conf") << config_;
  process_ = std::make_unique<child_process>(
      std::vector<std::string>{exe, "-c", (dir_ / "mosquitto.conf").string()}, dir_, dir_ / "mosquitto.log");
  // Both listeners: the WebSocket one (libwebsockets) may open after the TCP one.
  if (!wait_for_port(mqtt_port_, 10) || !wait_for_port(ws_port_, 10) || process_->exited()) {
    const std::string text = log();
    process_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw std::runtime_error("mosquitto did not start:\n" + text);
  }
  pid_ = process_->pid();
}

mosquitto_process::~mosquitto_process() {
  process_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string mosquitto_process::log() const {
  std::ifstream in(dir_ / "mosquitto.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace lambkin::bench
