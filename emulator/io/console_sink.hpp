#pragma once
// The sink behind every logger (see log.hpp): formatted lines to one FILE (stderr), optionally
// painted for a terminal, with an optional status line kept under them.
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace lambkin::io {

/// Colours a function name gets, in order of first appearance (ANSI SGR parameters).
inline constexpr std::string_view function_palette[] = {"36", "35", "32", "34", "33", "96", "95", "92", "94", "93"};

/// Paints one formatted text line for a terminal. `level_range` is the [begin,end) of the level
/// text (spdlog's colour range), `level_sgr` its colour; `name_at` is where a function's name
/// starts (npos: none) and `name_sgr` its colour. A REPORT line's "Init Duration: … ms" is made
/// bold. Returns the line with escape sequences; its visible text is unchanged.
std::string paint_line(std::string_view line, std::size_t level_begin, std::size_t level_end, std::string_view level_sgr,
                       std::size_t name_at, std::string_view name_sgr);

/// The name at the start of a "lambda"/"function" log message: up to the first ' ' or ':'.
std::string_view leading_function_name(std::string_view payload);

class console_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  /// `colour`: paint lines; `live`: `status` lines may be drawn (a terminal).
  console_sink(std::FILE* out, bool colour, bool live) : out_(out), colour_(colour), live_(live) {}

  /// Replaces the status line (empty: none) and redraws it at once.
  void status(std::string text);
  bool live() const { return live_; }
  /// A function whose log lines (they begin with its name) get the next colour of the palette.
  void name_function(std::string_view name);
  void set_painting(bool colour, bool live);

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override { std::fflush(out_); }

 private:
  /// The function's colour; empty for a word that is not a named function.
  std::string_view colour_of(std::string_view function) const;

  std::FILE* out_;
  bool colour_, live_;
  std::string status_;
  std::map<std::string, std::size_t, std::less<>> function_colours_;
};

}  // namespace lambkin::io
