#pragma once
// Internal to the decoder: a cursor over one packet body that reads MQTT's data types. The first
// failure is kept (later reads return zero values and do nothing), so a decoder reads a group of
// fields and checks `ok()` once.
#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/properties.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lambkin::mqtt {

class packet_reader {
 public:
  explicit packet_reader(std::span<const std::uint8_t> body) noexcept : data_(body) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  /// Variable Byte Integer: at most 4 bytes, minimally encoded.
  std::uint32_t varint();
  /// Binary Data: 2-byte length + bytes.
  std::string binary();
  /// UTF-8 Encoded String, validated (utf8.hpp); `what` names the field in the error.
  std::string utf8(std::string_view what);
  /// Everything left (a PUBLISH payload).
  std::string_view rest() noexcept;

  /// Property Length + properties, checked against `ctx` (see decoder.hpp for the rules).
  void read_properties(properties& out, property_context ctx);

  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  bool at_end() const noexcept { return pos_ == data_.size(); }

  bool ok() const noexcept { return !error_; }
  /// Records the first failure only.
  void fail(errc code, std::string reason);
  const std::optional<decode_error>& error() const noexcept { return error_; }
  /// Fails with malformed_packet unless the whole body was read.
  void expect_end(std::string_view packet_name);

 private:
  bool take(std::size_t n, std::string_view what);
  void read_property(properties& out, property_context ctx, std::uint64_t& seen);

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::optional<decode_error> error_;
};

}  // namespace lambkin::mqtt
