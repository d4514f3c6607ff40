// Writing connections: `write_loop` (a template on the stream, like `serve`: plain TCP and
// WebSocket as `tcp_fd`, TLS as `tls_stream`), the writes of plain-TCP and WebSocket connections
// made at the end of a poller batch without a coroutine (`flush_tcp_writes`, `write_tcp_now`), and the acknowledgements the
// durable store may not have kept (`settle_acknowledgements`). Reading and accepting are in
// mqtt_server_connection.cpp.
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
#include <optional>
#include <type_traits>
#include <vector>

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace lambkin::io::mqtt {
namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

/// One non-blocking `sendmsg` of `header` then `payload`, from byte `done` of the two on: what it
/// wrote, or -1 (errno).
ssize_t send_parts(int fd, std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload,
                   std::size_t done) {
  std::array<iovec, 2> parts{};
  std::size_t count = 0;
  if (done < header.size()) {
    // iovec's base is not const; sendmsg only reads it.
    parts[count++] = iovec{const_cast<std::uint8_t*>(header.data() + done), header.size() - done};
    done = 0;
  } else {
    done -= header.size();
  }
  if (done < payload.size())
    parts[count++] = iovec{const_cast<std::uint8_t*>(payload.data() + done), payload.size() - done};
  msghdr m{};
  m.msg_iov = parts.data();
  m.msg_iovlen = count;
  return ::sendmsg(fd, &m, MSG_NOSIGNAL);
}

}  // namespace

net::awaitable<boost::system::error_code> mqtt_server::send_all(std::shared_ptr<connection> c,
                                                                std::shared_ptr<bool> alive,
                                                                std::span<const std::uint8_t> header,
                                                                std::span<const std::uint8_t> bytes, std::size_t done) {
  const std::size_t total = header.size() + bytes.size();
  while (done < total) {
    if (c->fd() < 0) co_return net::error::operation_aborted;
    const ssize_t n = send_parts(c->fd(), header, bytes, done);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_return boost::system::error_code(errno, boost::system::system_category());
    // Resumes at byte `done`, in the header or the bytes.
    if (!co_await wait_writable(c, alive)) co_return net::error::operation_aborted;
  }
  co_return boost::system::error_code{};
}

net::awaitable<boost::system::error_code> mqtt_server::send_data(std::shared_ptr<connection> c,
                                                                 std::shared_ptr<bool> alive,
                                                                 std::span<const std::uint8_t> bytes, std::size_t done) {
  // Not `a ? co_await x : co_await y`: GCC 12 runs both awaits of such an expression.
  if (!c->websocket()) co_return co_await send_all(std::move(c), std::move(alive), {}, bytes, done);
  const ws_frame_header header(bytes.size());  // in this coroutine's frame while send_all runs
  co_return co_await send_all(std::move(c), std::move(alive), header.bytes(), bytes, done);
}

void mqtt_server::write_ready(connection& c) {
  core::broker_output_list out;
  broker_.on_connection_write_ready(c.id(), clock::now(), out);
  execute(out);
}

template <class Stream>
net::awaitable<void> mqtt_server::write_loop(std::shared_ptr<connection> c, std::shared_ptr<Stream> stream) {
  auto alive = alive_;
  // Started while a broker input's outputs are carried out: let the rest of them queue first,
  // so that they leave in one write.
  co_await net::post(executor_, net::use_awaitable);
  if (!*alive) co_return;
  for (;;) {
    if (c->dead()) co_return;
    if (auto* ws = c->websocket(); ws && !ws->control.empty()) {  // pongs, between two data frames
      const auto ec = co_await send_ws_control(c, alive);
      if (!*alive) co_return;
      if (ec) {
        c->abort();
        co_return;
      }
      continue;
    }
    if (c->has_pending()) {
      auto& bytes = c->take_pending();
      if (barrier_.pending && barrier_.pending()) {
        co_await barrier_.wait();  // what these bytes acknowledge is stored first
        if (!*alive || c->dead()) co_return;
      }
      if (!settle_acknowledgements(*c)) co_return;
      traffic_.bytes_out += bytes.size();
      boost::system::error_code ec;
      if constexpr (std::is_same_v<Stream, tcp_fd>) {
        ec = co_await send_data(c, alive, bytes);
      } else {
        auto [write_ec, n] = co_await net::async_write(*stream, net::buffer(bytes), use_tuple);
        ec = write_ec;
      }
      if (!*alive) co_return;
      if (ec) {
        c->abort();  // the reader sees the close and reports it
        co_return;
      }
      if (c->written() && !c->dead()) write_ready(*c);
      continue;
    }
    if (c->close_requested()) break;
    // Nothing to write: end, so an idle connection holds no coroutine. `send` and `close`
    // start the next writer.
    c->writer_stopped();
    co_return;
  }
  // Flushed: half-close (WebSocket: close frame), give the peer `close_linger` to close its
  // side, then close ours. TLS: the reader stops, close_notify goes out, the shutdown reads the
  // peer's answer, and the connection ends here.
  if constexpr (std::is_same_v<Stream, tcp_fd>) {
    (void)stream;  // null: the descriptor is the connection's
    if (c->websocket()) {  // the WebSocket close frame goes before the FIN
      co_await close_ws(c, alive);
      if (!*alive) co_return;
    }
    if (c->fd() >= 0) ::shutdown(c->fd(), SHUT_WR);
  } else {
    if constexpr (transport_ops<Stream>::shutdown_reads) {
      c->hand_reading_to_writer();
      transport_ops<Stream>::stop_reading(*stream);
      co_await transport_ops<Stream>::async_shutdown(*stream);
      if (!*alive) co_return;
      closed(*c);
      co_return;
    }
    co_await transport_ops<Stream>::async_shutdown(*stream);
    if (!*alive) co_return;
  }
  net::steady_timer linger(executor_);
  linger.expires_after(options_.close_linger);
  c->set_linger(&linger);
  while (!c->dead()) {
    auto [ec] = co_await linger.async_wait(use_tuple);
    if (!*alive) break;
    if (!ec) break;  // linger over
  }
  c->set_linger(nullptr);
  if (!*alive) co_return;
  c->abort();
}

bool mqtt_server::settle_acknowledgements(connection& c) {
  if (!barrier_.failures) return true;
  std::vector<std::uint16_t> refused_pubrecs;
  switch (c.refuse_acknowledgements(barrier_.failures(), refused_pubrecs)) {
    case connection::refusal::none:
      return true;
    case connection::refusal::refused: {
      logger("mqtt")->warn("client_id={}: PUBACK 0x80: the durable store could not keep what it published",
                           broker_.client_id_of(c.id()));
      core::broker_output_list out;
      for (const auto id : refused_pubrecs) broker_.on_pubrec_refused(c.id(), id, clock::now(), out);
      execute(out);
      return true;
    }
    case connection::refusal::must_close:
      logger("mqtt")->warn("disconnecting client_id={}: the durable store could not keep what it published "
                           "(MQTT 3.1.1 has no PUBACK error)", broker_.client_id_of(c.id()));
      c.abort();
      return false;
  }
  return true;
}

void mqtt_server::start_poller_writer(const std::shared_ptr<connection>& c) {
  if (in_tcp_batch_) {
    tcp_writes_.push_back(c);
    return;
  }
  net::co_spawn(executor_, write_loop(c, std::shared_ptr<tcp_fd>()), net::detached);
}

void mqtt_server::flush_tcp_writes() {
  // Writers started meanwhile (by a write_ready's outputs) join this flush.
  while (!tcp_writes_.empty()) {
    tcp_flushing_.swap(tcp_writes_);
    for (const auto& c : tcp_flushing_) write_tcp_now(c);
    tcp_flushing_.clear();
  }
  in_tcp_batch_ = false;
}

void mqtt_server::write_tcp_now(const std::shared_ptr<connection>& c) {
  // `c`'s writer is claimed (connection::start_writer): it ends here or goes on as a coroutine.
  // A few rounds at most (each write_ready may queue more); then the coroutine takes over.
  for (int round = 0;; ++round) {
    if (c->dead()) return;  // as write_loop's: a dead connection's writer just ends
    const auto* ws = c->websocket();
    if (ws && !ws->control.empty()) break;  // pongs go first, from write_loop
    if (!c->has_pending()) {
      if (c->close_requested()) break;  // the shutdown and the linger are write_loop's
      c->writer_stopped();
      return;
    }
    if (round == 4 || (barrier_.pending && barrier_.pending()) || c->fd() < 0) break;
    auto& bytes = c->take_pending();
    if (!settle_acknowledgements(*c)) return;
    traffic_.bytes_out += bytes.size();
    // A WebSocket's bytes leave as one binary frame: its header, then the payload.
    const std::optional<ws_frame_header> frame = ws ? std::optional<ws_frame_header>(bytes.size()) : std::nullopt;
    const auto header = frame ? frame->bytes() : std::span<const std::uint8_t>();
    const std::size_t total = header.size() + bytes.size();
    std::size_t done = 0;
    while (done < total) {
      const ssize_t n = send_parts(c->fd(), header, bytes, done);
      if (n >= 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      c->abort();  // the reader sees the close and reports it
      return;
    }
    if (done < total) {
      net::co_spawn(executor_, finish_tcp_write(c, bytes, done), net::detached);
      return;
    }
    if (c->written() && !c->dead()) write_ready(*c);
  }
  net::co_spawn(executor_, write_loop(c, std::shared_ptr<tcp_fd>()), net::detached);
}

net::awaitable<void> mqtt_server::finish_tcp_write(std::shared_ptr<connection> c,
                                                   std::span<const std::uint8_t> bytes, std::size_t done) {
  auto alive = alive_;
  // `bytes` are the connection's in-flight buffer, which stays until `written`.
  const auto ec = co_await send_data(c, alive, bytes, done);
  if (!*alive) co_return;
  if (ec) {
    c->abort();
    co_return;
  }
  if (c->written() && !c->dead()) write_ready(*c);
  co_await write_loop(c, std::shared_ptr<tcp_fd>());
}

template net::awaitable<void> mqtt_server::write_loop<tcp_fd>(std::shared_ptr<connection>, std::shared_ptr<tcp_fd>);
template net::awaitable<void> mqtt_server::write_loop<tls_stream>(std::shared_ptr<connection>,
                                                                    std::shared_ptr<tls_stream>);

}  // namespace lambkin::io::mqtt
