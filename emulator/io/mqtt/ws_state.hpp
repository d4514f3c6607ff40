#pragma once
// A WebSocket connection's framing state on the server's poller path (issue 5): the incoming frame
// decoder (core/mqtt/ws_frame.hpp), the control frames (pongs) waiting for the writer, and the
// close code to end with. Held by the connection's transport (mqtt_server_ws.cpp), so a plain TCP
// connection pays nothing for it.
#include "emulator/core/mqtt/ws_frame.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lambkin::io::mqtt {

struct ws_state {
  lambkin::mqtt::ws_frame_decoder decoder;
  /// Whole control frames (pongs) for the writer to send between two data frames.
  std::vector<std::uint8_t> control;
  /// The close frame the writer ends with: 0 = 1000 (normal); `ws_close::no_status` = without a code.
  std::uint16_t close_code = 0;
};

/// The header of a binary frame carrying `payload_size` bytes (server to client: unmasked).
class ws_frame_header {
 public:
  explicit ws_frame_header(std::size_t payload_size)
      : size_(lambkin::mqtt::ws_binary_header(payload_size, bytes_)) {}
  std::span<const std::uint8_t> bytes() const { return {bytes_.data(), size_}; }
  std::size_t size() const { return size_; }

 private:
  std::array<std::uint8_t, 10> bytes_{};
  std::size_t size_;
};

}  // namespace lambkin::io::mqtt
