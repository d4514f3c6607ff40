#pragma once
// One MQTT 3.1.1 client of the load generator (mqtt_load.hpp), over TCP or WebSocket, driven by
// callbacks on a single-threaded io_context. It connects, sends CONNECT (and SUBSCRIBE when
// given a filter), then reports every PUBLISH and PUBACK to its owner. Writes are batched: the
// owner appends any number of packets to `out()` and calls `flush()`; while a write is in
// flight, further packets accumulate and leave in the next single write. Received QoS 1
// PUBLISHes are acknowledged in one batch per read.
//
// WebSocket (RFC 6455) is framed here too, not by Beast: the upgrade request, masked binary frames
// out (one per write), and every frame of a read decoded before its packets are handled. Beast's
// `read_some` hands over one frame per call, each through the executor's queue, so a subscriber
// behind a broker that sends a frame per message handed the generator a message at a time and
// the publishers then wrote a message per system call: the generator, not the broker, set the
// WebSocket saturation rate.
#include "bench/mqtt_ack_sender.hpp"
#include "bench/mqtt_wire.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace lambkin::bench {

namespace net = boost::asio;

class load_client;

/// What a client reports to its owner. Called on the io_context's thread.
class client_events {
 public:
  virtual ~client_events() = default;
  /// CONNACK accepted (and SUBACK granted, for a subscriber).
  virtual void on_ready(load_client& c) = 0;
  /// The connection failed or was refused, or closed before the owner closed it.
  virtual void on_failed(load_client& c, const std::string& why) = 0;
  /// A PUBLISH arrived (already acknowledged if QoS 1).
  virtual void on_message(load_client& c, std::span<const std::uint8_t> payload) = 0;
  virtual void on_puback(load_client& c) = 0;
  /// A read's packets have all been handled (a good moment to send more).
  virtual void on_read_done(load_client&) {}
};

struct broker_endpoint {
  net::ip::tcp::endpoint address;
  bool websocket = false;  // ws://address/mqtt, subprotocol "mqtt"
};

class load_client {
 public:
  load_client(net::io_context& ioc, client_events& owner, int index);
  load_client(const load_client&) = delete;
  load_client& operator=(const load_client&) = delete;

  /// Connects; `filter` (with `qos`) makes it a subscriber.
  void start(const broker_endpoint& ep, std::string client_id, std::uint16_t keep_alive_s,
             std::optional<std::string> filter, int qos);
  int index() const { return index_; }
  bool ready() const { return ready_; }

  wire::bytes& out() { return out_; }
  /// Writes what `out()` holds (now, or when the write in flight completes).
  void flush();
  std::uint16_t next_packet_id() {
    if (++packet_id_ == 0) packet_id_ = 1;
    return packet_id_;
  }
  /// A subscriber's PUBACKs go through `s` (another thread) instead of its own writes.
  void set_ack_sender(ack_sender* s) { acks_to_ = s; }
  /// Sends DISCONNECT and closes once it is written.
  void disconnect();
  /// Closes at once.
  void close();
  bool open() const { return !closed_; }

 private:
  void read();
  /// Bytes `n` bytes of the socket: MQTT (TCP) or frames (WebSocket), then the packets.
  void received(std::size_t n);
  void handle();
  void upgrade();
  void upgraded(std::size_t header_end);
  /// Decodes the complete frames of `raw_` into `in_`; false (after `fail`) on a bad frame.
  bool unframe();
  void fail(const std::string& why);
  using frame_header = std::array<std::uint8_t, 14>;
  /// `payload` as one masked binary frame: the header (with the mask key) into `head`, its size
  /// returned; the payload masked in place.
  std::size_t frame(wire::bytes& payload, frame_header& head);

  net::io_context& ioc_;
  client_events& owner_;
  int index_;
  std::string host_;
  net::ip::tcp::socket tcp_;
  bool websocket_ = false;
  bool upgrading_ = false;
  wire::bytes out_, writing_, in_;
  std::size_t in_used_ = 0;
  // WebSocket: the frames read (raw_), the header of the frame being written (it must outlive the
  // write), the mask's state.
  wire::bytes raw_;
  std::size_t raw_used_ = 0;
  frame_header frame_head_{};
  std::size_t frame_head_size_ = 0;
  std::uint64_t mask_state_;
  ack_sender* acks_to_ = nullptr;
  wire::bytes acks_;  // this read's PUBACKs, for acks_to_
  std::uint16_t packet_id_ = 0;
  bool subscriber_ = false;
  bool ready_ = false;
  bool write_busy_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace lambkin::bench
