#pragma once
// Errors as values for the simulator's parsers: `result<T>` holds either a T or a `config_error`.
//
// A `config_error` names where a scenario went wrong the way compilers do:
//   `simultaneous.yaml:4:11: arrivals.rate: must be a positive number`
// Lines and columns are 1-based. Parsers of single strings (`parse_duration("1.5s")`) return an
// error with only `message` set; the YAML reader fills in file, position and field path.
#include "emulator/core/result.hpp"
#include "lambkin/error.hpp"

#include <string>
#include <system_error>
#include <utility>

namespace lambkin::sim {

struct config_error {
  std::string file{};  ///< the scenario file as the user named it; empty for flags and strings
  int line = 0;        ///< 1-based; 0 when unknown
  int column = 0;      ///< 1-based; 0 when unknown
  std::string field{}; ///< dotted path such as `arrivals[1].rate`, or a flag name; may be empty
  std::string message{};  ///< what is wrong, in lower case, without a trailing period

  /// `FILE:LINE:COL: field: message`; parts that are unknown are left out with their colon.
  std::string to_string() const {
    std::string out;
    if (!file.empty()) {
      out += file;
      if (line > 0) out += ':' + std::to_string(line) + ':' + std::to_string(column);
      out += ": ";
    }
    if (!field.empty()) out += field + ": ";
    return out + message;
  }

  /// Always `errc::config_invalid`, for callers that map errors to exit codes.
  std::error_code code() const noexcept { return make_error_code(errc::config_invalid); }
};

/// A T or the `config_error` that prevented it.
template <class T>
using result = lambkin::result<T, config_error>;

/// Shorthand for an error that only carries a message (string parsers).
inline config_error message_error(std::string message) {
  config_error e;
  e.message = std::move(message);
  return e;
}

}  // namespace lambkin::sim
