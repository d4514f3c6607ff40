#include "bench/mqtt_load_client.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream_base.hpp>

#include <cstring>

namespace lambkin::bench {

namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

namespace {
// A busy subscriber's read buffer grows to this; an idle client keeps the small one.
constexpr std::size_t small_read = 2048;
constexpr std::size_t large_read = 256 * 1024;
}  // namespace

load_client::load_client(net::io_context& ioc, client_events& owner, int index)
    : ioc_(ioc), owner_(owner), index_(index), tcp_(ioc) {}

tcp::socket& load_client::socket() { return ws_ ? ws_->next_layer() : tcp_; }

void load_client::start(const broker_endpoint& ep, std::string client_id, std::uint16_t keep_alive_s,
                        std::optional<std::string> filter, int qos) {
  subscriber_ = filter.has_value();
  wire::connect(out_, client_id, keep_alive_s);
  if (filter) wire::subscribe(out_, next_packet_id(), *filter, qos);
  host_ = ep.address.address().to_string() + ":" + std::to_string(ep.address.port());
  tcp_.async_connect(ep.address, [this, ws = ep.websocket](boost::system::error_code ec) {
    if (ec) return fail("connect: " + ec.message());
    tcp_.set_option(tcp::no_delay(true), ec);
    in_.resize(small_read);
    if (!ws) {
      read();
      return flush();
    }
    ws_.emplace(std::move(tcp_));
    ws_->binary(true);
    ws_->set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(boost::beast::http::field::sec_websocket_protocol, "mqtt");
    }));
    ws_->async_handshake(host_, "/mqtt", [this](boost::system::error_code hec) {
      if (hec) return fail("websocket handshake: " + hec.message());
      read();
      flush();
    });
  });
}

void load_client::flush() {
  if (write_busy_ || out_.empty() || closed_) return;
  if (!ws_ && !socket().is_open()) return;
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
  if (ws_)
    ws_->async_write(net::buffer(writing_), done);
  else
    net::async_write(tcp_, net::buffer(writing_), done);
}

void load_client::read() {
  if (in_used_ == in_.size()) in_.resize(in_.size() < large_read ? large_read : in_.size() * 2);
  const std::size_t room = in_.size() - in_used_;
  auto buf = net::buffer(in_.data() + in_used_, room);
  auto done = [this, room](boost::system::error_code ec, std::size_t n) {
    if (closed_) return;
    if (ec) return fail(closing_ ? std::string() : "read: " + ec.message());
    handle(n);
    if (n == room && in_.size() < large_read) in_.resize(large_read);  // a busy reader reads more at once
    if (!closed_) read();
  };
  if (ws_)
    ws_->async_read_some(buf, done);
  else
    tcp_.async_read_some(buf, done);
}

void load_client::handle(std::size_t n) {
  in_used_ += n;
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
          wire::puback(out_, wire::get_u16(body, at));
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
  flush();  // the PUBACKs of this read, in one write
  owner_.on_read_done(*this);
}

void load_client::disconnect() {
  if (closed_) return;
  closing_ = true;
  wire::disconnect(out_);
  flush();
}

void load_client::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket().shutdown(tcp::socket::shutdown_both, ec);
  socket().close(ec);
}

void load_client::fail(const std::string& why) {
  if (closed_) return;
  const bool expected = closing_;
  close();
  if (!expected) owner_.on_failed(*this, why);
}

}  // namespace lambkin::bench
