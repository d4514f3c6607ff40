#include "bench/mqtt_load_client.hpp"

#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace lambkin::bench {

using tcp = net::ip::tcp;

namespace {
// A busy subscriber's read buffer grows to this; an idle client keeps the small one.
constexpr std::size_t small_read = 2048;
constexpr std::size_t large_read = 256 * 1024;
// The upgrade's key and the Sec-WebSocket-Accept it must get back (RFC 6455 §1.3's own example).
constexpr std::string_view ws_key = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view ws_accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
// No broker sends MQTT packets this large to the generator; a longer length is a broken stream.
constexpr std::uint64_t max_frame = 64 * 1024 * 1024;

/// XORs `data` with the 4-byte `key`, eight bytes at a time.
void mask(std::span<std::uint8_t> data, std::uint32_t key) {
  std::uint8_t k[4];
  std::memcpy(k, &key, 4);
  std::uint64_t wide = 0;
  for (int i = 0; i < 8; ++i) wide |= static_cast<std::uint64_t>(k[i % 4]) << (8 * i);
  std::size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data.data() + i, 8);
    w ^= wide;
    std::memcpy(data.data() + i, &w, 8);
  }
  for (; i < data.size(); ++i) data[i] ^= k[i % 4];
}
}  // namespace

load_client::load_client(net::io_context& ioc, client_events& owner, int index)
    : ioc_(ioc), owner_(owner), index_(index), tcp_(ioc),
      mask_state_(0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(index + 1) ^ reinterpret_cast<std::uintptr_t>(this)) {}

void load_client::start(const broker_endpoint& ep, std::string client_id, std::uint16_t keep_alive_s,
                        std::optional<std::string> filter, int qos) {
  subscriber_ = filter.has_value();
  wire::connect(out_, client_id, keep_alive_s);
  if (filter) wire::subscribe(out_, next_packet_id(), *filter, qos);
  host_ = ep.address.address().to_string() + ":" + std::to_string(ep.address.port());
  tcp_.async_connect(ep.address, [this, ws = ep.websocket](boost::system::error_code ec) {
    if (ec) return fail("connect: " + ec.message());
    tcp_.set_option(tcp::no_delay(true), ec);
    if (!ws) {
      in_.resize(small_read);
      read();
      return flush();
    }
    websocket_ = upgrading_ = true;
    raw_.resize(small_read);
    in_.resize(small_read);
    upgrade();
    read();
  });
}

void load_client::upgrade() {
  const std::string request = "GET /mqtt HTTP/1.1\r\nHost: " + host_ +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
                              std::string(ws_key) +
                              "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
  writing_.assign(request.begin(), request.end());
  write_busy_ = true;
  net::async_write(tcp_, net::buffer(writing_), [this](boost::system::error_code ec, std::size_t) {
    write_busy_ = false;
    writing_.clear();
    if (closed_) return;
    if (ec) return fail("write: " + ec.message());
    flush();  // CONNECT waits for the 101
  });
}

void load_client::flush() {
  if (write_busy_ || out_.empty() || closed_ || upgrading_) return;
  write_busy_ = true;
  std::swap(out_, writing_);
  auto done = [this](boost::system::error_code ec, std::size_t) {
    write_busy_ = false;
    writing_.clear();
    if (closed_) return;
    if (ec) return fail("write: " + ec.message());
    if (!out_.empty()) return flush();
    if (closing_) close();
  };
  if (!websocket_) return net::async_write(tcp_, net::buffer(writing_), done);
  frame_head_size_ = frame(writing_, frame_head_);  // one frame holding everything queued
  const std::array<net::const_buffer, 2> parts{net::buffer(frame_head_.data(), frame_head_size_), net::buffer(writing_)};
  net::async_write(tcp_, parts, done);
}

std::size_t load_client::frame(wire::bytes& payload, frame_header& head) {
  // RFC 6455 §5.2, §5.3
  const std::uint64_t n = payload.size();
  std::size_t h = 0;
  head[h++] = 0x82;  // FIN, binary
  if (n < 126) {
    head[h++] = static_cast<std::uint8_t>(0x80 | n);
  } else if (n < 65536) {
    head[h++] = 0x80 | 126;
    for (int shift = 8; shift >= 0; shift -= 8) head[h++] = static_cast<std::uint8_t>(n >> shift);
  } else {
    head[h++] = 0x80 | 127;
    for (int shift = 56; shift >= 0; shift -= 8) head[h++] = static_cast<std::uint8_t>(n >> shift);
  }
  mask_state_ ^= mask_state_ << 13;  // xorshift64: a fresh key per frame
  mask_state_ ^= mask_state_ >> 7;
  mask_state_ ^= mask_state_ << 17;
  const auto key = static_cast<std::uint32_t>(mask_state_);
  std::memcpy(head.data() + h, &key, 4);
  h += 4;
  mask(payload, key);
  return h;
}

void load_client::read() {
  auto& buf = websocket_ ? raw_ : in_;
  const std::size_t used = websocket_ ? raw_used_ : in_used_;
  if (used == buf.size()) buf.resize(buf.size() < large_read ? large_read : buf.size() * 2);
  const std::size_t room = buf.size() - used;
  auto done = [this, room](boost::system::error_code ec, std::size_t n) {
    if (closed_) return;
    if (ec) return fail(closing_ ? std::string() : "read: " + ec.message());
    received(n);
    if (closed_) return;
    auto& b = websocket_ ? raw_ : in_;
    if (n == room && b.size() < large_read) b.resize(large_read);  // a busy reader reads more at once
    read();
  };
  tcp_.async_read_some(net::buffer(buf.data() + used, room), done);
}

void load_client::received(std::size_t n) {
  if (!websocket_) {
    in_used_ += n;
    return handle();
  }
  raw_used_ += n;
  if (upgrading_) {
    const std::string_view text(reinterpret_cast<const char*>(raw_.data()), raw_used_);
    const auto end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (raw_used_ >= 16384) fail("WebSocket upgrade: no end to the response's header");
      return;
    }
    const auto head = text.substr(0, end);
    if (!head.starts_with("HTTP/1.1 101") || head.find(ws_accept) == std::string_view::npos)
      return fail("WebSocket upgrade refused: " + std::string(head.substr(0, head.find("\r\n"))));
    upgraded(end + 4);
  }
  if (unframe()) handle();
}

void load_client::upgraded(std::size_t header_end) {
  upgrading_ = false;
  std::memmove(raw_.data(), raw_.data() + header_end, raw_used_ - header_end);
  raw_used_ -= header_end;
  flush();  // CONNECT (and SUBSCRIBE)
}

bool load_client::unframe() {
  std::size_t at = 0;
  for (;;) {
    const std::size_t left = raw_used_ - at;
    if (left < 2) break;
    const std::uint8_t* f = raw_.data() + at;
    if ((f[1] & 0x80) != 0) {
      fail("a masked frame from the broker (RFC 6455 §5.1)");
      return false;
    }
    std::uint64_t length = f[1] & 0x7f;
    std::size_t head = 2;
    if (length == 126 || length == 127) {
      const std::size_t bytes = length == 126 ? 2 : 8;
      if (left < 2 + bytes) break;
      length = 0;
      for (std::size_t i = 0; i < bytes; ++i) length = (length << 8) | f[2 + i];
      head += bytes;
    }
    if (length > max_frame) {
      fail("a WebSocket frame of " + std::to_string(length) + " bytes");
      return false;
    }
    if (left < head + length) break;
    switch (f[0] & 0x0f) {
      case 0x0:  // continuation
      case 0x2:  // binary: MQTT over WebSocket is a byte stream, frame boundaries mean nothing
        if (in_.size() < in_used_ + length) in_.resize(std::max<std::size_t>(in_used_ + length, in_.size() * 2));
        std::memcpy(in_.data() + in_used_, f + head, length);
        in_used_ += length;
        break;
      case 0x8:
        fail("WebSocket close frame from the broker");
        return false;
      default:  // text, ping, pong: no broker under test sends them to an MQTT client
        fail("unexpected WebSocket opcode " + std::to_string(f[0] & 0x0f));
        return false;
    }
    at += head + length;
  }
  if (at > 0) {
    std::memmove(raw_.data(), raw_.data() + at, raw_used_ - at);
    raw_used_ -= at;
  }
  return true;
}

void load_client::handle() {
  std::span<const std::uint8_t> rest(in_.data(), in_used_);
  bool malformed = false;
  while (auto p = wire::next_packet(rest, malformed)) {
    rest = rest.subspan(p->total);
    const auto body = p->body;
    switch (p->type()) {
      case wire::connack_type:
        if (body.size() < 2 || body[1] != 0) return fail("CONNACK refused: " + std::to_string(body.size() < 2 ? -1 : body[1]));
        if (!subscriber_) {
          ready_ = true;
          owner_.on_ready(*this);
        }
        break;
      case wire::suback_type:
        if (body.size() < 3 || body[2] == 0x80) return fail("SUBACK refused");
        ready_ = true;
        owner_.on_ready(*this);
        break;
      case wire::publish_type: {
        const int qos = (p->first >> 1) & 3;
        if (body.size() < 2) return fail("short PUBLISH");
        std::size_t at = 2 + wire::get_u16(body, 0);
        if (qos > 0) {
          if (body.size() < at + 2) return fail("short PUBLISH");
          wire::puback(acks_to_ ? acks_ : out_, wire::get_u16(body, at));
          at += 2;
        }
        if (body.size() < at) return fail("short PUBLISH");
        owner_.on_message(*this, body.subspan(at));
        break;
      }
      case wire::puback_type:
        owner_.on_puback(*this);
        break;
      case wire::disconnect_type:
        return fail("DISCONNECT from the broker");
      default:
        break;
    }
    if (closed_) return;
  }
  if (malformed) return fail("malformed remaining length");
  // Keep the incomplete tail at the front.
  const std::size_t consumed = in_used_ - rest.size();
  if (consumed > 0 && !rest.empty()) std::memmove(in_.data(), rest.data(), rest.size());
  in_used_ = rest.size();
  if (!acks_.empty()) {  // the PUBACKs of this read, in one write by the ack sender
    wire::bytes out;
    if (websocket_) {
      frame_header head;
      const std::size_t head_size = frame(acks_, head);
      out.assign(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(head_size));
      out.insert(out.end(), acks_.begin(), acks_.end());
      acks_.clear();
    } else {
      out.swap(acks_);
    }
    acks_to_->submit(tcp_.native_handle(), std::move(out));
  }
  flush();  // the PUBACKs of this read (without an ack sender), in one write
  owner_.on_read_done(*this);
}

void load_client::disconnect() {
  if (closed_) return;
  if (acks_to_) acks_to_->drain();  // the DISCONNECT after the last PUBACK, not inside one
  closing_ = true;
  wire::disconnect(out_);
  flush();
}

void load_client::close() {
  if (closed_) return;
  if (acks_to_) acks_to_->drain();  // nothing more is sent on the descriptor once it is closed
  closed_ = true;
  boost::system::error_code ec;
  tcp_.shutdown(tcp::socket::shutdown_both, ec);
  tcp_.close(ec);
}

void load_client::fail(const std::string& why) {
  if (closed_) return;
  const bool expected = closing_;
  close();
  if (!expected) owner_.on_failed(*this, why);
}

}  // namespace lambkin::bench
