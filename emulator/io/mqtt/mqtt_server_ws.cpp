// MQTT over WebSocket on the plain-TCP path (issue 5: memory per idle connection, throughput).
// After the upgrade (mqtt_ws_listener.cpp) the descriptor leaves Asio like a TCP connection's: the
// server's poller watches it, `tcp_ready` reads it and hands the bytes to `feed_ws`, which runs
// them through the connection's RFC 6455 frame decoder (core/mqtt/ws_frame.hpp) before the MQTT
// decoder. Writes are a TCP connection's too: at the end of the poller's batch (`write_tcp_now`)
// or in `write_loop<tcp_fd>`, each batch of queued MQTT bytes leaving as one binary frame
// (`ws_frame_header`, `send_data`); the writer coroutine also sends the pongs between frames
// (`send_ws_control`) and a close frame before its FIN (`close_ws`). An idle WebSocket connection costs what a TCP one does plus its `ws_transport`.
#include "emulator/io/mqtt/mqtt_server.hpp"

#include "emulator/io/mqtt/mqtt_transport.hpp"
#include "emulator/io/mqtt/ws_state.hpp"

#include "emulator/io/log.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lambkin::io::mqtt {
namespace {
/// Pongs waiting past this many bytes are not added to (a peer that pings and never reads); the
/// RFC lets an endpoint answer only the latest ping.
constexpr std::size_t max_control_bytes = 4096;
}  // namespace

struct mqtt_server::ws_transport final : connection::transport {
  explicit ws_transport(mqtt_server& server) : server_(server) {}
  void close_now(connection& c) override { server_.close_tcp(c); }
  void start_writer(const std::shared_ptr<connection>& c) override { server_.start_poller_writer(c); }
  ws_state* websocket() noexcept override { return &state_; }
  mqtt_server& server_;
  ws_state state_;
};

void mqtt_server::adopt_websocket(tcp::socket socket, core::connection_info info, std::vector<std::uint8_t> early) {
  boost::system::error_code ec;
  if (stopped_) {
    socket.close(ec);
    return;
  }
  auto transport = std::make_unique<ws_transport>(*this);
  auto& ws = transport->state_;  // lives as long as the connection that owns the transport
  auto c = watch_socket(socket, info, std::move(transport));
  if (!c) return;
  register_connection(c, std::move(info));
  if (!early.empty()) {
    traffic_.bytes_in += early.size();
    feed_ws(c, ws, early);
  }
}

void mqtt_server::feed_ws(const std::shared_ptr<connection>& c, ws_state& ws, std::span<std::uint8_t> in) {
  while (!in.empty() && !c->close_requested() && !c->dead()) {
    const auto e = ws.decoder.next(in);
    switch (e.kind) {
      case core::ws_event::need_more:
        return;
      case core::ws_event::data:
        feed(*c, e.payload);
        break;
      case core::ws_event::ping:
        if (ws.control.size() < max_control_bytes) {
          core::ws_append_pong(e.payload, ws.control);
          start_writer(c);
        }
        break;
      case core::ws_event::pong:
        break;
      case core::ws_event::close:
        end_ws(c, ws, e.code);
        return;
      case core::ws_event::error:
        logger("mqtt")->info("bad WebSocket input from client_id={} ip={}: {} (closing with {})",
                             broker_.client_id_of(c->id()), c->remote_ip(), e.reason, e.code);
        end_ws(c, ws, e.code);
        return;
    }
  }
}

void mqtt_server::end_ws(const std::shared_ptr<connection>& c, ws_state& ws, std::uint16_t code) {
  ws.close_code = code;
  const bool by_broker = c->close_requested();
  c->request_close();  // nothing more is read or queued; the writer flushes and ends with the close
  if (!by_broker) {
    logger("mqtt")->info("disconnected: client_id={} ip={} reason={}", broker_.client_id_of(c->id()), c->remote_ip(),
                         core::to_string(core::disconnect_reason::connection_lost));
    core::broker_output_list out;
    broker_.on_connection_closed(c->id(), clock::now(), out);
    execute(out);
  }
  start_writer(c);
}


net::awaitable<boost::system::error_code> mqtt_server::send_ws_control(std::shared_ptr<connection> c,
                                                                       std::shared_ptr<bool> alive) {
  auto* ws = c->websocket();
  if (!ws || ws->control.empty()) co_return boost::system::error_code{};
  // Taken out first: pongs queued while this one waits for the socket go in the next round.
  const auto frames = std::exchange(ws->control, {});
  co_return co_await send_all(std::move(c), std::move(alive), {}, frames);
}

net::awaitable<void> mqtt_server::close_ws(std::shared_ptr<connection> c, std::shared_ptr<bool> alive) {
  auto* ws = c->websocket();
  if (!ws) co_return;
  ws->control.clear();  // no pong follows our close
  core::ws_append_close(ws->close_code == 0 ? core::ws_close::normal : ws->close_code, ws->control);
  (void)co_await send_ws_control(std::move(c), std::move(alive));  // a failure changes nothing now
}

}  // namespace lambkin::io::mqtt
