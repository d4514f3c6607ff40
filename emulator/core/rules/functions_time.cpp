// parse_time(pattern, epochMs[, zone]) and time_to_epoch(text, pattern); see time_format.hpp for
// the supported letters and zones.
#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/function_impls.hpp"
#include "emulator/core/rules/time_format.hpp"

namespace lambkin::rules::detail {

value fn_parse_time(std::span<const value> a, const call_context&) {
  auto pattern = to_text(a[0]);
  auto ms = to_int_floor(a[1]);
  if (!pattern || !ms) return {};
  fixed_zone zone{0, "UTC"};
  if (a.size() == 3) {
    auto id = to_text(a[2]);
    if (!id) return {};
    auto z = parse_zone(*id);
    if (!z) return {};
    zone = *z;
  }
  auto text = format_time(*pattern, *ms, zone);
  return text ? value::string(std::move(*text)) : value{};
}

value fn_time_to_epoch(std::span<const value> a, const call_context&) {
  auto text = to_text(a[0]);
  auto pattern = to_text(a[1]);
  if (!text || !pattern) return {};
  auto ms = parse_time_text(*text, *pattern);
  return ms ? value::integer(*ms) : value{};
}

}  // namespace lambkin::rules::detail
