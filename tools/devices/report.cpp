#include "tools/devices/report.hpp"

#include <cstdio>

namespace lambkin::devices {
namespace {

template <class... A>
std::string format(const char* fmt, A... a) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf, fmt, a...);
  return std::string(buf, static_cast<std::size_t>(n < 0 ? 0 : n));
}

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

double rate_of(std::uint64_t n, double seconds) { return seconds > 0 ? static_cast<double>(n) / seconds : 0.0; }

}  // namespace

std::string progress_line(const fleet_counts& c, std::uint64_t scheduled, double elapsed_s) {
  return format("sent %llu/%llu  acked %llu  failed %llu  %.1f/s  %.1f s", ull(c.sent), ull(scheduled),
                ull(c.acknowledged), ull(c.failed), rate_of(c.sent, elapsed_s), elapsed_s);
}

std::string summary_text(const run_summary& s) {
  const auto& o = s.options;
  const auto& c = s.counts;
  std::string out = format("devices       %d (%s:%d, QoS %d, topics %s/<id>/temperature)\n", o.devices, o.host.c_str(),
                           o.port, o.qos, o.topic_prefix.c_str());
  out += format("sent          %llu of %llu scheduled (%.1f/s asked)\n", ull(c.sent), ull(s.scheduled), o.rate);
  if (o.qos == 1)
    out += format("acknowledged  %llu\n", ull(c.acknowledged));
  else
    out += "acknowledged  - (QoS 0 has no PUBACK)\n";
  out += format("failed        %llu%s\n", ull(c.failed),
                c.disconnected ? format(" (%llu devices lost their connection)", ull(c.disconnected)).c_str() : "");
  out += format("above %.1f °C  %llu readings\n", o.alert_threshold, ull(c.above_threshold));
  out += format("elapsed       %.3f s\n", s.elapsed_s);
  out += format("achieved      %.1f readings/s\n", rate_of(c.sent, s.elapsed_s));
  return out;
}

std::string summary_json(const run_summary& s) {
  const auto& o = s.options;
  const auto& c = s.counts;
  return format(
      R"({"devices":%d,"qos":%d,"rate":%.3f,"duration":%.3f,"scheduled":%llu,"sent":%llu,"acknowledged":%llu,)"
      R"("failed":%llu,"disconnected":%llu,"above_threshold":%llu,"alert_threshold":%.3f,"elapsed_s":%.3f,)"
      R"("achieved_rate":%.1f})",
      o.devices, o.qos, o.rate, o.duration, ull(s.scheduled), ull(c.sent), ull(c.acknowledged), ull(c.failed),
      ull(c.disconnected), ull(c.above_threshold), o.alert_threshold, s.elapsed_s, rate_of(c.sent, s.elapsed_s));
}

}  // namespace lambkin::devices
