#pragma once
// The running emulator: one io_context on the main thread, the listeners, and clean shutdown on
// SIGINT/SIGTERM. `lambkin run` builds an `app` from the loaded template and the flags.
//
// Today it serves the AWS endpoint (`/_lambkin/health`, the Lambda Invoke API) and runs the
// template's functions as live pools of runtime processes; the MQTT, WebSocket and HTTP API
// listeners and the table store join it as their issues land. On SIGINT/SIGTERM every runtime
// gets SIGTERM, then SIGKILL after 2 s, and is reaped before `run` returns.
#include "emulator/io/http/aws_auth.hpp"
#include "emulator/io/http/aws_endpoint.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "lambkin/config.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include "emulator/io/log.hpp"
#include "emulator/io/ready_file.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lambkin::io {

struct run_options {
  std::string bind = "127.0.0.1";
  /// Ports; 0 picks a free one. Listeners that do not exist yet ignore theirs.
  unsigned short mqtt_port = 1883, ws_port = 8083, http_port = 3000, aws_port = 4566;
  /// MQTT over TLS with client certificates (`--tls-cert --tls-key --tls-ca`, PEM files), on
  /// `tls_port`; not served while any of the three is empty.
  std::filesystem::path tls_cert, tls_key, tls_ca;
  unsigned short tls_port = 8883;
  /// HTTPS on the AWS endpoint and the HTTP API (`--https-cert --https-key`, PEM files; both or
  /// neither). The Runtime API stays plain HTTP on loopback. `https_ca` (`--https-ca`, optional):
  /// the CA bundle Node functions trust through NODE_EXTRA_CA_CERTS.
  std::filesystem::path https_cert, https_key, https_ca;
  /// Mutual TLS on the HTTP API (`--https-client-ca`, API Gateway's): clients must present a
  /// certificate this CA bundle signed. Empty: no client certificates asked for.
  std::filesystem::path https_client_ca;
  /// Tables (`tables.sqlite3`), function /tmp dirs and published versions. `:memory:` keeps the
  /// tables in memory and the rest in a temporary directory removed at exit.
  std::filesystem::path data_dir;
  /// Start with empty tables (`lambkin run --reset`): what an earlier run stored is dropped.
  bool reset = false;
  std::optional<std::filesystem::path> ready_file;
  http::endpoint_status status;
  /// The loaded template; its functions run as live pools. Null: no functions.
  const config::template_config* tmpl = nullptr;
  /// Where the nodejs/ and python/ runtime bootstraps live.
  std::filesystem::path runtime_dir;
  /// Platform log lines as JSON (`--log-format json`).
  bool json_logs = false;
  /// The MQTT broker's profile: `aws` (AWS IoT Core's deviations) or `standard` (plain MQTT).
  std::string mqtt_profile = "aws";
  /// Bridge mode (`--broker mqtt://host:port`, mqtt_bridge.hpp): when set, lambkin's own MQTT
  /// listeners are not started; rules and the IoT Data API use this external broker. The ready
  /// file is written once the first connection attempt has settled, with `"broker"` set and the
  /// MQTT ports null. `broker_ca`: a CA file for mqtts:// (else the system's).
  std::string broker;
  std::string broker_ca;
  /// Hot reload: watch the functions' code directories (`lambkin run`; off with `--no-watch`).
  bool watch_code = false;
  /// `--cpu-scaling`: CPU in proportion to MemorySize through cgroups (lambda/cpu_cgroups.hpp).
  bool cpu_scaling = false;
  /// When set, `run` runs this once everything is up, then stops and returns its result as the
  /// exit code (`lambkin invoke`). Needs a template with functions.
  std::function<boost::asio::awaitable<int>(lambda::lambda_service&)> one_shot;
  /// Stop on SIGINT/SIGTERM (`lambkin run`). The embedding API turns it off: the host process
  /// owns its signals.
  bool handle_signals = true;
  /// Keep a one-line live status (clients, messages/s, invocations/s, cold starts) under the log
  /// when stderr is a terminal (`lambkin run`; see log.hpp).
  bool live_status = false;
  /// Called on the io thread once every listener is up, with their ports (as the ready file).
  std::function<void(const ready_ports&)> on_ready;
  /// `--require-auth`: every listener requires credentials. MQTT: with AWS::IoT::Policy resources,
  /// connections without a client certificate are refused. The AWS endpoint answers only requests signed (SigV4) with one of
  /// `access_keys` (aws_auth.hpp); empty keys: lambkin's dummy pair, which functions get anyway.
  /// Functions get the first key; in-process functions' `call_aws` and the rules engine bypass
  /// the check (they run inside lambkin). `/_lambkin/…` needs no signature.
  bool require_auth = false;
  std::vector<http::access_key> access_keys;
  /// In-process functions by logical id or name (the embedding API's `emulator_options::functions`).
  std::map<std::string, std::shared_ptr<const inprocess_function>> inprocess_functions;
};

class app {
 public:
  explicit app(run_options options);
  ~app();
  app(const app&) = delete;
  app& operator=(const app&) = delete;

  /// Starts every listener, writes the ready file, and serves until SIGINT or SIGTERM (or `stop`).
  /// Returns the process exit code: 0 after a clean stop, 1 if a listener could not start
  /// (the reason is logged, naming the listener and the address).
  int run();
  /// Asks a running `run` to stop (thread-safe).
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace lambkin::io
