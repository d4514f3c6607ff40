// pipeline_inproc_bench: the temperature pipeline end to end with an in-process C++ store function
// (issue 8: "at least 20,000 readings/s with an in-process C++ store function" on 2 cores).
//
//   build/bench/pipeline_inproc_bench [SECONDS=10] [RATES="5000 10000 20000"] [DEVICES=50] [direct|http]
//
// lambkin is embedded (include/lambkin/emulator.hpp) on examples/temperature/template.yaml, with
// its StoreTemperature replaced by the C++ one of examples/temperature/inprocess (PutItem through
// `call_aws`, i.e. lambkin's DynamoDB handler without a socket, or with `http` over a keep-alive
// HTTP connection per environment). Everything else is the template's: the rule
// `SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature'`, the
// async invoke, StoreTemperature's reserved concurrency of 2, the table on SQLite (in memory).
//
// Publisher: libmosquitto, 4 connections (one thread each, no loop thread), QoS 1, DEVICES topics things/dev-<n>/temperature, paced
// to RATE messages/s for SECONDS. Each reading's temperature encodes its number, so the bench
// knows when each one was published (before mosquitto_publish) and stored (after its PutItem
// returned 200, in the function): publish-to-stored latency on one steady clock, in µs.
// "stored" is then checked against the table (Scan COUNT); "lost" = acknowledged − stored.
// stored/s = stored ÷ (first publish → last stored).
//
// Floor, same run, same publisher and rate: an embedded lambkin whose template has no rule and no
// function (MQTT QoS 1 into lambkin's broker alone): acknowledged/s. Ratio = stored/s ÷ that.
#include <lambkin/emulator.hpp>

#include "bench_stats.hpp"
#include "table_count.hpp"
#include "examples/temperature/inprocess/store_temperature.hpp"

#include <mosquitto.h>

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using lambkin::bench::wall;
using namespace std::chrono_literals;

constexpr int connections = 4;
constexpr double base_temperature = 10.0;
constexpr double step = 1e-4;  // reading k of a device has temperature 10 + k·1e-4 (below the alert threshold)

struct publish_result {
  std::size_t sent = 0, acked = 0;
  wall::time_point first{}, last{};
  double elapsed_s() const { return std::chrono::duration<double>(last - first).count(); }
};

/// Publishes `total` readings at `rate`/s over `connections` libmosquitto clients; `sent_at[i]`
/// is when reading i was handed to mosquitto_publish.
///
/// Each connection is driven by its own thread, without libmosquitto's loop thread, the way
/// lambkin-devices drives its devices (tools/devices/fleet_worker.cpp): mosquitto_publish writes
/// to the socket from the calling thread, and the same thread polls the socket for the PUBACKs
/// (mosquitto_loop_read) while it waits for the next reading to fall due. With the loop thread
/// (mosquitto_loop_start), every publish also wrote to libmosquitto's internal socket pair and
/// woke that thread to send it: ~twice the CPU per reading, taken from the same two cores as the
/// pipeline under test.
publish_result publish(std::uint16_t port, std::size_t total, double rate, int devices, std::vector<wall::time_point>& sent_at) {
  struct client {
    mosquitto* m = nullptr;
    int fd = -1;
    bool connected = false;
    std::atomic<std::size_t> acked = 0;
  };
  std::vector<std::unique_ptr<client>> clients;
  const auto service = [](client& cl, int timeout_ms) {
    pollfd p{cl.fd, static_cast<short>(POLLIN | (mosquitto_want_write(cl.m) ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, timeout_ms) > 0) {
      if (p.revents & (POLLIN | POLLERR | POLLHUP)) mosquitto_loop_read(cl.m, 1);
      if (p.revents & POLLOUT) mosquitto_loop_write(cl.m, 1);
    }
    mosquitto_loop_misc(cl.m);
  };
  for (int c = 0; c < connections; ++c) {
    auto cl = std::make_unique<client>();
    cl->m = mosquitto_new(("bench-" + std::to_string(c)).c_str(), true, cl.get());
    mosquitto_max_inflight_messages_set(cl->m, 1000);
    mosquitto_connect_callback_set(cl->m, [](mosquitto*, void* self, int rc) { static_cast<client*>(self)->connected = rc == 0; });
    mosquitto_publish_callback_set(cl->m, [](mosquitto*, void* self, int) { ++static_cast<client*>(self)->acked; });
    if (mosquitto_connect(cl->m, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS) {
      std::fprintf(stderr, "cannot connect to the broker on port %u\n", port);
      std::exit(1);
    }
    cl->fd = mosquitto_socket(cl->m);
    const auto give_up = wall::now() + 10s;
    while (!cl->connected && cl->fd >= 0 && wall::now() < give_up) service(*cl, 10);
    if (!cl->connected) {
      std::fprintf(stderr, "no CONNACK from the broker on port %u\n", port);
      std::exit(1);
    }
    clients.push_back(std::move(cl));
  }
  publish_result r;
  r.first = wall::now();
  const auto give_up = r.first + std::chrono::duration_cast<wall::duration>(std::chrono::duration<double>(total / rate)) + 30s;
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      auto& cl = *clients[static_cast<std::size_t>(c)];
      char payload[64];
      char topic[64];
      std::size_t mine = 0;
      std::size_t i = static_cast<std::size_t>(c);
      const auto due = [&](std::size_t k) {
        return r.first + std::chrono::duration_cast<wall::duration>(std::chrono::duration<double>(k / rate));
      };
      for (;;) {
        // Paced with 1 ms granularity (as lambkin-devices): what is due within the next ms goes now,
        // so the thread wakes ~1,000 times/s rather than once per reading.
        const auto now = wall::now();
        for (; i < total && due(i) - now <= 1ms; i += connections) {
          const auto device = static_cast<int>(i % static_cast<std::size_t>(devices));
          const auto k = i / static_cast<std::size_t>(devices);
          std::snprintf(topic, sizeof topic, "things/dev-%d/temperature", device);
          const int n = std::snprintf(payload, sizeof payload, "{\"temperature\":%.4f}",
                                      base_temperature + static_cast<double>(k) * step);
          sent_at[i] = wall::now();
          mosquitto_publish(cl.m, nullptr, topic, n, payload, 1, false);
          ++mine;
        }
        if ((i >= total && cl.acked >= mine) || now > give_up || cl.fd < 0) break;
        int timeout_ms = 1;
        if (i < total) {
          // Rounded up: a wait shorter than a millisecond must not become a busy poll.
          const auto wait = std::chrono::ceil<std::chrono::milliseconds>(due(i) - 1ms - wall::now());
          timeout_ms = static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, 1));
        }
        service(cl, timeout_ms);
      }
    });
  }
  for (auto& t : threads) t.join();
  r.sent = total;
  r.last = wall::now();
  for (auto& cl : clients) r.acked += cl->acked;
  for (auto& cl : clients) {
    mosquitto_disconnect(cl->m);
    for (int k = 0; k < 100 && mosquitto_want_write(cl->m); ++k) mosquitto_loop_write(cl->m, 1);
    mosquitto_destroy(cl->m);
  }
  return r;
}

struct run_result {
  publish_result pub;
  std::size_t stored = 0, counted = 0;
  double stored_per_s = 0;
  lambkin::bench::latency_summary latency_ms;
};

run_result run_pipeline(double rate, double seconds, int devices, lambkin::examples::transport how) {
  const auto total = static_cast<std::size_t>(rate * seconds);
  std::vector<wall::time_point> sent_at(total), stored_at(total);
  std::atomic<std::size_t> stored = 0;
  auto inner = lambkin::examples::store_temperature(how);
  lambkin::inprocess_function f;
  f.handler = [&, inner_handler = inner.handler](const std::string& event, const lambkin::invocation_context& ctx) {
    auto response = inner_handler(event, ctx);  // {"deviceId":"dev-N","ts":…,"temperature":T}
    const auto now = wall::now();
    const auto dev = response.find("dev-");
    const auto t = response.find("\"temperature\":");
    const auto device = std::stoul(response.substr(dev + 4));
    const auto k = std::llround((std::stod(response.substr(t + 14)) - base_temperature) / step);
    const auto i = static_cast<std::size_t>(k) * static_cast<std::size_t>(devices) + device;
    if (i < stored_at.size()) stored_at[i] = now;
    ++stored;
    return response;
  };
  lambkin::emulator lk({.template_file = LAMBKIN_SOURCE_DIR "/examples/temperature/template.yaml",
                        .timing = "",
                        .functions = {{"StoreTemperature", f}}});
  run_result r;
  r.pub = publish(lk.mqtt_port(), total, rate, devices, sent_at);
  // The async queue drains after the last PUBACK: wait until every acknowledged reading is
  // stored, or until nothing moves for 10 s.
  auto last_progress = wall::now();
  std::size_t seen = stored;
  while (stored < r.pub.acked && wall::now() - last_progress < 10s) {
    std::this_thread::sleep_for(1ms);
    if (stored != seen) {
      seen = stored;
      last_progress = wall::now();
    }
  }
  r.stored = stored;
  r.counted = lambkin::bench::count_items(lk.aws_port(), "TemperatureReadings");
  wall::time_point last_stored = r.pub.first;
  std::vector<double> latency;
  latency.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    if (stored_at[i] == wall::time_point{}) continue;
    last_stored = std::max(last_stored, stored_at[i]);
    latency.push_back(std::chrono::duration<double, std::milli>(stored_at[i] - sent_at[i]).count());
  }
  r.latency_ms = lambkin::bench::summarize(latency);
  r.stored_per_s = static_cast<double>(r.counted) / std::chrono::duration<double>(last_stored - r.pub.first).count();
  return r;
}

publish_result run_floor(double rate, double seconds, int devices, const std::filesystem::path& broker_only) {
  const auto total = static_cast<std::size_t>(rate * seconds);
  std::vector<wall::time_point> sent_at(total);
  lambkin::emulator lk({.template_file = broker_only, .timing = ""});
  return publish(lk.mqtt_port(), total, rate, devices, sent_at);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::stod(argv[1]) : 10;
  std::vector<double> rates;
  std::istringstream rate_list(argc > 2 ? argv[2] : "5000 10000 20000");
  for (double r; rate_list >> r;) rates.push_back(r);
  const int devices = argc > 3 ? std::stoi(argv[3]) : 50;
  const auto how = argc > 4 && std::string(argv[4]) == "http" ? lambkin::examples::transport::http
                                                               : lambkin::examples::transport::direct;
  mosquitto_lib_init();

  const auto dir = std::filesystem::temp_directory_path() / ("pipeline-inproc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto broker_only = dir / "broker-only.yaml";
  std::ofstream(broker_only) << "Transform: AWS::Serverless-2016-10-31\nResources:\n  Unused:\n"
                                "    Type: AWS::Serverless::SimpleTable\n";

  std::printf("pipeline_inproc_bench: %.0f s per rate, %d devices, %d connections, QoS 1, StoreTemperature in-process "
              "(PutItem %s); %u cores; load average %s\n",
              seconds, devices, connections, how == lambkin::examples::transport::direct ? "through call_aws" : "over HTTP",
              std::thread::hardware_concurrency(), lambkin::bench::load_average().c_str());
  std::printf("\n%8s %8s %8s %8s %6s %10s %12s %6s %9s %9s %9s\n", "rate/s", "sent", "acked", "stored", "lost",
              "stored/s", "floor_ack/s", "ratio", "p50_ms", "p99_ms", "max_ms");
  for (const auto rate : rates) {
    const auto floor = run_floor(rate, seconds, devices, broker_only);
    const double floor_rate = static_cast<double>(floor.acked) / floor.elapsed_s();
    const auto r = run_pipeline(rate, seconds, devices, how);
    std::printf("%8.0f %8zu %8zu %8zu %6lld %10.0f %12.0f %6.2f %9.2f %9.2f %9.2f%s\n", rate, r.pub.sent, r.pub.acked,
                r.counted, static_cast<long long>(r.pub.acked) - static_cast<long long>(r.counted), r.stored_per_s,
                floor_rate, r.stored_per_s / floor_rate, r.latency_ms.p50, r.latency_ms.p99, r.latency_ms.max,
                r.stored != r.counted ? "  (function count differs from the table's!)" : "");
    std::fflush(stdout);
  }
  std::printf("\nload average at the end: %s\n", lambkin::bench::load_average().c_str());
  std::filesystem::remove_all(dir);
  mosquitto_lib_cleanup();
  return 0;
}
