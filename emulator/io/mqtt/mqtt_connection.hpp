#pragma once
// One MQTT connection as the shell sees it, independent of its transport (TCP, WebSocket, TLS):
// the id the broker knows it by, its decoder, and the single bounded write queue its writer
// coroutine drains. The writer runs only while there is something to write or a close to carry
// out (`start_writer`); an idle connection has no writer and no timer (issue 5).
//
// The queue holds encoded bytes. Crossing `high_water` upward makes the connection "blocked"
// (the server tells the broker `on_connection_write_blocked`, so the core starts dropping QoS 0
// and counting QoS 1 toward its limit); draining to `low_water` makes it ready again. Past
// `hard_limit` the connection is dropped: a peer that never reads cannot grow memory forever.
//
// Thread safety: none; used only on the server's io_context thread.
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/ids.hpp"
#include "emulator/core/mqtt/packet.hpp"

#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::io::mqtt {

namespace net = boost::asio;
namespace core = lambkin::mqtt;

struct ws_state;  // ws_state.hpp

/// Per-connection write-queue marks, in encoded bytes.
struct write_limits {
  std::size_t high_water = 256 * 1024;
  std::size_t low_water = 64 * 1024;
  /// Past this many queued bytes the connection is closed (raised to hold at least two packets
  /// of the profile's maximum size above `high_water`).
  std::size_t hard_limit = 4 * 1024 * 1024;
};

class connection {
 public:
  enum class push_result {
    queued,          // bytes appended
    became_blocked,  // appended, and the queue just crossed high_water
    overflow,        // not appended: past hard_limit, the connection must be dropped
    dropped,         // not appended: closing or closed, or the packet could not be encoded
  };

  /// `limits` (from `adjusted`) are the server's, shared by its connections: they must outlive this.
  connection(core::connection_id id, std::string remote_ip, std::uint32_t max_packet_size, const write_limits& limits);
  /// `limits` made consistent (low_water ≤ high_water) and with room for two packets of
  /// `max_packet_size` over high_water before the hard limit.
  static write_limits adjusted(write_limits limits, std::uint32_t max_packet_size) noexcept;

  core::connection_id id() const noexcept { return id_; }
  /// The peer's address as text ("" if unknown).
  std::string remote_ip() const;
  core::decoder& decoder() noexcept { return decoder_; }

  // ---- write side -------------------------------------------------------------------------

  /// Encodes `p` for `v` onto the queue (the caller then `start_writer`s). `failures`: the durable store's
  /// failed commits so far (see `refuse_acknowledgements`).
  push_result push(const core::packet& p, core::protocol_version v, std::uint64_t failures = 0);
  /// The writer takes everything queued for one write; the bytes stay counted until `written`.
  std::vector<std::uint8_t>& take_pending();
  /// The write of what `take_pending` returned finished. True when the connection was blocked
  /// and is now at or under low_water (the broker should hear `on_connection_write_ready`).
  bool written();
  bool has_pending() const noexcept { return q_ && !q_->pending.empty(); }
  /// The durable store has failed `failures` commits by now. Each successful PUBACK / PUBREC in
  /// the bytes `take_pending` returned that was queued when fewer had failed may stand for a
  /// change that was not stored, so it must not go out as a success. MQTT 5: it becomes the same
  /// acknowledgement with reason 0x80 (Unspecified error), in place. 3.1.1 has no way to say so.
  enum class refusal { none, refused, must_close };
  /// The packet ids of the PUBRECs refused go to `refused_pubrecs` (their session must release them).
  refusal refuse_acknowledgements(std::uint64_t failures, std::vector<std::uint16_t>& refused_pubrecs);
  std::size_t queued_bytes() const noexcept { return q_ ? q_->pending.size() + q_->in_flight.size() : 0; }
  bool blocked() const noexcept { return blocked_; }

  // ---- lifecycle ---------------------------------------------------------------------------

  /// The broker asked to close: nothing more is queued; the writer flushes, then shuts down.
  void request_close();
  bool close_requested() const noexcept { return close_requested_; }
  /// The transport is gone (read or write failed, or aborted); the writer stops at once.
  void mark_dead();
  bool dead() const noexcept { return dead_; }
  /// What the server does with the transport under this connection (set once, by the server).
  class transport {
   public:
    virtual ~transport() = default;
    /// Closes the transport now; pending reads and writes fail.
    virtual void close_now(connection& c) = 0;
    /// Starts the writer coroutine for `c`.
    virtual void start_writer(const std::shared_ptr<connection>& c) = 0;
    /// A WebSocket connection on the poller path: its framing state (null for the others).
    virtual ws_state* websocket() noexcept { return nullptr; }
  };
  /// The framing state of a WebSocket connection on the poller path; null for every other one.
  ws_state* websocket() const noexcept { return transport_ ? transport_->websocket() : nullptr; }
  /// One transport object shared by many connections (plain TCP: the server's); not owned.
  void set_transport(transport& shared) noexcept { transport_ = &shared; }
  /// A transport of this connection alone (WebSocket, TLS: it holds the stream); owned.
  void set_transport(std::unique_ptr<transport> own) noexcept {
    transport_ = own.release();
    owns_transport_ = true;
  }
  ~connection() {
    if (owns_transport_) delete transport_;
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  /// Closes the transport now. Pending reads/writes fail.
  void abort() {
    mark_dead();
    if (transport_) transport_->close_now(*this);
  }
  /// Starts the writer coroutine for `self` (this connection) unless it runs or the connection
  /// is dead. Called after bytes were queued or a close was requested.
  void start_writer(const std::shared_ptr<connection>& self) {
    if (writer_running_ || dead_ || !transport_) return;
    writer_running_ = true;
    transport_->start_writer(self);
  }
  /// Like `start_writer`, in two steps: `claim_writer` marks the writer as running (so later
  /// `start_writer`s do nothing) and says whether the caller must `launch_writer` it; the server
  /// launches claimed writers once the reader whose input queued the bytes has nothing more
  /// buffered (mqtt_server::start_writer), so a burst of frames leaves in one write.
  bool claim_writer() noexcept {
    if (writer_running_ || dead_ || !transport_) return false;
    writer_running_ = true;
    return true;
  }
  void launch_writer(const std::shared_ptr<connection>& self) {
    if (dead_ || !transport_) return;
    transport_->start_writer(self);
  }
  /// The writer found nothing to do and ended; the next `start_writer` starts a new one.
  void writer_stopped() noexcept { writer_running_ = false; }
  /// The writer cancelled the reader to shut the transport down alone (TLS close_notify): the
  /// reader leaves quietly and the writer ends the connection.
  void hand_reading_to_writer() noexcept { reader_handed_over_ = true; }
  bool reader_handed_over() const noexcept { return reader_handed_over_; }

  /// While the writer lingers after a close, or waits for a plain TCP socket to take more bytes,
  /// the timer it waits on: `mark_dead` and `wake_writer` end the wait.
  void set_linger(net::steady_timer* t) noexcept { linger_ = t; }
  void wake_writer() {
    if (linger_) linger_->cancel();
  }

  /// Plain TCP: the socket's descriptor, watched by the server's tcp_poller (-1: none, or closed).
  int fd() const noexcept { return fd_; }
  void set_fd(int fd) noexcept { fd_ = fd; }
  /// Gives the descriptor up (to close it); -1 once it was.
  int release_fd() noexcept { return std::exchange(fd_, -1); }

 private:
  core::connection_id id_;
  std::array<std::uint8_t, 16> address_{};  // the peer's address, binary (a string is 32 bytes)
  core::decoder decoder_;
  const write_limits& limits_;
  /// Where the successful PUBACKs / PUBRECs are in `pending` and `in_flight`.
  struct ack_mark {
    std::size_t offset = 0;
    std::size_t size = 0;
    std::uint16_t packet_id = 0;
    bool pubrec = false;
    core::protocol_version version = core::protocol_version::v311;
    std::uint64_t failures = 0;  // the store's failed commits when it was queued
  };
  /// What waits to be written and what is being written. Made by the first `push` and given back
  /// once everything was written, so an idle connection holds no buffers (issue 5).
  struct write_queue {
    std::vector<std::uint8_t> pending;
    std::vector<std::uint8_t> in_flight;
    std::vector<ack_mark> pending_acks;
    std::vector<ack_mark> in_flight_acks;
  };
  std::unique_ptr<write_queue> q_;
  // Bit-fields: the flags, the address family and the descriptor share one 8-byte word, which
  // keeps the object (with make_shared's counts) in a 128-byte malloc chunk (issue 5).
  bool blocked_ : 1 = false;
  bool close_requested_ : 1 = false;
  bool dead_ : 1 = false;
  bool reader_handed_over_ : 1 = false;
  bool writer_running_ : 1 = false;
  bool owns_transport_ : 1 = false;
  std::uint8_t address_family_ = 0;  // 0 unknown, 4 or 6
  int fd_ = -1;
  transport* transport_ = nullptr;  // a std::function here would cost 32 bytes per connection
  net::steady_timer* linger_ = nullptr;
};

}  // namespace lambkin::io::mqtt
