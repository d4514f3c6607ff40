// lambkin-devices: a fleet of simulated temperature sensors publishing over MQTT.
//
//   lambkin-devices --host 127.0.0.1 --port 1883 --devices 50 --rate 500 --duration 30 --qos 1 --json
//
// Each device is its own MQTT connection (client id dev-1, dev-2, …) publishing
// `{"temperature":21.53,"humidity":41.2,"battery":97,"seq":123}` to things/<id>/temperature.
// --rate is the TOTAL readings per second over the fleet, spread evenly (device_fleet.hpp).
// Exit codes: 0 when every scheduled reading was sent (and, at QoS 1, acknowledged); 1 when some
// failed; 2 when the broker cannot be reached or refuses a device; 64 for bad arguments.
#include "tools/devices/device_fleet.hpp"
#include "tools/devices/report.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <future>
#include <iostream>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace lambkin::devices;

/// One connection per device: lift the soft open-file limit to the hard one, so a few thousand
/// devices fit (the default soft limit is often 1024).
std::atomic<bool> interrupted{false};

/// Ctrl-C / SIGTERM: stop publishing, still drain and print the summary.
void on_signal(int) { interrupted.store(true); }

void raise_open_file_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

int main(int argc, char** argv) {
  fleet_options o;
  bool json = false;
  double connect_timeout_s = 10, drain_timeout_s = 10;
  CLI::App app{"lambkin-devices: simulated temperature sensors publishing over MQTT"};
  app.add_option("--host", o.host, "Broker address")->capture_default_str();
  app.add_option("--port", o.port, "Broker port")->capture_default_str()->check(CLI::Range(1, 65535));
  app.add_option("--devices", o.devices, "How many devices (one MQTT connection each)")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--rate", o.rate, "Readings per second over the WHOLE fleet, spread evenly")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration, "Seconds to publish for")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--qos", o.qos, "0, or 1 to count PUBACKs")->capture_default_str()->check(CLI::IsMember({0, 1}));
  app.add_option("--topic-prefix", o.topic_prefix, "Topics are <prefix>/<device id>/temperature")->capture_default_str();
  app.add_option("--client-id-prefix", o.client_id_prefix, "Device ids (and client ids) are <prefix><n>, n from 1")
      ->capture_default_str();
  app.add_option("--seed", o.model.seed, "Seed of the readings (same seed, same readings)")->capture_default_str();
  app.add_option("--spike-probability", o.model.spike_probability, "Chance a reading starts a spike over 30 °C")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app.add_option("--alert-threshold", o.alert_threshold, "Readings above it are counted in the summary")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Worker threads (0: min(devices, CPUs, 4))")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--keepalive", o.keepalive, "MQTT keep-alive, seconds")->capture_default_str();
  app.add_option("--connect-timeout", connect_timeout_s, "Seconds to wait for every CONNACK")->capture_default_str();
  app.add_option("--drain-timeout", drain_timeout_s, "Seconds to wait for missing PUBACKs at the end")
      ->capture_default_str();
  app.add_flag("--json", json, "Print the summary as one JSON line on stdout");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 64;
  }
  o.connect_timeout = std::chrono::milliseconds(static_cast<long>(connect_timeout_s * 1000));
  o.drain_timeout = std::chrono::milliseconds(static_cast<long>(drain_timeout_s * 1000));
  raise_open_file_limit();
  std::signal(SIGPIPE, SIG_IGN);  // a broker that closes on us is an error value, not a fatal signal
  o.stop = &interrupted;

  device_fleet fleet(o);
  if (auto error = fleet.connect()) {
    std::fprintf(stderr, "lambkin-devices: %s\n", error->c_str());
    return 2;
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since = [](auto t) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(); };
  auto done = std::async(std::launch::async, [&fleet] { return fleet.run(); });
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  // The progress line: only on a terminal, redrawn in place four times a second.
  while (done.wait_for(std::chrono::milliseconds(250)) != std::future_status::ready)
    if (tty) std::fprintf(stderr, "\r%s\033[K", progress_line(fleet.progress(), fleet.total(), seconds_since(start)).c_str());
  const auto counts = done.get();
  const double elapsed = seconds_since(start);
  if (tty) std::fprintf(stderr, "\r\033[K");

  const run_summary summary{o, counts, fleet.total(), elapsed};
  if (json)
    std::cout << summary_json(summary) << std::endl;
  else
    std::cout << summary_text(summary) << std::flush;
  return counts.failed == 0 && counts.sent == fleet.total() ? 0 : 1;
}
