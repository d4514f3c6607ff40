#pragma once
// A terminal timeline of a simulated run: one row per environment, time left to right.
//
//   arrivals   6
//   env 1      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII1111111111111111
//   env 2      IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII2222222222222222
//   …
//   throttled       1
//              +-------------+-------------+-------------+---------
//              0             100ms         200ms         300ms
//   I init  1-9 request  . idle  x stopped  | arrivals, throttled: count per column (+ = 10 or more)
//
// Cells: each of the `width` columns covers span/width of the window (time_axis.hpp). A cell shows
// what happened in it, by priority: invoke > init > idle (environment alive) > blank. Invokes show
// the request number (1-based) when the run has at most 9 requests, else `=`. A failed or timed-out
// init shows `F`. `x` marks the column after an environment stopped (reaped, retired, crashed …);
// lanes still alive at the window's end run off the edge. The `arrivals` row counts arrivals per
// column and `throttled` (only present when something was throttled) counts throttles.
// Provisioned environments are labelled `env N (pc)`. Beyond `max_lanes` environments one line says
// how many are not shown.
#include "emulator/sim/trace.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace lambkin::sim {

struct ascii_options {
  int width = 72;                     ///< columns for the time area (at least 10)
  std::size_t max_lanes = 40;
  std::optional<duration> until{};    ///< window end (offset from origin); default: last activity
  bool legend = true;
};

/// The timeline as text, every line ending in '\n' and without trailing spaces.
std::string render_ascii_timeline(const trace& t, const ascii_options& options = {});

}  // namespace lambkin::sim
