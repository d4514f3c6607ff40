#pragma once
// Latency summaries and the table rows the Lambda benchmarks print: every subject row carries a
// ratio to the floor measured in the same run, as DESIGN.md asks.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace lambkin::bench {

using wall = std::chrono::steady_clock;  // benchmarks measure real time

/// Microseconds between two wall readings.
double micros_between(wall::time_point from, wall::time_point to);

/// p50 / p99 / mean of a set of samples (microseconds or milliseconds: the unit is the caller's).
struct latency_summary {
  std::size_t count = 0;
  double p50 = 0, p99 = 0, mean = 0, min = 0, max = 0;
};

/// Sorts a copy; percentiles are nearest-rank (p99 of 100 samples is the 99th smallest).
latency_summary summarize(std::vector<double> samples);

/// The header and rows of a latency table; a row's ratios are to `floor` (printed as "-" when
/// `floor` is empty, for rows that are no subject of their own).
void print_latency_header(const char* unit);
void print_latency_row(const std::string& name, const latency_summary& s, const latency_summary& floor);

/// The machine's 1-minute load average from /proc/loadavg, to tell readers how busy the two
/// shared cores were while the numbers were taken.
std::string load_average();

}  // namespace lambkin::bench
