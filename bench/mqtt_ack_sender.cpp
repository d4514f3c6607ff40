#include "bench/mqtt_ack_sender.hpp"

#include <cerrno>
#include <chrono>

#include <poll.h>
#include <sys/socket.h>

namespace lambkin::bench {

ack_sender::ack_sender() : thread_([this] { run(); }) {}

ack_sender::~ack_sender() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
  }
  work_.notify_one();
  thread_.join();
}

void ack_sender::submit(int fd, std::vector<std::uint8_t> bytes) {
  bool wake = false;
  {
    std::lock_guard lock(m_);
    wake = queue_.empty() && !busy_;
    queue_.emplace_back(fd, std::move(bytes));
  }
  if (wake) work_.notify_one();
}

void ack_sender::drain() {
  std::unique_lock lock(m_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void ack_sender::run() {
  std::unique_lock lock(m_);
  for (;;) {
    work_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    auto [fd, bytes] = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    // A broker that stops reading a subscriber must not hang the generator: its PUBACKs are given
    // up after a while (the run then reports what was not acknowledged or delivered).
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t done = 0;
    while (done < bytes.size() && std::chrono::steady_clock::now() < give_up) {
      const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n >= 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) break;  // the connection failed: its reader reports it
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 100);
    }
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace lambkin::bench
