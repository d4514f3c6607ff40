#pragma once
// Writes the Prometheus text exposition format (version 0.0.4): for each metric family a
// `# HELP` and a `# TYPE` line, then its samples, label values escaped (\\, \", \n).
//
//   prometheus_text out;
//   out.family("lambkin_lambda_invocations_total", "counter", "Invocation attempts dispatched.");
//   out.sample("lambkin_lambda_invocations_total", {{"function", "Hello"}}, 3);
//   out.histogram("lambkin_lambda_duration_seconds", {{"function", "Hello"}}, h);  // after its family()
//   std::string body = out.str();
#include "emulator/io/observe/histogram.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace lambkin::io::observe {

using label_list = std::initializer_list<std::pair<std::string_view, std::string_view>>;

/// The content type Prometheus scrapes.
inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

class prometheus_text {
 public:
  /// `type` is counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, label_list labels, double value);
  /// `name_bucket{…,le="…"}` for every bound and +Inf, then `name_sum` and `name_count`.
  void histogram(std::string_view name, label_list labels, const seconds_histogram& h);

  const std::string& str() const noexcept { return out_; }

 private:
  void labels(label_list labels, std::string_view le = {});
  std::string out_;
};

/// A sample value as Prometheus writes it: integers without a decimal point, others shortest.
std::string format_value(double v);

}  // namespace lambkin::io::observe
