#include "emulator/io/app.hpp"

#include "emulator/io/app_impl.hpp"
#include "emulator/io/busy_poll.hpp"
#include "emulator/io/ready_file.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace lambkin::io {
namespace net = boost::asio;

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

app::app(run_options options) : impl_(std::make_unique<impl>()) { impl_->options = std::move(options); }
app::~app() = default;

void app::stop() {
  net::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

int app::run() {
  auto& o = impl_->options;
  auto log = logger("lambkin");
  boost::system::error_code ec;
  impl_->address = net::ip::make_address(o.bind, ec);
  if (ec) {
    log->error("--bind {}: not an IP address", o.bind);
    return 1;
  }
  if (!impl_->address.is_loopback())
    log->warn(
        "--bind {}: every listener is reachable from other machines, and they do not authenticate "
        "HTTP clients (the default, 127.0.0.1, is this machine only)",
        o.bind);
  if (const auto offset = test_clock_offset_ms()) {
    if (*offset < 0) {
      log->error("LAMBKIN_TEST_CLOCK_OFFSET_MS={}: not a number of milliseconds >= 0",
                 std::getenv("LAMBKIN_TEST_CLOCK_OFFSET_MS"));
      return 1;
    }
    log->warn(
        "LAMBKIN_TEST_CLOCK_OFFSET_MS={}: TEST ONLY, the wall clock of the MQTT session and retained-message "
        "persistence runs {} ms ahead",
        *offset, *offset);
  }
  if (!impl_->open_stores() || !impl_->start_aws_endpoint() || !impl_->start_mqtt() || !impl_->start_functions() ||
      !impl_->start_http_api() || !impl_->start_rules())
    return 1;

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
    const std::string host = impl_->address.is_unspecified() ? "127.0.0.1"
                             : impl_->address.is_v6()        ? "[" + o.bind + "]"
                                                             : o.bind;
    ports.aws_url = impl_->scheme + "://" + host + ":" + std::to_string(*ports.aws);
    if (ports.http) ports.http_url = impl_->scheme + "://" + host + ":" + std::to_string(*ports.http);
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

  busy_poll::run(impl_->ioc, busy_poll::budget());
  impl_->services.lambda = nullptr;
  impl_->services.mqtt = nullptr;
  impl_->services.broker = nullptr;
  impl_->services.rules = nullptr;
  impl_->services.tables = nullptr;
  impl_->services.s3 = nullptr;
  if (impl_->s3) impl_->s3->set_functions(nullptr);
  impl_->rules.reset();  // its broker listeners go first
  impl_->bridge.reset();
  impl_->http_listener.reset();
  impl_->http_api.reset();
  impl_->lambda.reset();   // kills and reaps whatever is still running
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
