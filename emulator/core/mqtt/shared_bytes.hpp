#pragma once
// An immutable, reference-counted byte string: a PUBLISH payload decoded once and shared by every
// subscriber it is routed to (fan-out copies a pointer, never the bytes).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace lambkin::mqtt {

/// Immutable bytes shared between copies. Equality compares contents.
///
/// Thread safety: copies may be used from different threads (the bytes never change); one object
/// is not synchronised.
class shared_bytes {
 public:
  shared_bytes() = default;
  // Implicit on purpose: `publish{.payload = "21.5"}` reads like the wire.
  shared_bytes(std::string bytes)  // NOLINT(google-explicit-constructor)
      : data_(bytes.empty() ? nullptr : std::make_shared<const std::string>(std::move(bytes))) {}
  shared_bytes(std::string_view bytes) : shared_bytes(std::string(bytes)) {}  // NOLINT
  shared_bytes(const char* bytes) : shared_bytes(std::string(bytes)) {}      // NOLINT

  std::string_view view() const noexcept { return data_ ? std::string_view(*data_) : std::string_view(); }
  std::size_t size() const noexcept { return data_ ? data_->size() : 0; }
  bool empty() const noexcept { return size() == 0; }

  friend bool operator==(const shared_bytes& a, const shared_bytes& b) noexcept {
    return a.view() == b.view();
  }

 private:
  std::shared_ptr<const std::string> data_;
};

}  // namespace lambkin::mqtt
