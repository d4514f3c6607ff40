#pragma once
// A value or an expected error (the rules core's `expected`: C++20 has no std::expected).
#include <utility>
#include <variant>

namespace lambkin::rules {

template <class T, class E>
class result {
 public:
  result(T v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT: implicit on purpose
  result(E e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT: implicit on purpose

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace lambkin::rules
