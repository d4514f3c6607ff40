#pragma once
// The function table of AWS IoT SQL: name, arity, the SQL version that introduced it, and the
// implementation. The parser checks calls against it; the evaluator calls `impl` with evaluated
// arguments. Functions that call other AWS services are listed (so the parser can name them) but
// have no implementation.
#include "emulator/core/rules/sql.hpp"
#include "emulator/core/rules/value.hpp"

#include <span>
#include <string_view>

namespace lambkin::rules::detail {

/// What a function sees besides its arguments.
struct call_context {
  const message_context& msg;
  sql_version version;
};

using function_impl = value (*)(std::span<const value> args, const call_context& ctx);

struct function_def {
  std::string_view name;  // lower case
  int min_args = 0;
  int max_args = 0;  // -1: any number
  bool since_2016 = false;
  bool external = false;  // calls another AWS service: not emulated
  bool raw_star = false;  // a `*` argument is the raw payload bytes (encode)
  function_impl impl = nullptr;
};

/// Case-insensitive lookup; nullptr for an unknown name.
const function_def* find_function(std::string_view name);


/// Thrown by an implementation for an evaluation error (not Undefined: e.g. newuuid() without a
/// UUID source); evaluate() turns it into `evaluation::outcome::error`.
struct evaluation_failure {
  std::string message;
};

}  // namespace lambkin::rules::detail
