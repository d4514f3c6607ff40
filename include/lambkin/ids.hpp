#pragma once
// Strong ids: a function name cannot be passed where an environment id is expected.
#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <utility>

namespace lambkin {

/// A value of type `T` tagged with `Tag`. Comparable, hashable and printable; nothing else.
template <class Tag, class T>
class strong_id {
 public:
  using value_type = T;
  strong_id() = default;
  constexpr explicit strong_id(T v) : value_(std::move(v)) {}

  constexpr const T& value() const noexcept { return value_; }
  auto operator<=>(const strong_id&) const = default;
  bool operator==(const strong_id&) const = default;

  friend std::ostream& operator<<(std::ostream& os, const strong_id& id) { return os << id.value_; }

 private:
  T value_{};
};

/// Logical name of a function (the template's resource name, e.g. `StoreTemperature`).
using function_name = strong_id<struct function_name_tag, std::string>;
/// One execution environment of a function; unique within the emulator's lifetime.
using environment_id = strong_id<struct environment_id_tag, std::uint64_t>;
/// The AWS request id of one invocation (a UUID string).
using request_id = strong_id<struct request_id_tag, std::string>;
/// A timer armed by a core; the shell reports it back with `on_timer(id, now)`.
using timer_id = strong_id<struct timer_id_tag, std::uint64_t>;
/// An MQTT client identifier.
using client_id = strong_id<struct client_id_tag, std::string>;

}  // namespace lambkin

template <class Tag, class T>
struct std::hash<lambkin::strong_id<Tag, T>> {
  std::size_t operator()(const lambkin::strong_id<Tag, T>& id) const noexcept {
    return std::hash<T>{}(id.value());
  }
};
