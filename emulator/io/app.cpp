#include "emulator/io/app.hpp"

#include "emulator/io/http/http_api.hpp"
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/environment_variables.hpp"
#include "emulator/io/lambda/lambda_service.hpp"
#include "emulator/io/mqtt/broker_url.hpp"
#include "emulator/io/mqtt/mqtt_bridge.hpp"
#include "emulator/io/http/aws_direct.hpp"
#include "emulator/io/mqtt/iot_policies.hpp"
#include "emulator/io/mqtt/mqtt_server.hpp"
#include "emulator/io/mqtt/mqtt_tls_listener.hpp"
#include "emulator/io/mqtt/mqtt_ws_listener.hpp"
#include "emulator/io/mqtt/retained_persistence.hpp"
#include "emulator/io/mqtt/session_persistence.hpp"
#include "emulator/io/observe/console_status.hpp"
#include "emulator/io/observe/observatory.hpp"
#include "emulator/io/ready_file.hpp"
#include "emulator/io/rules/rule_engine.hpp"
#include "emulator/io/s3/s3_service.hpp"
#include "emulator/io/store/async_event_store.hpp"
#include "emulator/io/store/data_dir_lock.hpp"
#include "emulator/io/store/table_service.hpp"
#include "lambkin/clock.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <optional>

namespace lambkin::io {
namespace net = boost::asio;
namespace {

/// TEST-ONLY: `LAMBKIN_TEST_CLOCK_OFFSET_MS=N` (N ≥ 0) moves the wall clock that the MQTT
/// persistence reads (session expiry and Will Delay across a restart, stored message expiry, the
/// "alive" heartbeat) N ms forward, so a test can restart lambkin "later" without waiting. Never
/// for real use: `run` warns on stderr when it is set, and refuses a value that is not a number.
/// nullopt = not set; -1 = not a valid offset.
std::optional<std::int64_t> test_clock_offset_ms() {
  static const std::optional<std::int64_t> offset = []() -> std::optional<std::int64_t> {
    const char* v = std::getenv("LAMBKIN_TEST_CLOCK_OFFSET_MS");
    if (v == nullptr) return std::nullopt;
    std::int64_t n = -1;
    const std::string_view text(v);
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (err != std::errc() || end != text.data() + text.size() || n < 0) return -1;
    return n;
  }();
  return offset;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
             .count() +
         std::max<std::int64_t>(0, test_clock_offset_ms().value_or(0));
}

/// The MQTT writers' barrier: the durable async queue's current batch is committed.
net::awaitable<void> flushed(store::async_event_store* queue) { (void)co_await queue->async_flushed(); }

}  // namespace

struct app::impl {
  run_options options;
  net::io_context ioc{1};
  http::endpoint_services services;
  observe::observatory observatory{ioc.get_executor()};
  /// The durable async queue; declared before `lambda`, whose hosts use it, so it outlives them.
  std::unique_ptr<store::async_event_store> async_store;
  std::unique_ptr<lambda::lambda_service> lambda;
  std::unique_ptr<http::http_server> aws;
  std::unique_ptr<http::http_api> http_api;
  std::unique_ptr<http::http_server> http_listener;
  std::unique_ptr<mqtt::mqtt_server> mqtt;
  std::unique_ptr<mqtt::retained_persistence> retained;
  std::unique_ptr<mqtt::session_persistence> sessions;
  std::unique_ptr<mqtt::mqtt_ws_listener> mqtt_ws;
  std::unique_ptr<mqtt::mqtt_tls_listener> mqtt_tls;
  /// Bridge mode (`--broker`): the external broker instead of `mqtt` and its listeners.
  std::unique_ptr<mqtt::mqtt_bridge> bridge;
  /// What the rules engine and the IoT Data API talk to: `mqtt` or `bridge`.
  mqtt::broker_api* broker = nullptr;
  std::unique_ptr<rules::rule_engine> rules;
  std::unique_ptr<store::table_service> tables;
  std::unique_ptr<s3::s3_service> s3;
  /// With `--data-dir :memory:`: the temporary directory standing in for the data directory,
  /// removed however `run` ends.
  std::filesystem::path temp_data_dir;
  bool stopping = false;
  /// One lambkin per data directory on disk (not for :memory:, nor `lambkin invoke`'s one-shot runs).
  std::optional<store::data_dir_lock> data_dir_lock;
  /// The live status line under the log on a terminal, redrawn every second.
  std::optional<net::steady_timer> status_timer;
  observe::console_status status;

  ~impl() {
    std::error_code ec;
    if (!temp_data_dir.empty()) std::filesystem::remove_all(temp_data_dir, ec);
  }

  /// Stops the listeners and the functions, then the io_context once every runtime is gone
  /// (SIGTERM first; process_environment SIGKILLs after its 2 s grace).
  void begin_stop() {
    if (stopping) return;
    stopping = true;
    if (status_timer) {
      status_timer->cancel();
      set_status_line({});
    }
    if (aws) aws->stop();
    if (tables) tables->stop();
    if (http_listener) http_listener->stop();
    if (mqtt_ws) mqtt_ws->stop();
    if (mqtt_tls) mqtt_tls->stop();
    if (mqtt) mqtt->stop();
    if (sessions) sessions->stop();
    if (bridge) bridge->stop();
    if (lambda) lambda->shutdown();
    wait_for_runtimes(std::make_shared<net::steady_timer>(ioc), lambkin::clock::now() + std::chrono::seconds(3));
  }
  void tick_status() {
    if (stopping) return;
    set_status_line(fit_to_terminal(status.line(observe::collect_totals(services), lambkin::clock::now())));
    status_timer->expires_after(std::chrono::seconds(1));
    status_timer->async_wait([this](const boost::system::error_code& ec) {
      if (!ec) tick_status();
    });
  }
  /// Cuts the status to the terminal's width (a wrapped status line could not be redrawn in place).
  static std::string fit_to_terminal(std::string text) {
    winsize ws{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) return text;
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
      if (++columns > ws.ws_col) {
        text.resize(i);
        break;
      }
    }
    return text;
  }
  void wait_for_runtimes(std::shared_ptr<net::steady_timer> timer, time_point give_up) {
    if (!lambda || !lambda->stopping() || lambkin::clock::now() >= give_up) {
      ioc.stop();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(10));
    timer->async_wait([this, timer, give_up](const boost::system::error_code&) { wait_for_runtimes(timer, give_up); });
  }
};

app::app(run_options options) : impl_(std::make_unique<impl>()) { impl_->options = std::move(options); }
app::~app() = default;

void app::stop() {
  net::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

int app::run() {
  auto& o = impl_->options;
  auto log = logger("lambkin");
  boost::system::error_code ec;
  const auto address = net::ip::make_address(o.bind, ec);
  if (ec) {
    log->error("--bind {}: not an IP address", o.bind);
    return 1;
  }
  if (const auto offset = test_clock_offset_ms()) {
    if (*offset < 0) {
      log->error("LAMBKIN_TEST_CLOCK_OFFSET_MS={}: not a number of milliseconds >= 0", std::getenv("LAMBKIN_TEST_CLOCK_OFFSET_MS"));
      return 1;
    }
    log->warn("LAMBKIN_TEST_CLOCK_OFFSET_MS={}: TEST ONLY, the wall clock of the MQTT session and retained-message "
              "persistence runs {} ms ahead",
              *offset, *offset);
  }
  if (!address.is_loopback())
    log->warn("--bind {}: every listener is reachable from other machines, and they do not authenticate "
              "HTTP clients (the default, 127.0.0.1, is this machine only)",
              o.bind);
  const bool tables_in_memory = o.data_dir == ":memory:";
  if (tables_in_memory) {  // tables in memory; function /tmp dirs and versions in a temporary directory
    auto pattern = (std::filesystem::temp_directory_path() / "lambkin-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
      log->error("--data-dir :memory:: cannot create a temporary directory");
      return 1;
    }
    o.data_dir = impl_->temp_data_dir = pattern;
  }
  if (!o.data_dir.empty()) {
    std::error_code fec;
    std::filesystem::create_directories(o.data_dir, fec);
    if (fec) {
      log->error("--data-dir {}: {}", o.data_dir.string(), fec.message());
      return 1;
    }
    if (!tables_in_memory && !o.one_shot) {
      std::string why;
      impl_->data_dir_lock = store::data_dir_lock::acquire(o.data_dir, why);
      if (!impl_->data_dir_lock) {
        log->error("{}", why);
        return 1;
      }
    }
  }

  try {
    store::store_options so;
    so.path = tables_in_memory || o.data_dir.empty() ? ":memory:" : (o.data_dir / "tables.sqlite3").string();
    so.reset = o.reset;
    if (o.tmpl) {
      so.region = o.tmpl->settings.region;
      so.account_id = o.tmpl->settings.account_id;
    }
    impl_->tables = std::make_unique<store::table_service>(impl_->ioc.get_executor(), std::move(so));
    if (o.tmpl) impl_->tables->create_template_tables(*o.tmpl);
    impl_->tables->start();
    impl_->services.tables = &impl_->tables->store();
  } catch (const std::exception& e) {
    log->error("table store: {}", e.what());
    return 1;
  }
  try {  // the durable async queue: same code path in memory and on disk
    // `lambkin invoke` (one_shot) shares the data directory of `lambkin run` but not its queue.
    const auto path = tables_in_memory || o.data_dir.empty() || o.one_shot ? ":memory:"
                                                                           : (o.data_dir / "durable.sqlite3").string();
    impl_->async_store = std::make_unique<store::async_event_store>(impl_->ioc.get_executor(), path, o.reset);
  } catch (const std::exception& e) {
    log->error("durable async queue: {}", e.what());
    return 1;
  }

  try {  // S3: objects under <data-dir>/s3 (with :memory:, the temporary directory removed at exit)
    if (o.data_dir.empty()) {
      auto pattern = (std::filesystem::temp_directory_path() / "lambkin-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
      o.data_dir = impl_->temp_data_dir = pattern;
    }
    s3::s3_settings ss;
    ss.root = o.data_dir / "s3";
    ss.reset = o.reset;
    if (o.tmpl) {
      ss.region = o.tmpl->settings.region;
      ss.account_id = o.tmpl->settings.account_id;
    }
    impl_->s3 = std::make_unique<s3::s3_service>(impl_->ioc.get_executor(), std::move(ss));
    if (o.tmpl) impl_->s3->load(*o.tmpl);
    impl_->services.s3 = impl_->s3.get();
  } catch (const std::exception& e) {
    log->error("S3 store: {}", e.what());
    return 1;
  }

  o.status.started = lambkin::clock::now();
  impl_->services.observe = &impl_->observatory;
  if (o.require_auth && o.access_keys.empty())
    o.access_keys.push_back({std::string(lambda::dummy_access_key), std::string(lambda::dummy_secret_key)});
  auto aws_handler = http::make_aws_endpoint(o.status, impl_->services);
  if (o.require_auth) {
    aws_handler = http::require_sigv4(std::move(aws_handler), o.access_keys);
    log->info("--require-auth: the AWS endpoint takes only SigV4 requests signed with {} configured key(s)",
              o.access_keys.size());
  }
  std::shared_ptr<net::ssl::context> https;  // --https-cert/--https-key: HTTPS on the AWS endpoint and HTTP API
  if (!o.https_cert.empty() || !o.https_key.empty()) {
    if (o.https_cert.empty() || o.https_key.empty()) {
      log->error("--https-cert and --https-key go together (PEM files; see lambkin certs)");
      return 1;
    }
    std::string why;
    https = http::make_https_context(o.https_cert.string(), o.https_key.string(), why);
    if (!https) {
      log->error("{}", why);
      return 1;
    }
  }
  const std::string scheme = https ? "https" : "http";
  auto aws_options = http::aws_endpoint_options();
  aws_options.tls = https;
  impl_->aws = std::make_unique<http::http_server>(impl_->ioc.get_executor(), "aws", std::move(aws_handler),
                                                   std::move(aws_options));
  if (auto lec = impl_->aws->listen({address, o.aws_port})) {
    log->error("AWS endpoint: cannot listen on {}:{}: {}", o.bind, o.aws_port, lec.message());
    return 1;
  }
  impl_->aws->start();
  log->info("AWS endpoint listening on {}://{}:{}", scheme, o.bind, impl_->aws->port());

  const auto profile = mqtt::profile_named(o.mqtt_profile);
  if (!profile) {
    log->error("--mqtt-profile {}: expected aws or standard", o.mqtt_profile);
    return 1;
  }
  if (!o.broker.empty()) {  // bridge mode: no MQTT listener of our own
    std::string why;
    auto target = mqtt::parse_broker_url(o.broker, why);
    if (!target) {
      log->error("--broker {}: {}", o.broker, why);
      return 1;
    }
    if (!o.tls_cert.empty()) log->warn("--tls-cert/--tls-key/--tls-ca are ignored with --broker: lambkin serves no MQTT itself");
    mqtt::bridge_options bo;
    bo.ca_file = o.broker_ca;
    impl_->bridge = std::make_unique<mqtt::mqtt_bridge>(impl_->ioc.get_executor(), *profile, std::move(*target), bo);
    impl_->broker = impl_->bridge.get();
    impl_->services.broker = impl_->broker;
  } else {
    impl_->mqtt = std::make_unique<mqtt::mqtt_server>(impl_->ioc.get_executor(), *profile, o.bind, o.mqtt_port);
    if (auto mec = impl_->mqtt->listen()) {
      log->error("MQTT: cannot listen on {}:{}: {}", o.bind, o.mqtt_port, mec.message());
      return 1;
    }
    {  // retained messages of an earlier run; from now on every change is stored
      impl_->retained = std::make_unique<mqtt::retained_persistence>(impl_->mqtt->broker(), *impl_->async_store);
      const auto restored = impl_->retained->restore(lambkin::clock::now(), wall_ms());
      if (restored > 0) log->info("restored {} retained MQTT messages", restored);
      // persistent sessions of an earlier run (subscriptions, queued and in-flight QoS 1/2 messages)
      impl_->sessions = std::make_unique<mqtt::session_persistence>(impl_->ioc.get_executor(), impl_->mqtt->broker(),
                                                                    *impl_->async_store, wall_ms);
      mqtt::core::broker_output_list out;
      const auto sessions = impl_->sessions->restore(lambkin::clock::now(), out);
      impl_->mqtt->execute_outputs(out);
      if (sessions.restored > 0 || sessions.expired > 0)
        log->info("restored {} persistent MQTT sessions ({} expired while lambkin was stopped)", sessions.restored,
                  sessions.expired);
      auto* retained = impl_->retained.get();
      auto* persistent = impl_->sessions.get();
      impl_->mqtt->set_after_input([retained, persistent] {
        retained->sync(lambkin::clock::now(), wall_ms());
        persistent->sync();
      });
    }
    if (o.tmpl)
      if (auto policies = mqtt::make_policy_store(*o.tmpl, o.require_auth)) {
        impl_->mqtt->broker().set_authorizer(policies);
        log->info("AWS IoT policies: {} enforced on client-certificate connections{}", o.tmpl->iot_policies.size(),
                  o.require_auth ? "; --require-auth: connections without one are refused" : "");
      }
    impl_->mqtt->start();
    log->info("MQTT broker ({} profile) listening on mqtt://{}:{}", o.mqtt_profile, o.bind, impl_->mqtt->port());
    impl_->services.mqtt = impl_->mqtt.get();
    impl_->broker = impl_->mqtt.get();
    impl_->services.broker = impl_->broker;
    impl_->mqtt_ws = std::make_unique<mqtt::mqtt_ws_listener>(impl_->ioc.get_executor(), *impl_->mqtt, o.bind, o.ws_port);
    if (auto wec = impl_->mqtt_ws->listen()) {
      log->error("MQTT over WebSocket: cannot listen on {}:{}: {}", o.bind, o.ws_port, wec.message());
      return 1;
    }
    impl_->mqtt_ws->start();
    log->info("MQTT over WebSocket listening on ws://{}:{}/mqtt", o.bind, impl_->mqtt_ws->port());
    if (!o.tls_cert.empty() && !o.tls_key.empty() && !o.tls_ca.empty()) {
      impl_->mqtt_tls = std::make_unique<mqtt::mqtt_tls_listener>(impl_->ioc.get_executor(), *impl_->mqtt, o.bind, o.tls_port,
                                                                  mqtt::tls_files{o.tls_cert, o.tls_key, o.tls_ca});
      if (auto err = impl_->mqtt_tls->load()) {
        log->error("MQTT over TLS: {}", *err);
        return 1;
      }
      if (auto tec = impl_->mqtt_tls->listen()) {
        log->error("MQTT over TLS: cannot listen on {}:{}: {}", o.bind, o.tls_port, tec.message());
        return 1;
      }
      impl_->mqtt_tls->start();
      log->info("MQTT over TLS (client certificates) listening on mqtts://{}:{}", o.bind, impl_->mqtt_tls->port());
    }
  }

  if (o.tmpl && !o.tmpl->functions.empty()) {
    lambda::host_settings hs;
    hs.region = o.tmpl->settings.region;
    hs.account_id = o.tmpl->settings.account_id;
    hs.aws_endpoint_url = scheme + "://127.0.0.1:" + std::to_string(impl_->aws->port());
    if (https && !o.https_ca.empty()) hs.node_extra_ca_certs = std::filesystem::absolute(o.https_ca).string();
    if (!o.access_keys.empty()) {
      hs.access_key_id = o.access_keys.front().id;
      hs.secret_access_key = o.access_keys.front().secret;
    }
    hs.runtime_dir = o.runtime_dir;
    hs.tmp_root = o.data_dir / "tmp";
    hs.timing = o.tmpl->settings.timing;
    hs.idle_retention = o.tmpl->settings.idle_retention;
    hs.json_logs = o.json_logs;
    hs.watch_code = o.watch_code;
    hs.versions_root = o.data_dir / "versions";
    hs.observer = &impl_->observatory;
    if (o.cpu_scaling) {
      std::string why;
      hs.cpu = lambda::cpu_cgroups::open(why);
      if (!hs.cpu) log->warn("--cpu-scaling: no effect, every environment gets all the CPU: {}", why);
    }
    hs.inprocess = o.inprocess_functions;
    hs.aws_direct = http::make_aws_direct(http::make_aws_endpoint(o.status, impl_->services));
    hs.async_store = impl_->async_store.get();
    if (!o.data_dir.empty()) hs.watch_exclude.push_back(std::filesystem::absolute(o.data_dir));
    std::error_code tec;
    std::filesystem::remove_all(hs.versions_root, tec);  // published versions of an earlier run
    std::filesystem::remove_all(hs.tmp_root, tec);       // environments of an earlier run
    std::filesystem::create_directories(hs.tmp_root, tec);
    if (tec) {
      log->error("{}: {}", hs.tmp_root.string(), tec.message());
      return 1;
    }
    impl_->lambda = std::make_unique<lambda::lambda_service>(impl_->ioc.get_executor(), *o.tmpl, hs);
    std::string failed;
    if (auto lec = impl_->lambda->start(&failed)) {
      log->error("function {}: its reserved or provisioned concurrency does not fit the account ({} of {}, "
                 "at least {} unreserved)",
                 failed, "concurrency", o.tmpl->settings.account_concurrency, o.tmpl->settings.unreserved_minimum);
      return 1;
    }
    impl_->services.lambda = impl_->lambda.get();
    impl_->s3->set_functions(impl_->lambda.get());
  }

  if (impl_->lambda && http::http_api::has_routes(*o.tmpl)) {
    impl_->http_api = std::make_unique<http::http_api>(*impl_->lambda, *o.tmpl);
    auto http_options = impl_->http_api->make_server_options();
    http_options.tls = https;
    impl_->http_listener = std::make_unique<http::http_server>(impl_->ioc.get_executor(), "http", impl_->http_api->make_handler(),
                                                      std::move(http_options));
    if (auto hec = impl_->http_listener->listen({address, o.http_port})) {
      log->error("HTTP API: cannot listen on {}:{}: {}", o.bind, o.http_port, hec.message());
      return 1;
    }
    impl_->http_api->set_port(impl_->http_listener->port());
    impl_->http_api->set_scheme(scheme);
    impl_->http_listener->start();
    log->info("HTTP API listening on {}://{}:{} ({} routes)", scheme, o.bind, impl_->http_listener->port(), o.tmpl->routes.size());
  }

  {
    rules::engine_settings rs;
    if (o.tmpl) {
      rs.account_id = o.tmpl->settings.account_id;
      rs.region = o.tmpl->settings.region;
    }
    impl_->rules = std::make_unique<rules::rule_engine>(impl_->ioc.get_executor(), *impl_->broker, impl_->lambda.get(),
                                                        http::make_aws_endpoint(o.status, impl_->services), rs);
    if (o.tmpl) {
      if (auto err = impl_->rules->load(o.tmpl->rules)) {
        log->error("{}: {}", o.tmpl->source.string(), *err);
        return 1;
      }
    }
    auto* engine = impl_->rules.get();
    impl_->broker->set_listener_sink([engine](const auto& m) { engine->on_message(m); });
    impl_->broker->set_rule_sink([engine](const auto& m) { engine->on_ingest(m); });
    if (impl_->mqtt) {  // PUBACKs wait for the durable async queue's commit
      auto* queue = impl_->async_store.get();
      impl_->mqtt->set_write_barrier({[queue] { return queue->pending(); }, [queue] { return flushed(queue); },
                                      [queue] { return queue->failed_commits(); }});
    }
    impl_->services.rules = engine;
  }

  std::optional<net::signal_set> signals;
  if (o.handle_signals) {
    signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    signals->async_wait([this, log](const boost::system::error_code& sec, int sig) {
      if (sec) return;
      log->info("{} received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
      impl_->begin_stop();
    });
  }

  ready_ports ports;
  ports.aws = impl_->aws->port();
  if (impl_->mqtt) ports.mqtt = impl_->mqtt->port();
  if (impl_->mqtt_ws) ports.ws = impl_->mqtt_ws->port();
  if (impl_->mqtt_tls) ports.tls = impl_->mqtt_tls->port();
  if (impl_->http_listener) ports.http = impl_->http_listener->port();
  {  // URLs as clients write them: a wildcard bind is reached on loopback
    const std::string host = address.is_unspecified() ? "127.0.0.1" : address.is_v6() ? "[" + o.bind + "]" : o.bind;
    ports.aws_url = scheme + "://" + host + ":" + std::to_string(*ports.aws);
    if (ports.http) ports.http_url = scheme + "://" + host + ":" + std::to_string(*ports.http);
  }
  // Tells the embedding API and the ready file that everything is up; false if the file cannot
  // be written.
  auto announce = [this, log, &o](const ready_ports& p) {
    if (o.on_ready) net::post(impl_->ioc, [cb = o.on_ready, p] { cb(p); });
    if (o.ready_file) {
      if (auto wec = write_ready_file(*o.ready_file, p, static_cast<long>(::getpid()))) {
        log->error("--ready-file {}: {}", o.ready_file->string(), wec.message());
        return false;
      }
    }
    return true;
  };
  int exit_code = 0;
  if (impl_->bridge) {
    // Ready once the first connection attempt settled: subscribed (or failed, retries going on).
    ports.broker = impl_->bridge->target().display();
    impl_->bridge->start([this, announce, ports, &exit_code](bool connected) mutable {
      ports.broker_connected = connected;
      if (!announce(ports)) {
        exit_code = 1;
        impl_->begin_stop();
      }
    });
  } else if (!announce(ports)) {
    return 1;
  }

  if (o.live_status && console_is_live()) {
    impl_->status_timer.emplace(impl_->ioc);
    impl_->tick_status();
  }
  if (o.one_shot) {
    if (!impl_->lambda) {
      log->error("the template defines no function");
      return 1;
    }
    net::co_spawn(
        impl_->ioc,
        [this, &exit_code, task = o.one_shot]() -> net::awaitable<void> {
          exit_code = co_await task(*impl_->lambda);
          impl_->begin_stop();
        },
        net::detached);
  }

  impl_->ioc.run();
  impl_->services.lambda = nullptr;
  impl_->services.mqtt = nullptr;
  impl_->services.broker = nullptr;
  impl_->services.rules = nullptr;
  impl_->services.tables = nullptr;
  impl_->services.s3 = nullptr;
  if (impl_->s3) impl_->s3->set_functions(nullptr);
  impl_->rules.reset();   // its broker listeners go first
  impl_->bridge.reset();
  impl_->http_listener.reset();
  impl_->http_api.reset();
  impl_->lambda.reset();  // kills and reaps whatever is still running
  impl_->mqtt_ws.reset();  // before the broker they hand connections to
  impl_->mqtt_tls.reset();
  impl_->sessions.reset();  // writes the sessions' last changes while the broker is still there
  impl_->mqtt.reset();
  impl_->retained.reset();
  impl_->async_store.reset();  // commits what is still queued (after the broker: it holds PUBACKs behind it)
  impl_->aws.reset();
  impl_->tables.reset();
  impl_->s3.reset();
  log->info("stopped");
  return exit_code;
}

}  // namespace lambkin::io
