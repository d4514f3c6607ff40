#include "emulator/io/observe/console_status.hpp"

#include "emulator/io/http/aws_endpoint.hpp"

#include <cstdio>

namespace lambkin::io::observe {

status_totals collect_totals(const http::endpoint_services& services) {
  status_totals t;
  if (services.mqtt) {
    t.clients = services.mqtt->connection_count();
    t.messages = services.mqtt->traffic().messages_in;
  }
  if (services.lambda)
    for (const auto& [name, host] : services.lambda->functions()) {
      const auto& p = host->pool();
      t.invocations += p.counters().invocations;
      t.cold_starts += p.counters().cold_starts;
      t.busy += p.in_flight();
      t.queued += p.queued();
    }
  return t;
}

std::string console_status::line(const status_totals& t, time_point now) {
  double msg_rate = 0, inv_rate = 0;
  if (!first_ && now > last_at_) {
    const double secs = std::chrono::duration<double>(now - last_at_).count();
    msg_rate = static_cast<double>(t.messages - last_.messages) / secs;
    inv_rate = static_cast<double>(t.invocations - last_.invocations) / secs;
  }
  first_ = false;
  last_ = t;
  last_at_ = now;
  char buf[200];
  std::snprintf(buf, sizeof buf, "lambkin · %llu clients · %.1f msg/s · %.1f inv/s · %llu cold starts · %llu busy · %llu queued",
                static_cast<unsigned long long>(t.clients), msg_rate, inv_rate,
                static_cast<unsigned long long>(t.cold_starts), static_cast<unsigned long long>(t.busy),
                static_cast<unsigned long long>(t.queued));
  return buf;
}

}  // namespace lambkin::io::observe
