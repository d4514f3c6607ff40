#pragma once
// Test support for the e2e suites: `lambkin run` on a template written for the test, started
// with port 0, ready when its ready file appears; an HTTP client for its AWS endpoint.
#include "io/http_client.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace lambkin::test {

class lambkin_instance {
 public:
  /// Writes `template_text` to a temp dir and runs `lambkin run` on it (extra flags appended).
  explicit lambkin_instance(const std::string& template_text, std::vector<std::string> flags = {}) {
    owned_.emplace();
    start(owned_->path(), template_text, std::move(flags));
  }
  /// The same in `dir`, which the test keeps (data in `dir`/data), so that a stopped or killed
  /// lambkin can be started again on it; `env`: extra `NAME=value` environment entries.
  lambkin_instance(const std::filesystem::path& dir, const std::string& template_text,
                   std::vector<std::string> flags = {}, std::vector<std::string> env = {}) {
    start(dir, template_text, std::move(flags), std::move(env));
  }
  ~lambkin_instance() {
    if (process_->running()) {
      process_->signal(SIGTERM);
      process_->wait(std::chrono::seconds(10));
    }
  }

  unsigned short aws_port() const { return aws_port_; }
  /// The MQTT listener (0 in bridge mode).
  unsigned short mqtt_port() const { return mqtt_port_; }
  /// The HTTP API listener (0 when the template has no routes).
  unsigned short http_port() const { return http_port_; }
  /// MQTT over WebSocket (ws://127.0.0.1:PORT/mqtt).
  unsigned short ws_port() const { return ws_port_; }
  /// MQTT over TLS (0 unless started with --tls-cert --tls-key --tls-ca).
  unsigned short tls_port() const { return tls_port_; }
  child_process& process() { return *process_; }
  /// The ready file's JSON.
  const boost::json::value& ready() const { return ready_; }
  std::string log() const { return process_->err(); }

  /// POST /2015-03-31/functions/NAME/invocations with the given headers.
  bhttp::response<bhttp::string_body> invoke(const std::string& function, const std::string& payload,
                                             const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http_client client(aws_port_);
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/2015-03-31/functions/" + function + "/invocations", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = payload;
    req.prepare_payload();
    return client.send(req);
  }

  /// Any request to the AWS endpoint (the Lambda control plane, `/_lambkin/…`), JSON body.
  bhttp::response<bhttp::string_body> request(bhttp::verb verb, const std::string& target, const std::string& body = {}) {
    http_client client(aws_port_);
    return client.request(verb, target, body);
  }

  /// Stops lambkin with SIGTERM and returns its exit code.
  int stop() {
    process_->signal(SIGTERM);
    const auto code = process_->wait(std::chrono::seconds(15));
    REQUIRE(code.has_value());
    return *code;
  }

 private:
  void start(const std::filesystem::path& dir, const std::string& template_text, std::vector<std::string> flags,
             std::vector<std::string> env = {}) {
    const auto tmpl = dir / "template.yaml";
    std::ofstream(tmpl) << template_text;
    const auto ready = dir / "ready.json";
    std::filesystem::remove(ready);
    std::vector<std::string> argv{lambkin_exe(), "run", tmpl.string(), "--aws-port", "0", "--mqtt-port", "0",
                                  "--ws-port", "0", "--http-port", "0", "--ready-file", ready.string(), "--data-dir",
                                  (dir / "data").string()};
    for (auto& f : flags) argv.push_back(std::move(f));
    process_ = std::make_unique<child_process>(std::move(argv), std::move(env));
    REQUIRE_MESSAGE(wait_for_file(ready, *process_, std::chrono::seconds(30)), process_->err());
    std::ifstream in(ready);
    std::stringstream text;
    text << in.rdbuf();
    ready_ = boost::json::parse(text.str());
    const auto& ports = ready_.as_object();
    const auto port = [&](const char* name) -> unsigned short {
      const auto* v = ports.if_contains(name);
      return v && v->is_int64() ? static_cast<unsigned short>(v->as_int64()) : 0;
    };
    aws_port_ = port("aws");
    mqtt_port_ = port("mqtt");  // null in bridge mode (--broker)
    http_port_ = port("http");
    ws_port_ = port("ws");
    tls_port_ = port("tls");
  }

  std::optional<temp_dir> owned_;
  std::unique_ptr<child_process> process_;
  unsigned short aws_port_ = 0;
  unsigned short mqtt_port_ = 0;
  unsigned short http_port_ = 0;
  unsigned short ws_port_ = 0;
  unsigned short tls_port_ = 0;
  boost::json::value ready_;
};

/// One function of a test template (`extra`: more properties, indented by 6 spaces).
struct fn {
  std::string name, runtime, handler, code, extra;
};

/// A SAM template with one AWS::Serverless::Function per entry, and `metadata` (lines indented by
/// 4) under `Metadata.lambkin` when given.
inline std::string template_for(const std::vector<fn>& fns, const std::string& metadata = "") {
  std::string t = "Transform: AWS::Serverless-2016-10-31\n";
  if (!metadata.empty()) t += "Metadata:\n  lambkin:\n" + metadata;
  t += "Resources:\n";
  for (const auto& f : fns) {
    t += "  " + f.name + ":\n    Type: AWS::Serverless::Function\n    Properties:\n";
    t += "      Runtime: " + f.runtime + "\n      Handler: " + f.handler + "\n      CodeUri: " + f.code + "\n";
    t += f.extra;
  }
  return t;
}

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace lambkin::test
