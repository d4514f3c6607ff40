#pragma once
// Time vocabulary shared by every core and shell.
//
// Cores never read a clock: every input takes `now` (a `lambkin::time_point`). Only the shells
// (emulator/io) call `lambkin::clock::now()`; the simulator feeds virtual time; tests use
// `lambkin::fake_clock` (fake_clock.hpp). The build checks that no core source reads a clock.
#include <chrono>
#include <cstdint>

namespace lambkin {

/// The monotonic clock the emulator runs on. Deadlines, timers, durations and ages use it.
using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using duration = clock::duration;

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

/// Milliseconds as a double, for reports (`Duration: 201.67 ms`).
constexpr double to_ms(duration d) noexcept {
  return std::chrono::duration<double, std::milli>(d).count();
}

/// Wall-clock time in Unix epoch milliseconds (`Lambda-Runtime-Deadline-Ms`, record timestamps).
/// Cores receive it as a value like `now`; they never compute it.
using epoch_ms = std::int64_t;

}  // namespace lambkin
