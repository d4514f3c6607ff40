// `lambkin run TEMPLATE`: load the template, start the listeners, serve until SIGINT/SIGTERM.
#include "emulator/cli/commands.hpp"
#include "emulator/cli/run_options.hpp"
#include "emulator/cli/template_options.hpp"
#include "emulator/io/app.hpp"
#include "emulator/io/log.hpp"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

namespace lambkin::cli {
namespace {

struct run_flags {
  template_options tmpl;
  std::optional<std::uint16_t> mqtt_port, ws_port, http_port, aws_port;
  std::uint16_t tls_port = 8883;
  std::string tls_cert, tls_key, tls_ca;
  std::optional<std::string> bind, timing, broker;
  std::string broker_ca;
  std::string data_dir;
  std::string ready_file;
  std::string log_format = "text";
  std::string mqtt_profile = "aws";
  std::string log_level = "info";
  std::string color = "auto";
  bool no_watch = false;
  std::string status = "auto";
  bool cpu_scaling = false;
  bool reset = false;
  bool require_auth = false;
  std::string credentials;
  std::string https_cert, https_key, https_ca, https_client_ca;
};

int run(const run_flags& f) {
  io::init_logging(f.log_format == "json" ? io::log_format::json : io::log_format::text, f.log_level);
  const auto mode = [](const std::string& m) {
    return m == "always" ? io::colour_mode::always : m == "never" ? io::colour_mode::never : io::colour_mode::automatic;
  };
  io::set_colour_mode(mode(f.color), mode(f.status));
  config::settings_overlay overlay;
  overlay.mqtt_port = f.mqtt_port;
  overlay.ws_port = f.ws_port;
  overlay.http_port = f.http_port;
  overlay.aws_port = f.aws_port;
  overlay.bind = f.bind;
  if (f.timing) overlay.timing = parse_timing_profile(*f.timing);  // checked by CLI11 already

  auto loaded = load_or_report(f.tmpl, overlay);
  if (!loaded) return 1;
  const auto& s = loaded->settings;

  auto o = run_options_for(*loaded, f.tmpl.file, f.data_dir, f.log_format);
  if (!f.ready_file.empty()) o.ready_file = f.ready_file;
  o.mqtt_profile = f.mqtt_profile;
  o.tls_cert = f.tls_cert;
  o.tls_key = f.tls_key;
  o.tls_ca = f.tls_ca;
  o.tls_port = f.tls_port;
  if (f.broker) o.broker = *f.broker;
  o.broker_ca = f.broker_ca;
  o.watch_code = !f.no_watch;
  o.cpu_scaling = f.cpu_scaling;
  o.reset = f.reset;
  o.live_status = f.status != "never";
  o.require_auth = f.require_auth;
  if (!f.credentials.empty()) {
    std::string why;
    auto keys = io::http::load_credentials(f.credentials, why);
    if (!keys) {
      io::logger("lambkin")->error("--credentials: {}", why);
      return 1;
    }
    o.access_keys = std::move(*keys);
  }
  o.https_cert = f.https_cert;
  o.https_key = f.https_key;
  o.https_ca = f.https_ca;
  o.https_client_ca = f.https_client_ca;
  io::logger("lambkin")->info("{}: {} functions, {} rules, {} routes, {} tables (timing: {})", f.tmpl.file,
                              loaded->functions.size(), loaded->rules.size(), loaded->routes.size(),
                              loaded->tables.size(), to_string(s.timing));
  io::app app(std::move(o));
  return app.run();
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto f = std::make_shared<run_flags>();
  auto* cmd = app.add_subcommand("run", "Run the template's stack until SIGINT or SIGTERM");
  add_template_options(*cmd, f->tmpl);
  cmd->add_option("--mqtt-port", f->mqtt_port, "MQTT over TCP (default 1883; 0 = any free port)");
  cmd->add_option("--ws-port", f->ws_port, "MQTT over WebSocket (default 8083; 0 = any free port)");
  cmd->add_option("--http-port", f->http_port, "HTTP API (default 3000; 0 = any free port)");
  cmd->add_option("--aws-port", f->aws_port, "AWS endpoint (default 4566; 0 = any free port)");
  auto* cert = cmd->add_option("--tls-cert", f->tls_cert, "MQTT over TLS: the server certificate (PEM; see lambkin certs)")
                   ->check(CLI::ExistingFile);
  auto* key = cmd->add_option("--tls-key", f->tls_key, "MQTT over TLS: the server's private key (PEM)")->check(CLI::ExistingFile);
  auto* ca = cmd->add_option("--tls-ca", f->tls_ca, "MQTT over TLS: the CA client certificates must chain to (PEM)")
                 ->check(CLI::ExistingFile);
  cert->needs(key)->needs(ca);
  key->needs(cert)->needs(ca);
  ca->needs(cert)->needs(key);
  cmd->add_option("--tls-port", f->tls_port, "MQTT over TLS with client certificates (default 8883; 0 = any free port)");
  cmd->add_option("--bind", f->bind, "Address every listener binds to (default 127.0.0.1)");
  cmd->add_option("--data-dir", f->data_dir,
                  "Where tables and queues are kept (default .lambkin/ beside the template; :memory: keeps tables in memory)");
  cmd->add_flag("--reset", f->reset, "Start with empty tables (drop what earlier runs stored)");
  cmd->add_option("--ready-file", f->ready_file, "Write {\"mqtt\",\"ws\",\"tls\",\"http\",\"aws\",\"aws_url\",\"http_url\",\"pid\"} here once listening");
  cmd->add_option("--timing", f->timing, "Timing profile: aws (AWS's delays) or fast (seconds, for tests)")
      ->check(CLI::IsMember({"aws", "fast"}));
  cmd->add_option("--mqtt-profile", f->mqtt_profile,
                  "MQTT behaviour: aws (AWS IoT Core's rules, the default) or standard (plain MQTT 3.1.1/5)")
      ->check(CLI::IsMember({"aws", "standard"}));
  cmd->add_option("--broker", f->broker,
                  "Bridge mode: use this external MQTT broker (mqtt://host:port or mqtts://host:port) instead of "
                  "lambkin's own; its MQTT listeners are then not started");
  cmd->add_option("--broker-ca", f->broker_ca, "Bridge mode over mqtts://: the CA certificate to trust (PEM; default: the system's)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--log-format", f->log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--color", f->color,
                  "Colour on the terminal: auto (a TTY and no NO_COLOR), always, never (also no status line)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--status", f->status,
                  "The live status line under the log: auto (on a terminal), always (also to a file, for tail -f), never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-watch", f->no_watch,
                "Don't watch the functions' code directories (hot reload: a change makes the next invoke cold)");
  cmd->add_flag("--cpu-scaling", f->cpu_scaling,
                "Give each environment CPU in proportion to MemorySize, as Lambda does (1769 MB = 1 vCPU; needs cgroups)");
  cmd->add_flag("--require-auth", f->require_auth,
                "Require credentials: AWS Signature Version 4 on the AWS endpoint (keys: --credentials, else "
                "lambkin's dummy pair ASIALAMBKINEXAMPLE00 / lambkin/dummy/secret/access/key/0000000000), and MQTT "
                "connections without a client certificate are refused when the template has AWS::IoT::Policy resources");
  cmd->add_option("--credentials", f->credentials,
                  "With --require-auth: the accepted keys, lines ACCESS_KEY_ID:SECRET or an AWS credentials file "
                  "([profile] aws_access_key_id/aws_secret_access_key); functions get the first")
      ->check(CLI::ExistingFile);
  // Not CLI::ExistingFile: lambkin names the file and says why it cannot be read.
  auto* https_cert = cmd->add_option("--https-cert", f->https_cert,
                                     "Serve the AWS endpoint and the HTTP API over HTTPS with this certificate "
                                     "(PEM; see lambkin certs); needs --https-key");
  auto* https_key = cmd->add_option("--https-key", f->https_key, "HTTPS: the private key of --https-cert (PEM)");
  https_cert->needs(https_key);
  https_key->needs(https_cert);
  cmd->add_option("--https-ca", f->https_ca,
                  "HTTPS: the CA bundle that signed --https-cert; Node functions trust it (NODE_EXTRA_CA_CERTS)")
      ->check(CLI::ExistingFile)
      ->needs(https_cert);
  cmd->add_option("--https-client-ca", f->https_client_ca,
                  "HTTPS: mutual TLS on the HTTP API (as API Gateway's): clients must present a certificate "
                  "this CA bundle (PEM) signed")
      ->needs(https_cert);
  cmd->add_option("--log-level", f->log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->callback([f] { set_exit_code(run(*f)); });
}

}  // namespace lambkin::cli
