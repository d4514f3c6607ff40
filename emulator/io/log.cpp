#include "emulator/io/log.hpp"

#include "emulator/io/console_sink.hpp"

#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>

#include <unistd.h>

#include <cstdlib>

#include <chrono>
#include <ctime>
#include <mutex>
#include <string>

namespace lambkin::io {
namespace {

/// One JSON object per line: {"time","level","logger","message"}; the message is escaped, so a
/// log shipper can parse every line whatever a function printed.
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
    const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[40];
    const auto n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    append(dest, R"({"time":")");
    append(dest, std::string_view(stamp, n));
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms.count() % 1000));
    append(dest, frac);
    append(dest, R"(","level":")");
    const auto level = spdlog::level::to_string_view(msg.level);
    append(dest, std::string_view(level.data(), level.size()));
    append(dest, R"(","logger":")");
    escape(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    append(dest, R"(","message":")");
    escape(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    append(dest, "\"}\n");
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }

 private:
  static void append(spdlog::memory_buf_t& dest, std::string_view s) { dest.append(s.data(), s.data() + s.size()); }
  static void escape(spdlog::memory_buf_t& dest, std::string_view s) {
    for (const char c : s) {
      switch (c) {
        case '"': append(dest, "\\\""); break;
        case '\\': append(dest, "\\\\"); break;
        case '\n': append(dest, "\\n"); break;
        case '\r': append(dest, "\\r"); break;
        case '\t': append(dest, "\\t"); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            append(dest, buf);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
};

std::mutex mutex_;
std::shared_ptr<console_sink> sink_;
spdlog::level::level_enum level_ = spdlog::level::info;
log_format format_ = log_format::text;
colour_mode colour_mode_ = colour_mode::automatic;
colour_mode status_mode_ = colour_mode::automatic;

/// Colour and the status line follow the format, the mode and whether stderr is a terminal.
void apply_painting() {
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  const bool text = format_ == log_format::text;
  const bool no_color = std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0';
  const bool colour = text && (colour_mode_ == colour_mode::always ||
                               (colour_mode_ == colour_mode::automatic && tty && !no_color));
  const bool live = text && (status_mode_ == colour_mode::always ||
                             (status_mode_ == colour_mode::automatic && tty && colour_mode_ != colour_mode::never));
  sink_->set_painting(colour, live);
}

void apply_format(log_format f) {
  format_ = f;
  apply_painting();
  if (f == log_format::json) {
    sink_->set_formatter(std::make_unique<json_formatter>());
  } else {
    sink_->set_formatter(std::make_unique<spdlog::pattern_formatter>("%H:%M:%S.%e %-8n %^%-5l%$ %v",
                                                                   spdlog::pattern_time_type::utc));
  }
}

void ensure_sink() {
  if (sink_) return;
  sink_ = std::make_shared<console_sink>(stderr, false, false);
  apply_format(log_format::text);
}

}  // namespace

void init_logging(log_format format, std::string_view level) {
  std::lock_guard lock(mutex_);
  ensure_sink();
  apply_format(format);
  level_ = spdlog::level::from_str(std::string(level));
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level_); });
}

std::shared_ptr<spdlog::logger> logger(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (auto existing = spdlog::get(std::string(name))) return existing;
  ensure_sink();
  auto l = std::make_shared<spdlog::logger>(std::string(name), sink_);
  l->set_level(level_);
  spdlog::register_logger(l);
  return l;
}

bool console_is_live() {
  std::lock_guard lock(mutex_);
  ensure_sink();
  return sink_->live();
}

void set_status_line(std::string text) {
  std::shared_ptr<console_sink> sink;
  {
    std::lock_guard lock(mutex_);
    ensure_sink();
    sink = sink_;
  }
  sink->status(std::move(text));
}

void name_function_for_console(std::string_view name) {
  std::shared_ptr<console_sink> sink;
  {
    std::lock_guard lock(mutex_);
    ensure_sink();
    sink = sink_;
  }
  sink->name_function(name);
}

void set_colour_mode(colour_mode colour, colour_mode status) {
  std::lock_guard lock(mutex_);
  ensure_sink();
  colour_mode_ = colour;
  status_mode_ = status;
  apply_painting();
}

}  // namespace lambkin::io
