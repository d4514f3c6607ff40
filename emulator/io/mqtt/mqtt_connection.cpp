#include "emulator/io/mqtt/mqtt_connection.hpp"

#include "emulator/core/mqtt/encoder.hpp"

#include <algorithm>
#include <utility>

namespace lambkin::io::mqtt {
namespace {
// Buffers grown by a burst are given back once drained, so an idle connection stays small.
constexpr std::size_t keep_capacity = 16 * 1024;

void trim(std::vector<std::uint8_t>& v) {
  v.clear();
  if (v.capacity() > keep_capacity) std::vector<std::uint8_t>().swap(v);
}
}  // namespace

connection::connection(core::connection_id id, std::string remote_ip, std::uint32_t max_packet_size,
                       write_limits limits)
    : id_(id),
      remote_ip_(std::move(remote_ip)),
      decoder_(core::decoder_options{max_packet_size, std::nullopt}),
      limits_(limits) {
  limits_.low_water = std::min(limits_.low_water, limits_.high_water);
  limits_.hard_limit = std::max(limits_.hard_limit, limits_.high_water + 2 * std::size_t{max_packet_size});
}

connection::push_result connection::push(const core::packet& p, core::protocol_version v, std::uint64_t failures) {
  if (close_requested_ || dead_) return push_result::dropped;
  const std::size_t before = pending_.size();
  // Checked before encoding: a packet that would pass the hard limit is never buffered.
  const std::size_t size = core::encoded_size(p, v);
  if (size == 0) return push_result::dropped;
  if (queued_bytes() + size > limits_.hard_limit) return push_result::overflow;
  if (core::encode(p, v, pending_)) {
    pending_.resize(before);
    return push_result::dropped;
  }
  if (const auto* a = std::get_if<core::puback>(&p); a && a->reason == core::reason_code::success)
    pending_acks_.push_back(ack_mark{before, pending_.size() - before, a->packet_id, false, v, failures});
  else if (const auto* r = std::get_if<core::pubrec>(&p); r && r->reason == core::reason_code::success)
    pending_acks_.push_back(ack_mark{before, pending_.size() - before, r->packet_id, true, v, failures});
  if (!blocked_ && queued_bytes() >= limits_.high_water) {
    blocked_ = true;
    return push_result::became_blocked;
  }
  return push_result::queued;
}

std::vector<std::uint8_t>& connection::take_pending() {
  std::swap(pending_, in_flight_);
  std::swap(pending_acks_, in_flight_acks_);
  return in_flight_;
}

connection::refusal connection::refuse_acknowledgements(std::uint64_t failures,
                                                        std::vector<std::uint16_t>& refused_pubrecs) {
  const auto stale = [failures](const ack_mark& a) { return a.failures < failures; };
  if (std::none_of(in_flight_acks_.begin(), in_flight_acks_.end(), stale)) return refusal::none;
  for (const auto& a : in_flight_acks_)
    if (stale(a) && a.version != core::protocol_version::v5) return refusal::must_close;
  std::vector<std::uint8_t> rebuilt;
  rebuilt.reserve(in_flight_.size() + in_flight_acks_.size());
  std::size_t from = 0;
  for (const auto& a : in_flight_acks_) {
    if (!stale(a)) continue;
    rebuilt.insert(rebuilt.end(), in_flight_.begin() + static_cast<std::ptrdiff_t>(from),
                   in_flight_.begin() + static_cast<std::ptrdiff_t>(a.offset));
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
  rebuilt.insert(rebuilt.end(), in_flight_.begin() + static_cast<std::ptrdiff_t>(from), in_flight_.end());
  in_flight_ = std::move(rebuilt);
  in_flight_acks_.clear();
  return refusal::refused;
}

bool connection::written() {
  in_flight_acks_.clear();
  trim(in_flight_);
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
