// Platform log lines, text and JSON. Numbers are formatted from integer nanoseconds so the
// output never depends on floating-point printing.
#include "emulator/core/lambda/log_lines.hpp"

#include "emulator/core/lambda/invocation_outcome.hpp"
#include "emulator/core/lambda/wall_time.hpp"

#include <cstdio>

namespace lambkin::lambda {
namespace {

// Hundredths of a millisecond, rounded half up; negatives clamp to 0.
std::int64_t centi_ms(duration d) noexcept {
  const auto ns = std::chrono::duration_cast<nanoseconds>(d).count();
  return ns <= 0 ? 0 : (ns + 5'000) / 10'000;
}

std::int64_t ceil_ms(duration d) noexcept {
  const auto ns = std::chrono::duration_cast<nanoseconds>(d).count();
  return ns <= 0 ? 0 : (ns + 999'999) / 1'000'000;
}

// 201.67, 201.6, 3000: at most two decimals, no trailing zeros (JSON numbers).
std::string json_ms(duration d) {
  const auto c = centi_ms(d);
  std::string s = std::to_string(c / 100);
  const auto frac = c % 100;
  if (frac != 0) {
    s += '.';
    s += static_cast<char>('0' + frac / 10);
    if (frac % 10 != 0) s += static_cast<char>('0' + frac % 10);
  }
  return s;
}

// A JSON string literal. Ids and names are plain ASCII, but error types and function versions
// come from users and runtimes.
std::string quoted(std::string_view v) {
  std::string s = "\"";
  for (char c : v) {
    switch (c) {
      case '"': s += "\\\""; break;
      case '\\': s += "\\\\"; break;
      case '\n': s += "\\n"; break;
      case '\r': s += "\\r"; break;
      case '\t': s += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          s += buf;
        } else {
          s += c;
        }
    }
  }
  s += '"';
  return s;
}

std::string platform_record(epoch_ms time, std::string_view type, const std::string& record) {
  return "{\"time\":" + quoted(format_iso8601(time)) + ",\"type\":\"platform." + std::string(type) +
         "\",\"record\":" + record + "}";
}

bool is_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string_view to_string(report_status s) noexcept {
  switch (s) {
    case report_status::success: return "success";
    case report_status::function_error:
    case report_status::error: return "error";
    case report_status::timeout: return "timeout";
  }
  return "error";
}

runtime_version lambkin_runtime_version(std::string_view runtime, std::string_view region, unsigned revision) {
  std::size_t letters = 0;
  while (letters < runtime.size() && is_letter(runtime[letters])) ++letters;
  const std::string family(runtime.substr(0, letters));
  std::string_view version = runtime.substr(letters);
  if (version.starts_with('.')) version.remove_prefix(1);
  if (version.ends_with(".x")) version.remove_suffix(2);

  const std::string rev = std::to_string(revision);
  runtime_version v;
  v.id = family + ":" + (version.empty() ? std::string() : std::string(version) + ".") + "lambkin.v" + rev;
  v.arn = "arn:aws:lambda:" + std::string(region) + "::runtime:lambkin-" + family +
          (version.empty() ? std::string() : "-" + std::string(version)) + "-v" + rev;
  return v;
}

std::string format_duration_ms(duration d) {
  const auto c = centi_ms(d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(c / 100), static_cast<long long>(c % 100));
  return buf;
}

std::int64_t billed_duration_ms(const report_fields& r) noexcept {
  duration billed = r.elapsed;
  if (r.bill_init && r.init_duration) billed += *r.init_duration;
  return ceil_ms(billed);
}

std::string init_start_line(const runtime_version& v) {
  return "INIT_START Runtime Version: " + v.id + "\tRuntime Version ARN: " + v.arn;
}

std::string start_line(std::string_view request_id, std::string_view version) {
  return "START RequestId: " + std::string(request_id) + " Version: " + std::string(version);
}

std::string end_line(std::string_view request_id) { return "END RequestId: " + std::string(request_id); }

std::string report_line(const report_fields& r) {
  std::string s = "REPORT RequestId: " + std::string(r.request_id) + "\t";
  s += "Duration: " + format_duration_ms(r.elapsed) + " ms\t";
  s += "Billed Duration: " + std::to_string(billed_duration_ms(r)) + " ms\t";
  s += "Memory Size: " + std::to_string(r.memory_size_mb) + " MB\t";
  s += "Max Memory Used: " + std::to_string(r.max_memory_used_mb) + " MB\t";
  if (r.init_duration) s += "Init Duration: " + format_duration_ms(*r.init_duration) + " ms\t";
  if (r.status == report_status::timeout) s += "Status: timeout\t";
  if (r.status == report_status::error) {
    s += "Status: error\t";
    if (!r.error_type.empty()) s += "Error Type: " + std::string(r.error_type) + "\t";
  }
  return s;
}

std::string init_report_line(duration init_duration, init_phase phase, report_status status,
                             std::string_view error_type) {
  std::string s = "INIT_REPORT Init Duration: " + format_duration_ms(init_duration) + " ms\tPhase: ";
  s += to_string(phase);
  s += "\tStatus: ";
  s += to_string(status);
  if (status != report_status::success && !error_type.empty()) s += "\tError Type: " + std::string(error_type);
  return s;
}

std::string timeout_line(epoch_ms now, std::string_view request_id, duration elapsed) {
  return format_iso8601(now) + " " + std::string(request_id) + " " + timeout_message(elapsed);
}

std::string init_start_json(epoch_ms time, const runtime_version& v, std::string_view function_name,
                            std::string_view function_version, initialization_type type, init_phase phase) {
  std::string rec = "{\"initializationType\":" + quoted(to_string(type));
  rec += ",\"phase\":" + quoted(to_string(phase));
  rec += ",\"runtimeVersion\":" + quoted(v.id);
  rec += ",\"runtimeVersionArn\":" + quoted(v.arn);
  rec += ",\"functionName\":" + quoted(function_name);
  rec += ",\"functionVersion\":" + quoted(function_version) + "}";
  return platform_record(time, "initStart", rec);
}

std::string start_json(epoch_ms time, std::string_view request_id, std::string_view version) {
  return platform_record(time, "start",
                         "{\"requestId\":" + quoted(request_id) + ",\"version\":" + quoted(version) + "}");
}

std::string report_json(epoch_ms time, const report_fields& r) {
  std::string rec = "{\"requestId\":" + quoted(r.request_id);
  rec += ",\"metrics\":{\"durationMs\":" + json_ms(r.elapsed);
  rec += ",\"billedDurationMs\":" + std::to_string(billed_duration_ms(r));
  rec += ",\"memorySizeMB\":" + std::to_string(r.memory_size_mb);
  rec += ",\"maxMemoryUsedMB\":" + std::to_string(r.max_memory_used_mb);
  if (r.init_duration) rec += ",\"initDurationMs\":" + json_ms(*r.init_duration);
  rec += "},\"status\":" + quoted(to_string(r.status));
  if (r.status != report_status::success && !r.error_type.empty()) rec += ",\"errorType\":" + quoted(r.error_type);
  rec += "}";
  return platform_record(time, "report", rec);
}

std::string init_report_json(epoch_ms time, duration init_duration, init_phase phase, report_status status,
                             std::string_view error_type, initialization_type type) {
  std::string rec = "{\"initializationType\":" + quoted(to_string(type));
  rec += ",\"phase\":" + quoted(to_string(phase));
  rec += ",\"status\":" + quoted(to_string(status));
  if (status != report_status::success && !error_type.empty()) rec += ",\"errorType\":" + quoted(error_type);
  rec += ",\"metrics\":{\"durationMs\":" + json_ms(init_duration) + "}}";
  return platform_record(time, "initReport", rec);
}

std::string timeout_json(epoch_ms now, std::string_view request_id, duration elapsed) {
  return "{\"timestamp\":" + quoted(format_iso8601(now)) + ",\"level\":\"ERROR\",\"requestId\":" +
         quoted(request_id) + ",\"message\":" + quoted(timeout_message(elapsed)) + "}";
}

}  // namespace lambkin::lambda
