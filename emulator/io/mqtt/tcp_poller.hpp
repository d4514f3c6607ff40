#pragma once
// Readiness of every plain-TCP MQTT connection through one epoll instance of our own, which Asio
// watches as a single descriptor (issue 5: memory per idle connection). An Asio `tcp::socket`
// costs each connection its socket object, Asio's per-descriptor reactor state and a pending
// `async_wait` operation with its handler (~0.5 KB together); here an idle connection is one
// kernel epoll entry and no user-space memory at all.
//
// Descriptors are registered level-triggered for reading, with the connection's number as the
// epoll data: `on_ready(number, events)` runs on the executor for each ready descriptor (a number
// whose connection is gone is the caller's to ignore, so a connection closed by an earlier event
// of the same batch is never touched). Writing is asked for only while a write would block
// (`want_write`); the caller turns it off again when it hears EPOLLOUT.
//
// Thread safety: none; every member on the executor's thread (one thread runs the io_context).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace lambkin::io::mqtt {

class tcp_poller {
 public:
  /// Returns true when the descriptor may have more to read than was read (the poller looks again
  /// soon instead of waiting for new readiness).
  using ready_fn = std::function<bool(std::uint64_t number, std::uint32_t events)>;

  tcp_poller(boost::asio::any_io_executor executor, ready_fn on_ready);
  ~tcp_poller();
  tcp_poller(const tcp_poller&) = delete;
  tcp_poller& operator=(const tcp_poller&) = delete;

  /// Creates the epoll instance and starts watching it (once; later calls do nothing).
  boost::system::error_code open();
  /// Watches `fd` (non-blocking) for reading.
  boost::system::error_code add(int fd, std::uint64_t number);
  /// Also watch for writability (true), or reading only again (false).
  void want_write(int fd, std::uint64_t number, bool on);
  /// Stops watching `fd` (before it is closed).
  void remove(int fd);
  /// Stops watching everything; no `on_ready` runs after this.
  void close();
  /// Runs after each batch of `on_ready` calls (every look that found ready descriptors): the
  /// server writes what the batch queued there (mqtt_server::flush_tcp_writes).
  void set_batch_end(std::function<void()> fn) { batch_end_ = std::move(fn); }

 private:
  void wait();
  void poll();

  boost::asio::posix::stream_descriptor epoll_;
  ready_fn on_ready_;
  std::function<void()> batch_end_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambkin::io::mqtt
