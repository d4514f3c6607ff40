#pragma once
// DynamoDB's expected errors as values: an errc (its `__type`) and DynamoDB's own message, and a
// small `result<T>` that holds either a value or such an error.
#include "emulator/core/result.hpp"
#include "lambkin/error.hpp"

#include <string>
#include <utility>

namespace lambkin::dynamo {

struct dynamo_error {
  errc code = errc::validation;
  std::string message;
};

/// A `ValidationException` with DynamoDB's message.
inline dynamo_error validation_error(std::string message) { return {errc::validation, std::move(message)}; }

/// A value or a DynamoDB error.
template <class T>
using result = lambkin::result<T, dynamo_error>;

}  // namespace lambkin::dynamo
