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

connection::connection(net::any_io_executor executor, core::connection_id id, std::string remote_ip,
                       std::uint32_t max_packet_size, write_limits limits)
    : id_(id),
      remote_ip_(std::move(remote_ip)),
      decoder_(core::decoder_options{max_packet_size, std::nullopt}),
      limits_(limits),
      signal_(std::move(executor)) {
  limits_.low_water = std::min(limits_.low_water, limits_.high_water);
  limits_.hard_limit = std::max(limits_.hard_limit, limits_.high_water + 2 * std::size_t{max_packet_size});
}

connection::push_result connection::push(const core::packet& p, core::protocol_version v) {
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
  wake();
  if (!blocked_ && queued_bytes() >= limits_.high_water) {
    blocked_ = true;
    return push_result::became_blocked;
  }
  return push_result::queued;
}

std::vector<std::uint8_t>& connection::take_pending() {
  std::swap(pending_, in_flight_);
  return in_flight_;
}

bool connection::written() {
  trim(in_flight_);
  if (blocked_ && queued_bytes() <= limits_.low_water) {
    blocked_ = false;
    return true;
  }
  return false;
}

void connection::request_close() {
  close_requested_ = true;
  wake();
}

void connection::mark_dead() {
  dead_ = true;
  wake();
}

}  // namespace lambkin::io::mqtt
