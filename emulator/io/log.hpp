#pragma once
// Named loggers ("lambkin", "http", "mqtt", "pool", "store", "function") on stderr, in text or
// JSON lines. Every shell logs through these; cores never log (they return commands).
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

}  // namespace lambkin::io
