#pragma once
// lambkin inside your own test process: the whole emulator (broker, rules, functions, table
// store, HTTP API, AWS endpoint) on free loopback ports, started by a constructor and stopped by
// a destructor. Link the CMake target `lambkin::emulator`.
//
//   #include <lambkin/emulator.hpp>
//   TEST_CASE("a reading is stored") {
//     lambkin::emulator lk({.template_file = "examples/temperature/template.yaml"});
//     // publish to lk.mqtt_port() with any MQTT client, then
//     // GET lk.http_url() + "/devices" or point an AWS SDK at lk.aws_endpoint()
//   }
//
// The constructor returns once every listener is up, or throws `lambkin::emulator_error` with
// the reason (template errors with file:line:column, a port in use…). Functions run as real
// runtime processes, as under `lambkin run`; the destructor stops them all (SIGTERM, then SIGKILL)
// and waits for them. The host process keeps its own signal handling.
//
// In-process functions (include/lambkin/function.hpp): a template function can run as a C++
// callable of the host process instead of its code, on worker threads, with the same lifecycle,
// concurrency, retries and logs:
//
//   lambkin::emulator lk({.template_file = "template.yaml",
//                         .functions = {{"StoreTemperature", {.handler = [](const std::string& event,
//                                                                 const lambkin::invocation_context& ctx) {
//                           return std::string(R"({"ok":true})");
//                         }}}}});
//
// The name is the template function's logical id or its FunctionName; the template's CodeUri
// must still name an existing directory (`CodeUri: .` will do), and its code is never run.
//
// Thread safety: the emulator runs on its own thread; the members here may be called from any
// thread.
#include "lambkin/function.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace lambkin {

struct emulator_options {
  /// The SAM/CloudFormation template to run.
  std::filesystem::path template_file{};
  /// `Key=Value` template parameter overrides.
  std::vector<std::string> parameter_overrides{};
  /// Tables and function scratch space; `:memory:` (the default) keeps tables in memory and the
  /// rest in a temporary directory removed afterwards.
  std::filesystem::path data_dir = ":memory:";
  /// `aws` (AWS's retry delays) or `fast` (seconds instead of minutes, for tests); empty: the
  /// template's `Metadata.lambkin.timing`.
  std::string timing = "fast";
  /// lambkin's own log level on stderr: trace, debug, info, warn (default), error, off.
  std::string log_level = "warn";
  /// Where the nodejs/ and python/ runtime bootstraps are; empty: `LAMBKIN_RUNTIME_DIR`, else the
  /// source tree lambkin was built from.
  std::filesystem::path runtime_dir{};
  /// In-process functions by the template function's logical id or FunctionName; each replaces
  /// that function's code (see include/lambkin/function.hpp). A name the template does not define,
  /// or an empty handler, makes the constructor throw.
  std::map<std::string, inprocess_function> functions{};
};

class emulator_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class emulator {
 public:
  explicit emulator(emulator_options options);
  ~emulator();
  emulator(const emulator&) = delete;
  emulator& operator=(const emulator&) = delete;

  std::uint16_t mqtt_port() const noexcept;
  /// 0 when the template has no HTTP API routes.
  std::uint16_t http_port() const noexcept;
  std::uint16_t aws_port() const noexcept;
  /// `http://127.0.0.1:<aws port>`: give it to the AWS SDKs and CLI as their endpoint URL.
  std::string aws_endpoint() const;
  /// `http://127.0.0.1:<http port>`: the template's HTTP API.
  std::string http_url() const;

  /// Stops everything and waits; the destructor does it too. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace lambkin
