#include "emulator/io/mqtt/mqtt_connection.hpp"

#include "emulator/core/mqtt/encoder.hpp"

#include <algorithm>
#include <utility>

#include <arpa/inet.h>
#include <sys/socket.h>

namespace lambkin::io::mqtt {

write_limits connection::adjusted(write_limits limits, std::uint32_t max_packet_size) noexcept {
  limits.low_water = std::min(limits.low_water, limits.high_water);
  limits.hard_limit = std::max(limits.hard_limit, limits.high_water + 2 * std::size_t{max_packet_size});
  return limits;
}

connection::connection(core::connection_id id, std::string remote_ip, std::uint32_t max_packet_size,
                       const write_limits& limits)
    : id_(id), decoder_(core::decoder_options{max_packet_size, std::nullopt}), limits_(limits) {
  if (::inet_pton(AF_INET, remote_ip.c_str(), address_.data()) == 1)
    address_family_ = 4;
  else if (::inet_pton(AF_INET6, remote_ip.c_str(), address_.data()) == 1)
    address_family_ = 6;
}

std::string connection::remote_ip() const {
  if (address_family_ == 0) return {};
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (::inet_ntop(address_family_ == 4 ? AF_INET : AF_INET6, address_.data(), text.data(),
                  static_cast<socklen_t>(text.size())) == nullptr)
    return {};
  return text.data();
}

connection::push_result connection::push(const core::packet& p, core::protocol_version v, std::uint64_t failures) {
  if (close_requested_ || dead_) return push_result::dropped;
  // Checked before encoding: a packet that would pass the hard limit is never buffered.
  const std::size_t size = core::encoded_size(p, v);
  if (size == 0) return push_result::dropped;
  if (queued_bytes() + size > limits_.hard_limit) return push_result::overflow;
  if (!q_) q_ = std::make_unique<write_queue>();
  auto& pending = q_->pending;
  const std::size_t before = pending.size();
  if (core::encode(p, v, pending)) {
    pending.resize(before);
    return push_result::dropped;
  }
  if (const auto* a = std::get_if<core::puback>(&p); a && a->reason == core::reason_code::success)
    q_->pending_acks.push_back(ack_mark{before, pending.size() - before, a->packet_id, false, v, failures});
  else if (const auto* r = std::get_if<core::pubrec>(&p); r && r->reason == core::reason_code::success)
    q_->pending_acks.push_back(ack_mark{before, pending.size() - before, r->packet_id, true, v, failures});
  if (!blocked_ && queued_bytes() >= limits_.high_water) {
    blocked_ = true;
    return push_result::became_blocked;
  }
  return push_result::queued;
}

std::vector<std::uint8_t>& connection::take_pending() {
  std::swap(q_->pending, q_->in_flight);
  std::swap(q_->pending_acks, q_->in_flight_acks);
  return q_->in_flight;
}

connection::refusal connection::refuse_acknowledgements(std::uint64_t failures,
                                                        std::vector<std::uint16_t>& refused_pubrecs) {
  if (!q_) return refusal::none;
  auto& in_flight = q_->in_flight;
  auto& acks = q_->in_flight_acks;
  const auto stale = [failures](const ack_mark& a) { return a.failures < failures; };
  if (std::none_of(acks.begin(), acks.end(), stale)) return refusal::none;
  for (const auto& a : acks)
    if (stale(a) && a.version != core::protocol_version::v5) return refusal::must_close;
  std::vector<std::uint8_t> rebuilt;
  rebuilt.reserve(in_flight.size() + acks.size());
  std::size_t from = 0;
  for (const auto& a : acks) {
    if (!stale(a)) continue;
    rebuilt.insert(rebuilt.end(), in_flight.begin() + static_cast<std::ptrdiff_t>(from),
                   in_flight.begin() + static_cast<std::ptrdiff_t>(a.offset));
    // MQTT 5 §3.4.2.1: 0x80 "The receiver does not accept the publish but either does not want
    // to reveal the reason, or it does not match one of the other values" — a storage failure is
    // the server's, not a quota the client exceeded (0x97 would tell it to slow down).
    if (a.pubrec) {
      (void)core::encode(core::pubrec{a.packet_id, core::reason_code::unspecified_error, {}}, a.version, rebuilt);
      refused_pubrecs.push_back(a.packet_id);
    } else {
      (void)core::encode(core::puback{a.packet_id, core::reason_code::unspecified_error, {}}, a.version, rebuilt);
    }
    from = a.offset + a.size;
  }
  rebuilt.insert(rebuilt.end(), in_flight.begin() + static_cast<std::ptrdiff_t>(from), in_flight.end());
  in_flight = std::move(rebuilt);
  acks.clear();
  return refusal::refused;
}

bool connection::written() {
  if (q_) {
    if (q_->pending.empty()) {
      q_.reset();  // all written: an idle connection keeps no buffers
    } else {
      q_->in_flight.clear();
      q_->in_flight_acks.clear();
    }
  }
  if (blocked_ && queued_bytes() <= limits_.low_water) {
    blocked_ = false;
    return true;
  }
  return false;
}

void connection::request_close() { close_requested_ = true; }

void connection::mark_dead() {
  dead_ = true;
  if (linger_) linger_->cancel();
}

}  // namespace lambkin::io::mqtt
