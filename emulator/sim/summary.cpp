#include "emulator/sim/summary.hpp"

#include "emulator/sim/duration_text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace lambkin::sim {
namespace {

double ms(duration d) { return to_ms(d); }

// One table drives keys, lookup and JSON, so they cannot drift apart.
struct field {
  std::string_view key;
  std::uint64_t summary::*count = nullptr;
  double summary::*real = nullptr;
};

constexpr std::array<field, 17> fields{{
    {"requests", &summary::requests},
    {"invocations", &summary::invocations},
    {"cold_starts", &summary::cold_starts},
    {"warm_starts", &summary::warm_starts},
    {"throttled", &summary::throttled},
    {"environments", &summary::environments},
    {"max_concurrency", &summary::max_concurrency},
    {"cold_start_rate", nullptr, &summary::cold_start_rate},
    {"latency_p50_ms", nullptr, &summary::latency_p50_ms},
    {"latency_p99_ms", nullptr, &summary::latency_p99_ms},
    {"latency_max_ms", nullptr, &summary::latency_max_ms},
    {"init_ms_total", nullptr, &summary::init_ms_total},
    {"handler_ms_total", nullptr, &summary::handler_ms_total},
    {"errors", &summary::errors},
    {"async_retries", &summary::async_retries},
    {"dlq", &summary::dlq},
    {"simulated_ms", nullptr, &summary::simulated_ms},
}};

constexpr std::array<std::string_view, fields.size()> keys = [] {
  std::array<std::string_view, fields.size()> out{};
  for (std::size_t i = 0; i < fields.size(); ++i) out[i] = fields[i].key;
  return out;
}();

// Peak of busy-or-initialising environments. The driver appends segments in time order, so the
// starts usually arrive sorted: sweep them in order, keeping the ends of the segments in flight
// in a min-heap (O(n log k), k = concurrency). An end equal to a start counts as over, so
// back-to-back segments (init then invoke) count once. Unsorted input is sorted first.
std::uint64_t max_concurrency(const trace& t) {
  std::vector<std::pair<time_point, time_point>> spans;  // only built when the input is unsorted
  const auto by_start = [](const auto& a, const auto& b) { return a.start < b.start; };
  const bool sorted = std::is_sorted(t.invokes().begin(), t.invokes().end(), by_start) &&
                      std::is_sorted(t.inits().begin(), t.inits().end(), by_start);
  const auto counts = [&](const init_segment& s) {
    return t.environments()[s.environment].type == init_type::on_demand;
  };
  const auto end_of = [&](time_point end) { return end == never ? t.end_time() : end; };
  if (!sorted) {
    spans.reserve(t.invokes().size() + t.inits().size());
    for (const auto& s : t.invokes()) spans.emplace_back(s.start, end_of(s.end));
    for (const auto& s : t.inits())
      if (counts(s)) spans.emplace_back(s.start, end_of(s.end));
    std::sort(spans.begin(), spans.end());
  }
  std::priority_queue<time_point, std::vector<time_point>, std::greater<>> in_flight;
  std::size_t peak = 0;
  const auto enter = [&](time_point start, time_point end) {
    while (!in_flight.empty() && in_flight.top() <= start) in_flight.pop();
    in_flight.push(end);
    peak = std::max(peak, in_flight.size());
  };
  if (!sorted) {
    for (const auto& [start, end] : spans) enter(start, end);
    return peak;
  }
  // Merge the two sorted sequences on the fly.
  auto inv = t.invokes().begin(), inv_end = t.invokes().end();
  auto ini = t.inits().begin(), ini_end = t.inits().end();
  while (inv != inv_end || ini != ini_end) {
    if (ini != ini_end && (inv == inv_end || ini->start <= inv->start)) {
      if (counts(*ini)) enter(ini->start, end_of(ini->end));
      ++ini;
    } else {
      enter(inv->start, end_of(inv->end));
      ++inv;
    }
  }
  return peak;
}

time_point end_or(time_point end, time_point fallback) { return end == never ? fallback : end; }

}  // namespace

std::int64_t percentile(std::span<std::int64_t> values, double p) {
  if (values.empty()) return 0;
  const auto n = values.size();
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  rank = std::clamp<std::size_t>(rank, 1, n);
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

summary summarize(const trace& t) {
  summary s;
  s.requests = t.requests().size();
  s.environments = t.environments().size();
  s.throttled = t.throttles().size();
  s.simulated_ms = ms(t.end_time() - t.origin());

  duration handler{};
  for (const auto& seg : t.invokes()) {
    handler += end_or(seg.end, t.end_time()) - seg.start;
    // An attempt cut off by the end of the simulation (`running`) still counts as an invocation.
    if (seg.outcome != invoke_outcome::success && seg.outcome != invoke_outcome::running) ++s.errors;
    if (seg.cold) ++s.cold_starts;
  }
  s.invocations = t.invokes().size();
  s.warm_starts = s.invocations - s.cold_starts;
  s.handler_ms_total = ms(handler);
  s.cold_start_rate = s.invocations ? static_cast<double>(s.cold_starts) / static_cast<double>(s.invocations) : 0;

  duration init{};
  for (const auto& seg : t.inits()) init += end_or(seg.end, t.end_time()) - seg.start;
  s.init_ms_total = ms(init);

  std::vector<std::int64_t> latencies;
  latencies.reserve(t.requests().size());
  for (const auto& r : t.requests()) {
    if (r.attempts > 1) s.async_retries += r.attempts - 1u;
    if (r.outcome == request_outcome::dropped) ++s.dlq;
    if (r.outcome == request_outcome::success || r.outcome == request_outcome::function_error)
      latencies.push_back((r.end - r.arrival).count());
  }
  const auto ns_to_ms = [](std::int64_t ns) { return static_cast<double>(ns) / 1e6; };
  s.latency_p50_ms = ns_to_ms(percentile(latencies, 50));
  s.latency_p99_ms = ns_to_ms(percentile(latencies, 99));
  s.latency_max_ms = ns_to_ms(percentile(latencies, 100));
  s.max_concurrency = max_concurrency(t);
  return s;
}

std::span<const std::string_view> summary_keys() noexcept { return keys; }

std::optional<double> summary_value(const summary& s, std::string_view key) noexcept {
  for (const field& f : fields) {
    if (f.key != key) continue;
    return f.count ? static_cast<double>(s.*f.count) : s.*f.real;
  }
  return std::nullopt;
}

std::string to_json(const summary& s) {
  std::string out = "{";
  for (const field& f : fields) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += f.key;
    out += "\":";
    out += f.count ? std::to_string(s.*f.count) : format_decimal(s.*f.real, 3);
  }
  return out + '}';
}

std::string to_text(const summary& s) {
  const auto n = [](std::uint64_t v) { return std::to_string(v); };
  const auto d = [](double v) { return format_decimal(v, 2); };
  std::string out;
  out += "requests       " + n(s.requests) + "\n";
  out += "invocations    " + n(s.invocations) + "  (cold " + n(s.cold_starts) + ", warm " + n(s.warm_starts) +
         ", cold-start rate " + format_decimal(100 * s.cold_start_rate, 1) + "%)\n";
  out += "throttled      " + n(s.throttled) + "\n";
  out += "environments   " + n(s.environments) + "  (max concurrency " + n(s.max_concurrency) + ")\n";
  out += "latency        p50 " + d(s.latency_p50_ms) + " ms, p99 " + d(s.latency_p99_ms) + " ms, max " +
         d(s.latency_max_ms) + " ms\n";
  out += "time in        init " + d(s.init_ms_total) + " ms, handler " + d(s.handler_ms_total) + " ms\n";
  out += "errors         " + n(s.errors) + "  (async retries " + n(s.async_retries) + ", dlq " + n(s.dlq) + ")\n";
  out += "simulated      " + format_duration(duration(std::llround(s.simulated_ms * 1e6))) + "\n";
  return out;
}

}  // namespace lambkin::sim
