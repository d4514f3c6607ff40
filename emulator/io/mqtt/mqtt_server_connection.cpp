// Accepting, reading and serving connections (writing them: mqtt_server_writes.cpp). `serve` and
// `write_loop` are templates on the stream so the TLS listener reuses them (WebSocket connections
// run on the plain TCP path, `tcp_fd`); each transport supplies a `transport_ops` specialisation
// (mqtt_transport.hpp) and gets an explicit instantiation.
#include "emulator/io/mqtt/mqtt_server.hpp"

#include "emulator/io/mqtt/mqtt_transport.hpp"
#include "emulator/io/mqtt/tls_stream.hpp"
#include "emulator/io/mqtt/ws_state.hpp"

#include "emulator/io/log.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cerrno>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lambkin::io::mqtt {
namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// TLS: read chunk per connection, in the reader's frame. The decoder buffers at most
// one packet body (bounded by the profile's max_packet_size) on top of it.
constexpr std::size_t read_chunk = 4096;

// What TCP connections read into, one read at a time (see `tcp_ready`), so that idle connections hold
// no buffer. Per thread: each server runs on one thread, and `feed` copies what it keeps.
std::span<std::uint8_t> tcp_read_buffer() {
  thread_local std::vector<std::uint8_t> buffer(64 * 1024);
  return buffer;
}

std::string remote_ip_of(const tcp::socket& s) {
  boost::system::error_code ec;
  const auto ep = s.remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

}  // namespace

net::awaitable<void> mqtt_server::accept_loop() {
  auto alive = alive_;
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (!*alive || stopped_ || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: log and keep serving the connections we have.
      logger("mqtt")->warn("accept failed: {}", ec.message());
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // MQTT packets are small and latency matters
    std::string ip = remote_ip_of(socket);
    serve_tcp(std::move(socket), core::connection_info{std::move(ip), {}, {}});
  }
}

template <class Stream>
void mqtt_server::adopt(Stream stream, core::connection_info info) {
  if (stopped_) {
    transport_ops<Stream>::close_now(stream);
    return;
  }
  net::co_spawn(executor_, serve(std::move(stream), std::move(info)), net::detached);
}

template <class Stream>
std::shared_ptr<connection> mqtt_server::open_connection(const std::shared_ptr<Stream>& stream,
                                                         core::connection_info info) {
  const core::connection_id id = connections_.reserve();
  auto c = std::make_shared<connection>(id, info.ip_address, broker_.profile().max_packet_size, limits_);
  struct stream_transport final : connection::transport {
    stream_transport(mqtt_server& server, const std::shared_ptr<Stream>& stream) : server_(server), stream_(stream) {}
    void close_now(connection&) override {
      if (auto s = stream_.lock()) transport_ops<Stream>::close_now(*s);
    }
    void start_writer(const std::shared_ptr<connection>& self) override {
      if (auto s = stream_.lock())
        net::co_spawn(server_.executor_, server_.write_loop(self, std::move(s)), net::detached);
    }
    mqtt_server& server_;
    std::weak_ptr<Stream> stream_;
  };
  c->set_transport(std::make_unique<stream_transport>(*this, stream));
  register_connection(c, std::move(info));
  return c;
}

void mqtt_server::register_connection(const std::shared_ptr<connection>& c, core::connection_info info) {
  connections_.put(c);
  ++traffic_.connections_accepted;
  core::broker_output_list out;
  broker_.on_connection_opened(c->id(), std::move(info), clock::now(), out);
  execute(out);
}

void mqtt_server::serve_tcp(tcp::socket socket, core::connection_info info) {
  // The descriptor leaves Asio: `poller_` watches it, `tcp_ready` reads it into the thread's one
  // buffer, `write_tcp_now` or `send_data` writes it. An idle connection is one epoll entry in the kernel.
  if (auto c = watch_socket(socket, info, nullptr)) register_connection(c, std::move(info));
}

std::shared_ptr<connection> mqtt_server::watch_socket(tcp::socket& socket, const core::connection_info& info,
                                                      std::unique_ptr<connection::transport> own) {
  boost::system::error_code ec;
  const int fd = socket.release(ec);
  if (ec) {
    logger("mqtt")->warn("{}: {}", own ? "WebSocket connection lost at its hand-over" : "accept failed", ec.message());
    return nullptr;
  }
  if (const int flags = ::fcntl(fd, F_GETFL); flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    ::close(fd);
    return nullptr;
  }
  const core::connection_id id = connections_.reserve();
  auto c = std::make_shared<connection>(id, info.ip_address, broker_.profile().max_packet_size, limits_);
  c->set_fd(fd);
  if (own)
    c->set_transport(std::move(own));
  else
    c->set_transport(tcp_transport_);
  if (auto failed = poller_.add(fd, id.value())) {
    logger("mqtt")->warn("cannot watch a connection: {}", failed.message());
    ::close(c->release_fd());
    connections_.unreserve(id);
    return nullptr;
  }
  return c;
}

bool mqtt_server::tcp_ready(std::uint64_t number, std::uint32_t events) {
  in_tcp_batch_ = true;  // until flush_tcp_writes, at the end of the poller's batch
  const auto* found = connections_.find(core::connection_id{number});
  if (found == nullptr) return false;  // closed by an earlier event of the same batch
  auto c = *found;
  if (c->fd() < 0) return false;
  if ((events & EPOLLOUT) != 0) {
    poller_.want_write(c->fd(), number, false);
    c->wake_writer();
  }
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) == 0) return false;
  const auto buffer = tcp_read_buffer();
  const ssize_t n = ::recv(c->fd(), buffer.data(), buffer.size(), 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return false;
  if (n <= 0) {  // the peer closed, or the connection failed
    closed(*c);
    return false;
  }
  const auto got = static_cast<std::size_t>(n);
  traffic_.bytes_in += got;
  // After the broker closed the connection, keep reading (and discarding) until the peer closes or
  // the writer's linger ends, so our last packet is not lost to a reset.
  if (!c->close_requested()) {
    if (auto* ws = c->websocket())
      feed_ws(c, *ws, buffer.first(got));
    else
      feed(*c, std::span<const std::uint8_t>(buffer.data(), got));
  }
  return got == buffer.size();  // a full buffer: there may be more
}

void mqtt_server::tcp_transport::close_now(connection& c) { server_.close_tcp(c); }

void mqtt_server::tcp_transport::start_writer(const std::shared_ptr<connection>& c) { server_.start_poller_writer(c); }

void mqtt_server::close_tcp(connection& c) {
  const int fd = c.release_fd();
  if (fd < 0) return;
  poller_.remove(fd);
  ::close(fd);
  // As a socket's pending read fails when it is closed: the connection ends on its own turn.
  net::post(executor_, [this, alive = alive_, id = c.id()] {
    if (!*alive) return;
    const auto* found = connections_.find(id);
    if (found == nullptr) return;
    auto keep = *found;
    closed(*keep);
  });
}

net::awaitable<bool> mqtt_server::wait_writable(const std::shared_ptr<connection>& c, const std::shared_ptr<bool>& alive) {
  // The socket's buffer is full: wait for `poller_` to report it writable (`tcp_ready` wakes
  // this timer; `mark_dead` too).
  net::steady_timer wake(executor_, net::steady_timer::time_point::max());
  c->set_linger(&wake);
  poller_.want_write(c->fd(), c->id().value(), true);
  co_await wake.async_wait(use_tuple);
  c->set_linger(nullptr);
  co_return *alive;
}

template <class Stream>
net::awaitable<void> mqtt_server::serve(Stream raw, core::connection_info info) {
  auto alive = alive_;
  auto stream = std::make_shared<Stream>(std::move(raw));
  auto c = open_connection(stream, std::move(info));

  // After the broker closed the connection, keep reading (and discarding) until the peer closes
  // or the writer's linger ends, so our last packet is not lost to a reset. TLS
  // streams decode into the caller's buffer: one per connection.
  std::array<std::uint8_t, read_chunk> buffer{};
  while (!c->dead()) {
    auto [ec, n] = co_await stream->async_read_some(net::buffer(buffer), use_tuple);
    if (!*alive) co_return;
    if (c->reader_handed_over()) co_return;  // the writer shuts down and ends the connection
    if (ec) break;
    traffic_.bytes_in += n;
    ++frames_read_;
    if (!c->close_requested()) {
      defer_writers_ = true;
      feed(*c, std::span<const std::uint8_t>(buffer.data(), n));
      defer_writers_ = false;
    }
    if (!deferred_writers_.empty() && !flush_posted_) {
      flush_posted_ = true;
      flush_writers(0);
    }
  }
  closed(*c);
}

void mqtt_server::feed(connection& c, std::span<const std::uint8_t> in) {
  core::broker_output_list out;
  while (!in.empty() && !c.close_requested() && !c.dead()) {
    auto r = c.decoder().feed(in);
    if (std::holds_alternative<core::need_more>(r)) break;
    if (auto* e = std::get_if<core::decode_error>(&r)) {
      logger("mqtt")->info("bad input from client_id={} ip={}: {}", broker_.client_id_of(c.id()), c.remote_ip(),
                           e->reason);
      broker_.on_connection_error(c.id(), *e, clock::now(), out);
      execute(out);
      // The broker always closes on a decode error; make sure nothing more is parsed either way.
      c.request_close();
      break;
    }
    auto& p = std::get<core::packet>(r);
    if (const auto* pub = std::get_if<core::publish>(&p)) traffic_.published(broker_.client_id_of(c.id()), pub->topic);
    broker_.on_connection_packet(c.id(), std::move(p), clock::now(), out);
    execute(out);
  }
}

void mqtt_server::closed(connection& c) {
  const bool by_broker = c.close_requested();
  c.abort();
  connections_.erase(c.id());
  // Stopped and the last connection gone: nothing left to watch, so the io_context can run out.
  if (stopped_ && connections_.empty()) poller_.close();
  if (by_broker || stopped_) return;  // already logged by close(); the core ignores a repeat
  logger("mqtt")->info("disconnected: client_id={} ip={} reason={}", broker_.client_id_of(c.id()), c.remote_ip(),
                       core::to_string(core::disconnect_reason::connection_lost));
  core::broker_output_list out;
  broker_.on_connection_closed(c.id(), clock::now(), out);
  execute(out);
}

template void mqtt_server::adopt<tls_stream>(tls_stream, core::connection_info);
template net::awaitable<void> mqtt_server::serve<tls_stream>(tls_stream, core::connection_info);

}  // namespace lambkin::io::mqtt
