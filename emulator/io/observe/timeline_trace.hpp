#pragma once
// A live run's lifecycle timeline (the JSON of `GET /_lambkin/timeline`) as a `sim::trace`, so
// `lambkin timeline --svg` draws a real run with the very renderer `lambkin simulate --svg` uses
// (one renderer, two sources).
//
// Mapping (events in sequence order; time zero is the first event):
//   received → a request (arrival)          throttled → a throttle of that request
//   created  → a lane (its init opens)      init_start → a re-init when none is open
//   init_end → the init closes (success → ok, timeout, else failed)
//   invoke_start / invoke_end → an attempt of the request on the lane (timeout, function_error,
//              Runtime.* → crashed)
//   reaped / stopped / killed → the lane stops with the pool's reason
//   event_done to dlq or on-failure → the request is dropped
// Environments and requests that began before the window get their lane / request at the first
// event that names them. Lanes still open end at the answer's `now_us`.
#include "emulator/sim/trace.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lambkin::io::observe {

struct timeline_trace {
  sim::trace trace;
  std::size_t events = 0;
  /// The functions the events belong to, in order of first appearance.
  std::vector<std::string> functions;
};

/// nullopt with `error` set when `json` is not a timeline answer.
std::optional<timeline_trace> trace_from_timeline(std::string_view json, std::string& error);

}  // namespace lambkin::io::observe
