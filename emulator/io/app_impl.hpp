#pragma once
// app's insides, private to emulator/io: every service `lambkin run` starts, and its start-up steps,
// each in the file of its side (app_stores.cpp, app_http.cpp, app_mqtt.cpp, app_functions.cpp).
// app.cpp runs them in order, announces readiness and stops everything.
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

#include <chrono>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace lambkin::io {

/// TEST-ONLY: `LAMBKIN_TEST_CLOCK_OFFSET_MS=N` (N ≥ 0) moves the wall clock that the MQTT
/// persistence reads (session expiry and Will Delay across a restart, stored message expiry, the
/// "alive" heartbeat) N ms forward, so a test can restart lambkin "later" without waiting. Never
/// for real use: `run` warns on stderr when it is set, and refuses a value that is not a number.
/// nullopt = not set; -1 = not a valid offset.
std::optional<std::int64_t> test_clock_offset_ms();

/// Milliseconds since the epoch on the wall clock (what persisted state is stamped with), plus the
/// test-only offset above.
std::int64_t wall_ms();

struct app::impl {
  run_options options;
  boost::asio::io_context ioc{1};
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
  /// `--bind`'s address, every listener's.
  boost::asio::ip::address address;
  /// --https-cert/--https-key: HTTPS on the AWS endpoint and the HTTP API (null: plain HTTP).
  std::shared_ptr<boost::asio::ssl::context> https;
  /// The HTTP API's TLS context: `https`, or with --https-client-ca its own that verifies clients.
  std::shared_ptr<boost::asio::ssl::context> https_api;
  std::string scheme = "http";

  // Start-up, in this order; each returns false after logging why lambkin cannot start.
  bool open_stores();         // app_stores.cpp: data directory, tables, durable queue, S3
  bool start_aws_endpoint();  // app_http.cpp
  bool start_mqtt();          // app_mqtt.cpp: own broker and listeners, or the bridge
  bool start_functions();     // app_functions.cpp
  bool start_http_api();      // app_http.cpp
  bool start_rules();         // app_functions.cpp
  /// One lambkin per data directory on disk (not for :memory:, nor `lambkin invoke`'s one-shot runs).
  std::optional<store::data_dir_lock> data_dir_lock;
  /// The live status line under the log on a terminal, redrawn every second.
  std::optional<boost::asio::steady_timer> status_timer;
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
    wait_for_runtimes(std::make_shared<boost::asio::steady_timer>(ioc),
                      lambkin::clock::now() + std::chrono::seconds(3));
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
  void wait_for_runtimes(std::shared_ptr<boost::asio::steady_timer> timer, time_point give_up) {
    if (!lambda || !lambda->stopping() || lambkin::clock::now() >= give_up) {
      ioc.stop();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(10));
    timer->async_wait([this, timer, give_up](const boost::system::error_code&) { wait_for_runtimes(timer, give_up); });
  }
};

}  // namespace lambkin::io
