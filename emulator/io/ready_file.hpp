#pragma once
// The ready file (`lambkin run --ready-file F`): a JSON object with the real port of every
// listener and the process id, written once all listeners are up, so a test can start lambkin
// with port 0 and read where it listens. Written atomically (temporary file + rename): a reader
// never sees half a file.
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

namespace lambkin::io {

struct ready_ports {
  /// A listener that is not running (not emulated yet, or disabled) is written as null.
  std::optional<unsigned short> mqtt, ws, tls, http, aws;
  /// Bridge mode: the external broker (`mqtt://host:port`); written as `"broker"` when set.
  std::optional<std::string> broker;
  /// Bridge mode: whether it was connected when the file was written (`"broker_connected"`).
  bool broker_connected = false;
  /// The URLs of the AWS endpoint and the HTTP API (`"aws_url"`, `"http_url"`; http:// or, with
  /// --https-cert, https://); written when set.
  std::optional<std::string> aws_url, http_url;
};

/// `{"mqtt":1883,"ws":8083,"tls":8883,"http":3000,"aws":4566,"pid":1234}`; in bridge mode also
/// `"broker":"mqtt://127.0.0.1:1883","broker_connected":true` (and the MQTT ports null).
std::error_code write_ready_file(const std::filesystem::path& path, const ready_ports& ports, long pid);

}  // namespace lambkin::io
