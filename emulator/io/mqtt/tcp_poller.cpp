#include "emulator/io/mqtt/tcp_poller.hpp"

#include <boost/asio/post.hpp>

#include <array>
#include <cerrno>
#include <utility>

#include <sys/epoll.h>
#include <unistd.h>

namespace lambkin::io::mqtt {
namespace net = boost::asio;

namespace {
// Ready descriptors taken per look; a full batch means there may be more: look again at once
// (after other handlers had their turn).
constexpr int batch = 128;
}  // namespace

tcp_poller::tcp_poller(net::any_io_executor executor, ready_fn on_ready)
    : epoll_(std::move(executor)), on_ready_(std::move(on_ready)) {}

tcp_poller::~tcp_poller() {
  *alive_ = false;
  close();
}

boost::system::error_code tcp_poller::open() {
  if (epoll_.is_open()) return {};
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return {errno, boost::system::system_category()};
  boost::system::error_code ec;
  epoll_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return ec;
  }
  wait();
  return {};
}

boost::system::error_code tcp_poller::add(int fd, std::uint64_t number) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.u64 = number;
  if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, fd, &ev) != 0)
    return {errno, boost::system::system_category()};
  return {};
}

void tcp_poller::want_write(int fd, std::uint64_t number, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
  ev.data.u64 = number;
  (void)::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_MOD, fd, &ev);
}

void tcp_poller::remove(int fd) {
  if (epoll_.is_open()) (void)::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_DEL, fd, nullptr);
}

void tcp_poller::close() {
  boost::system::error_code ignored;
  epoll_.close(ignored);
}

// Asio registers the epoll descriptor edge-triggered: readiness that arrives while no wait is
// pending is only seen by the next look. So every look ends by either waiting again (before the
// reactor runs, so nothing is missed) or by posting the next look.
void tcp_poller::wait() {
  if (!epoll_.is_open()) return;
  epoll_.async_wait(net::posix::stream_descriptor::wait_read, [this, alive = alive_](boost::system::error_code ec) {
    if (!*alive || ec) return;
    poll();
  });
}

void tcp_poller::poll() {
  if (!epoll_.is_open()) return;
  const auto alive = alive_;  // `on_ready_` could end the poller's owner
  std::array<epoll_event, batch> events{};
  const int n = ::epoll_wait(epoll_.native_handle(), events.data(), batch, 0);
  bool more = n == batch || (n < 0 && errno == EINTR);
  for (int i = 0; i < n; ++i) {
    if (on_ready_(events[static_cast<std::size_t>(i)].data.u64, events[static_cast<std::size_t>(i)].events)) more = true;
    if (!*alive) return;
    if (!epoll_.is_open()) break;
  }
  if (n > 0 && batch_end_) {
    batch_end_();
    if (!*alive) return;
  }
  if (!epoll_.is_open()) return;
  if (more)
    net::post(epoll_.get_executor(), [this, alive = alive_] {
      if (*alive) poll();
    });
  else
    wait();
}

}  // namespace lambkin::io::mqtt
