#pragma once
// Named loggers ("lambkin", "http", "mqtt", "pool", "store", "function") on stderr, in text or
// JSON lines. Every shell logs through these; cores never log (they return commands).
//
// On a terminal (stderr is a TTY, text format, NO_COLOR unset) lines are coloured: the level, and
// each function's name in a colour of its own (lines of the "lambda" and "function" loggers begin
// with the function's name), with a cold start's `Init Duration` picked out. A live status line
// (`set_status_line`) can be kept under the log: each log line is written over it and the status
// is drawn again below. Anywhere else the lines are plain and the status line is never drawn.
#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace lambkin::io {

enum class log_format { text, json };

/// Configures the default sink and level once per process; later calls replace the format.
/// `level` is one of trace, debug, info, warn, error, off.
void init_logging(log_format format, std::string_view level = "info");

/// The logger for one subsystem; created on first use with the configured sink.
std::shared_ptr<spdlog::logger> logger(std::string_view name);

/// True when log lines go to a terminal in text format and may carry colour and a status line.
bool console_is_live();

/// Shows `text` as the last line of the terminal, under the log (no newline; redrawn after every
/// log line). An empty text removes it. Does nothing unless `console_is_live()`.
void set_status_line(std::string text);

/// Tells the console that log lines of the "lambda" and "function" loggers beginning with `name`
/// are that function's: it gets a colour of its own on a terminal.
void name_function_for_console(std::string_view name);

/// Terminal colouring as decided at start: `--color auto` (TTY and no NO_COLOR), always, never.
/// The status line likewise: `--status auto` (a terminal, unless `--color never`), always (also
/// into a file or pipe, for `tail -f` on a terminal), never.
enum class colour_mode { automatic, always, never };
void set_colour_mode(colour_mode colour, colour_mode status = colour_mode::automatic);

}  // namespace lambkin::io
