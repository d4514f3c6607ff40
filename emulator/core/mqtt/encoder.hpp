#pragma once
// Packet → bytes, for MQTT 3.1.1 and 5.
#include "emulator/core/mqtt/packet.hpp"

#include <cstddef>
#include <cstdint>
#include <system_error>
#include <vector>

namespace lambkin::mqtt {

/// Largest Remaining Length the 4-byte Variable Byte Integer can carry.
inline constexpr std::uint32_t max_remaining_length = 268'435'455;

/// Appends `p` encoded for `version` to `out`.
///  - 3.1.1: properties, MQTT 5 reason codes and AUTH are not written; CONNACK and SUBACK carry
///    the 3.1.1 return codes for their reason codes (`connack_return_code_311`, …); CONNECT says
///    level 4 whatever `connect::version` holds.
///  - MQTT 5: PUBACK/PUBREC/PUBREL/PUBCOMP and DISCONNECT use the short forms the spec allows
///    (no reason code when it is Success and there are no properties).
///  - errc::packet_too_large when a string is over 65,535 bytes or the Remaining Length over
///    `max_remaining_length`; errc::protocol_error for AUTH toward a 3.1.1 peer. `out` is then
///    unchanged.
/// Thread safety: a pure function.
std::error_code encode(const packet& p, protocol_version version, std::vector<std::uint8_t>& out);

/// The number of bytes `encode` would append (0 if it would fail). Used to honour a peer's
/// Maximum Packet Size before sending.
std::size_t encoded_size(const packet& p, protocol_version version);

}  // namespace lambkin::mqtt
