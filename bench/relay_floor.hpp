#pragma once
// A diagnostic floor for the warm-invoke benchmark: the least an emulator that runs functions in
// real processes must do per invoke. One thread of this process accepts an invoke (HTTP), hands
// the event to a real runtime process parked in GET /next, takes its POST /response and answers
// the client — the data path of lambkin's warm invoke with nothing else (no pool, no logs, no
// limits). Optionally it also freezes the runtime as lambkin does (memory sample + SIGSTOP when
// it parks in /next, SIGCONT before handing it the next event), to price that step alone.
//
// One invoke at a time: it serves the sequential latency rows only.
#include "bench/bare_runtime.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>
#include <string>
#include <thread>

namespace lambkin::bench {

class relay_floor {
 public:
  /// Starts the listeners, then the bootstrap (posix_spawn) pointed at the runtime listener.
  relay_floor(const std::string& bootstrap, bool freeze);
  ~relay_floor();
  relay_floor(const relay_floor&) = delete;
  relay_floor& operator=(const relay_floor&) = delete;

  /// Where invokes go (any target, any body: the body is the event).
  unsigned short port() const { return invoke_port_; }

 private:
  boost::asio::awaitable<void> accept_invokes();
  boost::asio::awaitable<void> accept_runtime();
  boost::asio::awaitable<void> serve_invokes(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> serve_runtime(boost::asio::ip::tcp::socket socket);

  bool freeze_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor invokes_, runtime_;
  unsigned short invoke_port_ = 0;
  // State of the one invocation in flight; all of it lives on io_'s thread.
  std::optional<std::string> event_, answer_;
  boost::asio::steady_timer event_ready_, answer_ready_;  // cancelled to wake the waiting side
  bool runtime_served_once_ = false, frozen_ = false;
  bare_process runtime_process_;
  std::thread thread_;
};

}  // namespace lambkin::bench
