#include "emulator/io/console_sink.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/formatter.h>

#include <algorithm>
#include <vector>

namespace lambkin::io {
namespace {

constexpr std::string_view reset = "\x1b[0m";
constexpr std::string_view clear_line = "\r\x1b[K";

std::string_view level_colour(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace: return "90";
    case spdlog::level::debug: return "36";
    case spdlog::level::info: return "32";
    case spdlog::level::warn: return "33;1";
    case spdlog::level::err: return "31;1";
    case spdlog::level::critical: return "41;97;1";
    default: return {};
  }
}

void sgr(std::string& out, std::string_view params) {
  out += "\x1b[";
  out += params;
  out += 'm';
}

}  // namespace

std::string_view leading_function_name(std::string_view payload) {
  const auto end = payload.find_first_of(" :");
  return end == std::string_view::npos ? std::string_view{} : payload.substr(0, end);
}

std::string paint_line(std::string_view line, std::size_t level_begin, std::size_t level_end, std::string_view level_sgr,
                       std::size_t name_at, std::string_view name_sgr) {
  // Marks, in order of position: {position, text to insert}.
  struct mark {
    std::size_t at;
    std::string text;
  };
  std::vector<mark> marks;
  auto paint = [&](std::size_t b, std::size_t e, std::string_view params) {
    if (params.empty() || b >= e || e > line.size()) return;
    std::string on;
    sgr(on, params);
    marks.push_back({b, std::move(on)});
    marks.push_back({e, std::string(reset)});
  };
  paint(level_begin, level_end, level_sgr);
  if (name_at != std::string_view::npos && name_at < line.size()) {
    const auto name = leading_function_name(line.substr(name_at));
    paint(name_at, name_at + name.size(), name_sgr);
    // A cold start stands out: "Init Duration: 162.31 ms" on REPORT lines.
    const auto rest = line.substr(name_at + name.size());
    if (rest.starts_with(" REPORT ")) {
      constexpr std::string_view key = "Init Duration: ";
      if (const auto k = line.find(key, name_at); k != std::string_view::npos) {
        const auto ms = line.find(" ms", k + key.size());
        if (ms != std::string_view::npos) paint(k, ms + 3, "1");
      }
    }
  }
  std::stable_sort(marks.begin(), marks.end(), [](const mark& a, const mark& b) { return a.at < b.at; });
  std::string out;
  out.reserve(line.size() + marks.size() * 8);
  std::size_t from = 0;
  for (const auto& m : marks) {
    out.append(line.substr(from, m.at - from));
    out += m.text;
    from = m.at;
  }
  out.append(line.substr(from));
  return out;
}

void console_sink::set_painting(bool colour, bool live) {
  std::lock_guard lock(mutex_);
  colour_ = colour;
  live_ = live;
  if (!live_) status_.clear();
}

void console_sink::status(std::string text) {
  std::lock_guard lock(mutex_);
  if (!live_) return;
  status_ = std::move(text);
  std::string out(clear_line);
  if (!status_.empty()) {
    if (colour_) sgr(out, "7");  // reverse video: a bar, not a log line
    out += status_;
    if (colour_) out += reset;
  }
  std::fwrite(out.data(), 1, out.size(), out_);
  std::fflush(out_);
}

void console_sink::name_function(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (!function_colours_.contains(name)) function_colours_.emplace(std::string(name), function_colours_.size());
}

std::string_view console_sink::colour_of(std::string_view function) const {
  const auto it = function_colours_.find(function);
  if (it == function_colours_.end()) return {};
  return function_palette[it->second % std::size(function_palette)];
}

void console_sink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t formatted;
  formatter_->format(msg, formatted);
  std::string_view line(formatted.data(), formatted.size());
  std::string out;
  if (live_ && !status_.empty()) out += clear_line;
  if (colour_) {
    const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    std::size_t name_at = std::string_view::npos;
    std::string_view name_colour;
    if ((logger == "lambda" || logger == "function") && line.size() > payload.size()) {
      // The payload is the pattern's last field: it ends just before the line's end of line.
      const auto eol = line.ends_with('\n') ? 1u : 0u;
      const auto at = line.size() - eol - payload.size();
      if (line.substr(at, payload.size()) == payload) {
        name_colour = colour_of(leading_function_name(payload));
        if (!name_colour.empty()) name_at = at;
      }
    }
    out += paint_line(line, msg.color_range_start, msg.color_range_end, level_colour(msg.level), name_at, name_colour);
  } else {
    out.append(line);
  }
  if (live_ && !status_.empty()) {
    if (colour_) sgr(out, "7");
    out += status_;
    if (colour_) out += reset;
  }
  std::fwrite(out.data(), 1, out.size(), out_);
  if (live_) std::fflush(out_);
}

}  // namespace lambkin::io
