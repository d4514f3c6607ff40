#pragma once
// What lambkin-devices prints: the progress line while it runs and the summary at the end, as
// text for people or as one JSON line for scripts (`--json`).
#include "tools/devices/device_fleet.hpp"

#include <cstdint>
#include <string>

namespace lambkin::devices {

struct run_summary {
  const fleet_options& options;
  fleet_counts counts;
  std::uint64_t scheduled = 0;  // rate × duration
  double elapsed_s = 0;         // first reading due → last one acknowledged (or given up on)
};

/// `sent 1200/3000  acked 1180  failed 0  1000.2/s  1.2 s` (no newline; the caller adds `\r`).
std::string progress_line(const fleet_counts& c, std::uint64_t scheduled, double elapsed_s);

/// Several lines: devices, QoS, sent, acknowledged, failed, elapsed, achieved rate.
std::string summary_text(const run_summary& s);

/// One line: {"devices":…,"qos":…,"rate":…,"duration":…,"scheduled":…,"sent":…,"acknowledged":…,
/// "failed":…,"disconnected":…,"above_threshold":…,"alert_threshold":…,"elapsed_s":…,"achieved_rate":…}.
/// `acknowledged` counts PUBACKs, so it is 0 at QoS 0; `achieved_rate` is sent / elapsed_s.
std::string summary_json(const run_summary& s);

}  // namespace lambkin::devices
