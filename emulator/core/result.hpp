#pragma once
// A value or an expected error: errors as values for the pure cores and the simulator (C++20 has
// no std::expected). Each user names its error type once, e.g. the DynamoDB core's
// `template <class T> using result = lambkin::result<T, dynamo_error>;`.
#include <utility>
#include <variant>

namespace lambkin {

template <class T, class E>
class result {
 public:
  // Implicit on purpose, so a function can `return value;` or `return error;`.
  result(T v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT(google-explicit-constructor)
  result(E e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT(google-explicit-constructor)

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

}  // namespace lambkin
