#include "bench/bench_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

namespace lambkin::bench {

double micros_between(wall::time_point from, wall::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

latency_summary summarize(std::vector<double> samples) {
  latency_summary s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  const auto rank = [&](double q) {
    const auto r = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    return samples[std::clamp<std::size_t>(r, 1, samples.size()) - 1];
  };
  s.count = samples.size();
  s.p50 = rank(0.50);
  s.p99 = rank(0.99);
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  s.min = samples.front();
  s.max = samples.back();
  return s;
}

void print_latency_header(const char* unit) {
  std::printf("%-52s %7s %9s %9s %9s %9s %9s %9s\n", "benchmark", "n", (std::string("p50 ") + unit).c_str(),
              (std::string("p99 ") + unit).c_str(), (std::string("mean ") + unit).c_str(), "p50 ratio", "p99 ratio",
              "mean ratio");
}

void print_latency_row(const std::string& name, const latency_summary& s, const latency_summary& floor) {
  std::printf("%-52s %7zu %9.1f %9.1f %9.1f", name.c_str(), s.count, s.p50, s.p99, s.mean);
  if (floor.count == 0) {
    std::printf(" %9s %9s %9s\n", "-", "-", "-");
    return;
  }
  std::printf(" %9.2f %9.2f %9.2f\n", s.p50 / floor.p50, s.p99 / floor.p99, s.mean / floor.mean);
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

}  // namespace lambkin::bench
