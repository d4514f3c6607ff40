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

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lambkin::io::mqtt {

namespace net = boost::asio;
namespace core = lambkin::mqtt;

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

  connection(core::connection_id id, std::string remote_ip, std::uint32_t max_packet_size, write_limits limits);

  core::connection_id id() const noexcept { return id_; }
  const std::string& remote_ip() const noexcept { return remote_ip_; }
  core::decoder& decoder() noexcept { return decoder_; }

  /// The client id, once a CONNECT was read (for log lines); may be empty (assigned by the broker).
  const std::string& client_id() const noexcept { return client_id_; }
  void set_client_id(std::string id) { client_id_ = std::move(id); }

  // ---- write side -------------------------------------------------------------------------

  /// Encodes `p` for `v` onto the queue (the caller then `start_writer`s). `failures`: the durable store's
  /// failed commits so far (see `refuse_acknowledgements`).
  push_result push(const core::packet& p, core::protocol_version v, std::uint64_t failures = 0);
  /// The writer takes everything queued for one write; the bytes stay counted until `written`.
  std::vector<std::uint8_t>& take_pending();
  /// The write of what `take_pending` returned finished. True when the connection was blocked
  /// and is now at or under low_water (the broker should hear `on_connection_write_ready`).
  bool written();
  bool has_pending() const noexcept { return !pending_.empty(); }
  /// The durable store has failed `failures` commits by now. Each successful PUBACK / PUBREC in
  /// the bytes `take_pending` returned that was queued when fewer had failed may stand for a
  /// change that was not stored, so it must not go out as a success. MQTT 5: it becomes the same
  /// acknowledgement with reason 0x80 (Unspecified error), in place. 3.1.1 has no way to say so.
  enum class refusal { none, refused, must_close };
  /// The packet ids of the PUBRECs refused go to `refused_pubrecs` (their session must release them).
  refusal refuse_acknowledgements(std::uint64_t failures, std::vector<std::uint16_t>& refused_pubrecs);
  std::size_t queued_bytes() const noexcept { return pending_.size() + in_flight_.size(); }
  bool blocked() const noexcept { return blocked_; }

  // ---- lifecycle ---------------------------------------------------------------------------

  /// The broker asked to close: nothing more is queued; the writer flushes, then shuts down.
  void request_close();
  bool close_requested() const noexcept { return close_requested_; }
  /// The transport is gone (read or write failed, or aborted); the writer stops at once.
  void mark_dead();
  bool dead() const noexcept { return dead_; }
  /// What the server does with the transport under this connection (set once, by the server).
  enum class transport_op { close_now, start_writer };
  using transport_fn = std::function<void(transport_op, const std::shared_ptr<connection>&)>;
  void set_transport(transport_fn f) { transport_ = std::move(f); }
  /// Closes the transport now. Pending reads/writes fail.
  void abort() {
    mark_dead();
    if (transport_) transport_(transport_op::close_now, nullptr);
  }
  /// Starts the writer coroutine for `self` (this connection) unless it runs or the connection
  /// is dead. Called after bytes were queued or a close was requested.
  void start_writer(const std::shared_ptr<connection>& self) {
    if (writer_running_ || dead_ || !transport_) return;
    writer_running_ = true;
    transport_(transport_op::start_writer, self);
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
    transport_(transport_op::start_writer, self);
  }
  /// The writer found nothing to do and ended; the next `start_writer` starts a new one.
  void writer_stopped() noexcept { writer_running_ = false; }
  /// The writer cancelled the reader to shut the transport down alone (TLS close_notify): the
  /// reader leaves quietly and the writer ends the connection.
  void hand_reading_to_writer() noexcept { reader_handed_over_ = true; }
  bool reader_handed_over() const noexcept { return reader_handed_over_; }

  /// While the writer lingers after a close, the timer it waits on: `mark_dead` ends the wait.
  void set_linger(net::steady_timer* t) noexcept { linger_ = t; }

 private:
  core::connection_id id_;
  std::string remote_ip_;
  std::string client_id_;
  core::decoder decoder_;
  write_limits limits_;
  std::vector<std::uint8_t> pending_;
  std::vector<std::uint8_t> in_flight_;
  /// Where the successful PUBACKs / PUBRECs are in `pending_` and `in_flight_`.
  struct ack_mark {
    std::size_t offset = 0;
    std::size_t size = 0;
    std::uint16_t packet_id = 0;
    bool pubrec = false;
    core::protocol_version version = core::protocol_version::v311;
    std::uint64_t failures = 0;  // the store's failed commits when it was queued
  };
  std::vector<ack_mark> pending_acks_;
  std::vector<ack_mark> in_flight_acks_;
  bool blocked_ = false;
  bool close_requested_ = false;
  bool dead_ = false;
  bool reader_handed_over_ = false;
  bool writer_running_ = false;
  transport_fn transport_;
  net::steady_timer* linger_ = nullptr;
};

}  // namespace lambkin::io::mqtt
