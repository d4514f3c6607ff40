#pragma once
// DynamoDB's expected errors as values: an errc (its `__type`) and DynamoDB's own message, and a
// small `result<T>` that holds either a value or such an error.
#include "lambkin/error.hpp"

#include <string>
#include <utility>
#include <variant>

namespace lambkin::dynamo {

struct dynamo_error {
  errc code = errc::validation;
  std::string message;
};

/// A `ValidationException` with DynamoDB's message.
inline dynamo_error validation_error(std::string message) { return {errc::validation, std::move(message)}; }

template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT: implicit like std::expected
  result(dynamo_error e) : v_(std::move(e)) {}      // NOLINT
  explicit operator bool() const noexcept { return v_.index() == 0; }
  bool has_value() const noexcept { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const dynamo_error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, dynamo::dynamo_error> v_;
};

}  // namespace lambkin::dynamo
