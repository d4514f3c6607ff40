#pragma once
// A WebSocket connection's framing state on the server's poller path (issue 5): the incoming frame
// decoder (core/mqtt/ws_frame.hpp), the control frames (pongs) waiting for the writer, and the
// close code to end with. Held by the connection's transport (mqtt_server_ws.cpp), so a plain TCP
// connection pays nothing for it.
#include "emulator/core/mqtt/ws_frame.hpp"

#include <cstdint>
#include <vector>

namespace lambkin::io::mqtt {

struct ws_state {
  lambkin::mqtt::ws_frame_decoder decoder;
  /// Whole control frames (pongs) for the writer to send between two data frames.
  std::vector<std::uint8_t> control;
  /// The close frame the writer ends with: 0 = 1000 (normal); `ws_close::no_status` = without a code.
  std::uint16_t close_code = 0;
};

}  // namespace lambkin::io::mqtt
