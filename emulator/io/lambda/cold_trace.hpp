#pragma once
// LAMBKIN_TRACE=1 in lambkin's environment: one line on stderr per step of the cold-start path
// (invoke received, environment started, Runtime API listener, INIT_START, TMPDIR, launch, first
// GET /next, dispatch…), `lambkin-trace <steady-clock µs> <step> <environment id>`, so that a
// cold start's time can be taken apart (bench/README.md, "Cold start"). Off by default; when off
// each call is one load of a cached flag.
//
// Thread safety: any thread; each line is one write(2).
#include <cstdint>
#include <string_view>

namespace lambkin::io::lambda {

/// Whether LAMBKIN_TRACE was set (to anything but "" or "0") when first asked.
bool cold_trace_enabled() noexcept;

/// Writes the trace line for `step` when tracing is on.
void cold_trace(std::string_view step, std::uint64_t env = 0) noexcept;

}  // namespace lambkin::io::lambda
