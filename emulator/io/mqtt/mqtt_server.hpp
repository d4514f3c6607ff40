#pragma once
// The MQTT shell over TCP: owns the broker core (emulator/core/mqtt/broker.hpp), accepts
// connections, reads each (bytes → decoder → broker; plain TCP through one epoll instance for all
// connections, tcp_poller.hpp, WebSocket too after its upgrade, TLS by one coroutine each), runs a writer coroutine
// while a connection's bounded write queue has
// bytes (mqtt_connection.hpp), and carries out
// what the broker returns: sends, closes, timers (deadline_queue.hpp: one steady_timer for all), Basic
// Ingest messages and in-process listener messages (handed to the sinks set here).
//
// Typical wiring:
//   io::mqtt::mqtt_server mqtt(ioc.get_executor(), lambkin::mqtt::profile::aws(), "127.0.0.1", 1883);
//   if (auto ec = mqtt.listen()) fail(ec);
//   mqtt.start();  …  write mqtt.port() to the ready file  …  mqtt.stop();
//
// Logs (logger "mqtt", info): one line per accepted CONNECT ("connected") and per connection end
// ("disconnected", with the lifecycle reason and the error behind it).
//
// Transports: this class accepts TCP itself; the WebSocket and TLS listeners
// (mqtt_ws_listener.hpp, mqtt_tls_listener.hpp) do their handshakes and hand the connection over:
// WebSocket with `adopt_websocket` (the descriptor joins the plain TCP ones on the poller; framing
// in mqtt_server_ws.cpp), TLS with `adopt` (read by `serve<tls_stream>`; its ending in
// mqtt_transport.hpp and tls_stream.hpp).
//
// Thread safety: single-threaded; every member is called on the executor's thread (post to it from
// elsewhere). Sinks are called on that thread and may call back into the server.
#include "emulator/core/mqtt/broker.hpp"
#include "emulator/core/mqtt/profile.hpp"
#include "emulator/io/mqtt/broker_api.hpp"
#include "emulator/io/mqtt/connection_table.hpp"
#include "emulator/io/mqtt/deadline_queue.hpp"
#include "emulator/io/mqtt/mqtt_connection.hpp"
#include "emulator/io/mqtt/tcp_poller.hpp"
#include "emulator/io/observe/mqtt_traffic.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace lambkin::io::mqtt {

using tcp = net::ip::tcp;

struct server_options {
  write_limits writes;
  /// After the last bytes of a closed connection are written, how long the peer gets to close
  /// its side (so it reads our DISCONNECT/CONNACK instead of a reset) before we close ours.
  std::chrono::milliseconds close_linger{2000};
};

class mqtt_server final : public broker_api {
 public:
  /// `bind_address` is an IP literal ("127.0.0.1", "::"); port 0 picks a free port at `listen`.
  mqtt_server(net::any_io_executor executor, core::profile profile, std::string bind_address,
              unsigned short port, server_options options = {});
  ~mqtt_server() override;
  mqtt_server(const mqtt_server&) = delete;
  mqtt_server& operator=(const mqtt_server&) = delete;

  /// Binds and listens. Errors (bad address, address in use…) are returned, not thrown.
  boost::system::error_code listen();
  /// The bound port after a successful `listen` (0 before).
  unsigned short port() const;
  /// Starts accepting; each connection runs as its own coroutines.
  void start();
  /// Stops accepting; the broker shuts down (MQTT 5 clients get DISCONNECT 0x8B, wills are
  /// published), every connection is flushed and closed, timers are cancelled. Idempotent.
  void stop();
  bool stopped() const noexcept { return stopped_; }

  /// Serves a connection another listener accepted (its TLS or WebSocket handshake done): the
  /// broker sees it opened with `info` (address, and the TLS client certificate's id as the
  /// principal). After `stop` the stream is closed instead. Stream: tls_stream (instantiated in
  /// mqtt_server_connection.cpp).
  template <class Stream>
  void adopt(Stream stream, core::connection_info info);
  /// Serves a WebSocket connection whose upgrade is done (the 101 answer written) like a plain TCP
  /// one: the descriptor leaves Asio for the poller, and RFC 6455 framing is ours
  /// (mqtt_server_ws.cpp). `early`: bytes the client sent after its upgrade request, already read.
  /// After `stop` the socket is closed instead.
  void adopt_websocket(tcp::socket socket, core::connection_info info, std::vector<std::uint8_t> early);

  // ---- in-process API (broker_api.hpp: rules engine Republish, IoT Data API) ---------------

  /// Publishes as the broker; errors are the core's (topic invalid, payload too large…).
  std::error_code publish(core::publish_request request) override;
  std::optional<core::listener_id> add_listener(std::string_view filter) override;
  bool remove_listener(core::listener_id id) override;
  void set_rule_sink(rule_sink sink) override { rule_sink_ = std::move(sink); }
  void set_listener_sink(listener_sink sink) override { listener_sink_ = std::move(sink); }
  /// The broker's retained store (expired messages are never returned).
  std::optional<core::retained_entry> find_retained(std::string_view topic) override;
  std::vector<core::retained_entry> list_retained() override;
  /// What every write to a client waits for: while `pending()` says changes made by the sinks
  /// wait for their commit (the durable async queue), a writer that took bytes waits for `wait()`
  /// before writing them. So a PUBACK leaves only once the events its message queued are stored.
  /// `failures()` counts the commits that failed so far: a successful PUBACK / PUBREC queued
  /// before a failure that happened by the time it is written is refused instead
  /// (connection::refuse_acknowledgements: MQTT 5 reason 0x80; 3.1.1: the connection closes).
  struct write_barrier {
    std::function<bool()> pending;
    std::function<net::awaitable<void>()> wait;
    std::function<std::uint64_t()> failures;
  };
  void set_write_barrier(write_barrier barrier) { barrier_ = std::move(barrier); }
  /// Called after the outputs of every broker input are carried out (retained_persistence::sync).
  void set_after_input(std::function<void()> hook) { after_input_ = std::move(hook); }
  /// Carries out what a broker input made outside the server returned (session_persistence::restore).
  void execute_outputs(core::broker_output_list& out) { execute(out); }

  const core::broker& broker() const noexcept { return broker_; }
  core::broker& broker() noexcept { return broker_; }
  std::size_t connection_count() const noexcept { return connections_.size(); }
  /// Traffic since start (metrics, dashboard).
  const observe::mqtt_traffic& traffic() const noexcept { return traffic_; }
  /// The open connections (client id and address), for the dashboard.
  const connection_table& connections() const noexcept { return connections_; }

 private:
  net::awaitable<void> accept_loop();
  // mqtt_server_connection.cpp: serving connections. Plain TCP sockets leave Asio after accept:
  // their descriptors are watched by `poller_` (an idle connection holds no Asio state at all,
  // tcp_poller.hpp) and read in `tcp_ready`, upgraded WebSocket ones too (mqtt_server_ws.cpp); TLS
  // is read by the `serve` coroutine.
  template <class Stream>
  std::shared_ptr<connection> open_connection(const std::shared_ptr<Stream>& stream, core::connection_info info);
  void register_connection(const std::shared_ptr<connection>& c, core::connection_info info);
  void serve_tcp(tcp::socket socket, core::connection_info info);
  /// Takes `socket`'s descriptor out of Asio (non-blocking) and onto the poller, as a new
  /// connection with `own` as its transport (null: the shared plain-TCP one). Null when that
  /// fails (logged; the descriptor is closed). The caller registers the connection.
  std::shared_ptr<connection> watch_socket(tcp::socket& socket, const core::connection_info& info,
                                           std::unique_ptr<connection::transport> own);
  bool tcp_ready(std::uint64_t number, std::uint32_t events);
  /// Plain TCP connections' transport, one for all (their descriptors are theirs).
  struct tcp_transport final : connection::transport {
    explicit tcp_transport(mqtt_server& server) : server_(server) {}
    void close_now(connection& c) override;
    void start_writer(const std::shared_ptr<connection>& c) override;
    mqtt_server& server_;
  };
  void close_tcp(connection& c);
  /// Until the poller reports `c`'s socket writable (or the connection dies); false if the server
  /// is gone meanwhile.
  net::awaitable<bool> wait_writable(const std::shared_ptr<connection>& c, const std::shared_ptr<bool>& alive);
  /// Writes `header` then `bytes` (one `sendmsg`), from byte `done` of the two on, waiting for the
  /// poller whenever the socket would block. `header`: a WebSocket frame's, or empty.
  net::awaitable<boost::system::error_code> send_all(std::shared_ptr<connection> c, std::shared_ptr<bool> alive,
                                                     std::span<const std::uint8_t> header,
                                                     std::span<const std::uint8_t> bytes, std::size_t done = 0);
  /// A poller connection's queued MQTT bytes, from byte `done` on: a WebSocket's as one binary
  /// frame (its header counted in `done`), plain TCP's as they are.
  net::awaitable<boost::system::error_code> send_data(std::shared_ptr<connection> c, std::shared_ptr<bool> alive,
                                                      std::span<const std::uint8_t> bytes, std::size_t done = 0);
  // Writers of poller connections (plain TCP and WebSocket) started while the poller's batch of
  // ready descriptors is handled do not start a coroutine: the connections are collected and, once
  // the batch is done, written with non-blocking `send`s (a WebSocket's bytes as one binary frame)
  // from the poller's handler (`write_tcp_now`), so that what a burst of input queued leaves in
  // one write per connection without a coroutine or another turn of the executor. Only a write
  // that would block (or a barrier to wait for, pongs to send first, or a close to carry out) goes
  // on in `write_loop<tcp_fd>`.
  void flush_tcp_writes();
  void write_tcp_now(const std::shared_ptr<connection>& c);
  /// Called by a poller connection's transport: joins the batch's writes, or starts `write_loop`.
  void start_poller_writer(const std::shared_ptr<connection>& c);
  /// The rest of a write `write_tcp_now` began (`done` of its bytes, a WebSocket frame's header
  /// counted, are out), then the writer goes on as `write_loop`.
  net::awaitable<void> finish_tcp_write(std::shared_ptr<connection> c, std::span<const std::uint8_t> bytes,
                                        std::size_t done);
  /// Before `c`'s taken bytes are written: refuses the acknowledgements the durable store may not
  /// have kept (connection::refuse_acknowledgements). False if the connection was closed for it.
  bool settle_acknowledgements(connection& c);
  // mqtt_server_ws.cpp: WebSocket connections on the poller (framing: core/mqtt/ws_frame.hpp).
  struct ws_transport;
  void feed_ws(const std::shared_ptr<connection>& c, ws_state& ws, std::span<std::uint8_t> bytes);
  /// The peer closed (`code` echoed) or broke the protocol (`code` says how): the writer flushes
  /// what is queued and ends with a close frame; the broker hears the connection is lost.
  void end_ws(const std::shared_ptr<connection>& c, ws_state& ws, std::uint16_t code);
  /// Sends the control frames (pongs) queued in `c`'s ws_state.
  net::awaitable<boost::system::error_code> send_ws_control(std::shared_ptr<connection> c,
                                                            std::shared_ptr<bool> alive);
  /// Before the FIN: the close frame (ws_state::close_code, 1000 by default).
  net::awaitable<void> close_ws(std::shared_ptr<connection> c, std::shared_ptr<bool> alive);
  template <class Stream>
  net::awaitable<void> serve(Stream stream, core::connection_info info);
  /// Stream: tls_stream, or `tcp_fd` (plain TCP and WebSocket; `stream` is null, the descriptor is
  /// the connection's).
  template <class Stream>
  net::awaitable<void> write_loop(std::shared_ptr<connection> c, std::shared_ptr<Stream> stream);
  void feed(connection& c, std::span<const std::uint8_t> bytes);
  /// Starts `c`'s writer, or, while a TLS reader feeds its input, claims it and launches
  /// it once no reader has read another frame for a full turn of the executor (`flush_writers`).
  /// An SSL stream hands over one TLS record per read, each read completing through the executor's
  /// queue: writers started at once would write each record's packets alone (one write per message
  /// per subscriber). Plain TCP and WebSocket writers join the poller's batch instead.
  void start_writer(const std::shared_ptr<connection>& c);
  void flush_writers(unsigned round);
  void closed(connection& c);
  void write_ready(connection& c);

  // mqtt_server_outputs.cpp: carrying out the broker's outputs.
  void execute(core::broker_output_list& out);
  void send(const core::connection_send& s);
  void close(const core::connection_close& c);
  void arm(const core::timer_arm& a);
  void cancel(const core::timer_cancel& c);

  net::any_io_executor executor_;
  core::broker broker_;
  std::string bind_address_;
  unsigned short requested_port_;
  server_options options_;
  write_limits limits_;  // options_.writes adjusted (connection::adjusted); every connection's
  tcp::acceptor acceptor_;
  tcp_poller poller_;  // plain TCP connections' descriptors
  tcp_transport tcp_transport_{*this};
  connection_table connections_;  // ids are handed out by it (connection_table::reserve)
  deadline_queue timers_;  // the broker's timers, on one steady_timer
  bool stopped_ = false;
  rule_sink rule_sink_;
  listener_sink listener_sink_;
  write_barrier barrier_;
  std::function<void()> after_input_;
  observe::mqtt_traffic traffic_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  // Writers claimed while a TLS reader fed its input (start_writer), launched together.
  std::vector<std::shared_ptr<connection>> deferred_writers_;
  bool defer_writers_ = false;
  bool flush_posted_ = false;
  // Plain TCP writers claimed during the poller's current batch (flush_tcp_writes).
  std::vector<std::shared_ptr<connection>> tcp_writes_;
  std::vector<std::shared_ptr<connection>> tcp_flushing_;
  bool in_tcp_batch_ = false;
  std::uint64_t frames_read_ = 0;  // TLS reads completed
};

/// "aws" or "standard" → the profile; nullopt for anything else (for `--mqtt-profile`).
std::optional<core::profile> profile_named(std::string_view name);

}  // namespace lambkin::io::mqtt
