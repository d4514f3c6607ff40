// mqtt_bench: lambkin's MQTT broker against Debian's mosquitto, both started by this program in
// the same run, under the identical load from our own generator (mqtt_load.hpp: Asio, one
// thread, batched writes, MQTT 3.1.1).
//
// Subject: `lambkin run` on a template with one unused table, `--mqtt-profile standard` (plain MQTT,
// like mosquitto: no AWS lifecycle events or limits; `--profile aws` switches), `--log-level warn`.
// Peer: mosquitto 2.0 with the minimal configuration of mosquitto_process.cpp.
//
// Scenarios, each run against mosquitto then lambkin:
// - idle connections: N clients connect and stay idle; memory per connection = the broker's RSS
//   delta / N. Target: lambkin ≤ mosquitto.
// - fan-in (100 publishers → 1 subscriber) and fan-out (1 publisher → 1,000 subscribers), QoS 0
//   and 1: deliveries per second at saturation (closed loop, losses counted; target lambkin ≥
//   1.5× mosquitto), then p50/p99 end-to-end latency at a fixed rate, the same for both brokers:
//   a quarter of the lower of the two saturation rates (target: lambkin's p99 ≤ mosquitto's), in
//   R rounds per broker alternating which goes first, the samples pooled (latency_rounds).
//
//   mqtt_bench [--seconds S] [--idle N] [--ws] [--profile standard|aws] [--payload BYTES]
//              [--fraction F] [--only fan-in|fan-out|idle] [--rounds R] [--lambkin PATH]
//   mqtt_bench --smoke     small loads; exit 1 unless lambkin delivers every message and mosquitto
//                          takes the same clients and delivers (CTest)
#include "bench/bench_stats.hpp"
#include "bench/lambkin_process.hpp"
#include "bench/mosquitto_process.hpp"
#include "bench/mqtt_load.hpp"

#include <boost/asio/ip/address_v4.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace lambkin::bench;

struct settings {
  double seconds = 5;
  int idle = 10000;
  bool websocket = false;
  std::string profile = "standard";
  std::size_t payload = 64;
  double fraction = 0.25;
  std::string only;
  bool smoke = false;
  int rounds = 3;  // fixed-rate runs per broker, alternating (latency_rounds)
  std::string lambkin = LAMBKIN_EXE;  // --lambkin: another binary, or a wrapper script (profiling)
};

struct broker {
  std::string name;
  broker_endpoint ep;
  long pid = 0;
};

struct scenario {
  std::string name;
  int publishers, subscribers, qos;
  std::size_t window;
};

void raise_fd_limit(int needed) {
  rlimit r{};
  ::getrlimit(RLIMIT_NOFILE, &r);
  r.rlim_cur = r.rlim_max;  // inherited by the brokers started after this
  ::setrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < static_cast<rlim_t>(needed))
    std::printf("warning: the fd limit is %llu, below the %d this run needs\n",
                static_cast<unsigned long long>(r.rlim_cur), needed);
}

// lambkin needs one resource: a table nobody uses (no function, so nothing else runs).
constexpr const char* tiny_template = R"(Resources:
  Unused:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Unused
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: id, AttributeType: S}
      KeySchema:
        - {AttributeName: id, KeyType: HASH}
)";

int run_counter = 0;
std::string tag(const std::string& what) { return what + std::to_string(::getpid()) + "x" + std::to_string(++run_counter); }

// Deliveries per CPU-second the broker used: what the broker's work costs, less sensitive than the
// rate to how much of the shared cores it was given.
double per_cpu(const load_result& r) { return r.broker_cpu > 0 ? r.delivered_per_s / r.broker_cpu : 0; }

void print_load_row(const std::string& broker_name, const load_result& r, bool latency) {
  std::printf("  %-10s sent %9.0f/s delivered %10.0f/s  lost %7llu  acked %9llu  cpu gen %4.2f broker %4.2f"
              " (%.0f deliveries per broker CPU-s)",
              broker_name.c_str(), r.sent_per_s, r.delivered_per_s, static_cast<unsigned long long>(r.lost),
              static_cast<unsigned long long>(r.acked), r.generator_cpu, r.broker_cpu, per_cpu(r));
  if (latency) std::printf("  p50 %8.1f us  p99 %8.1f us", r.latency_us.p50, r.latency_us.p99);
  if (!r.error.empty()) std::printf("  ERROR %s", r.error.c_str());
  std::printf("\n");
}

/// The fixed-rate run in `s.rounds` rounds per broker, alternating which goes first (m l, l m,
/// m l…), each `s.seconds / rounds` long, the latency samples pooled: a burst of load from
/// elsewhere on the machine falls on both brokers alike instead of on one broker's single run.
std::array<load_result, 2> latency_rounds(const broker (&brokers)[2], load_options o, const settings& s) {
  const int rounds = s.smoke ? 1 : s.rounds;
  if (!s.smoke) o.seconds = s.seconds / rounds;
  std::array<load_result, 2> total;
  std::vector<double> samples[2];
  for (int k = 0; k < rounds; ++k) {
    for (int j = 0; j < 2; ++j) {
      const int b = k % 2 == 0 ? j : 1 - j;
      o.broker_pid = brokers[b].pid;
      auto r = run_load(brokers[b].ep, o, tag("lat"));
      auto& t = total[static_cast<std::size_t>(b)];
      if (t.error.empty()) t.error = r.error;
      t.sent += r.sent;
      t.acked += r.acked;
      t.expected += r.expected;
      t.delivered += r.delivered;
      t.lost += r.lost;
      t.delivered_per_s += r.delivered_per_s;
      t.sent_per_s += r.sent_per_s;
      t.generator_cpu += r.generator_cpu;
      t.broker_cpu += r.broker_cpu;
      samples[b].insert(samples[b].end(), r.latency_samples_us.begin(), r.latency_samples_us.end());
    }
  }
  for (int b = 0; b < 2; ++b) {
    auto& t = total[static_cast<std::size_t>(b)];
    t.delivered_per_s /= rounds;
    t.sent_per_s /= rounds;
    t.generator_cpu /= rounds;
    t.broker_cpu /= rounds;
    t.latency_us = summarize(std::move(samples[b]));
  }
  return total;
}

struct row {
  std::string name;
  load_result sat[2], lat[2];
  double rate = 0;
};

int run(const settings& s) {
  raise_fd_limit(s.idle + 2000);  // the brokers are other processes
  std::printf("mqtt_bench: load average %s at start; %s, payload %zu bytes, lambkin --mqtt-profile %s\n",
              load_average().c_str(), s.websocket ? "WebSocket" : "TCP", s.payload, s.profile.c_str());
  mosquitto_process mosq;
  lambkin_process lamb(s.lambkin, tiny_template, "warn", {"--mqtt-profile", s.profile});
  const auto loopback = boost::asio::ip::address_v4::loopback();
  const broker brokers[2] = {
      {"mosquitto", {{loopback, s.websocket ? mosq.ws_port() : mosq.mqtt_port()}, s.websocket}, mosq.pid()},
      {"lambkin", {{loopback, s.websocket ? lamb.ws_port() : lamb.mqtt_port()}, s.websocket}, lamb.pid()}};
  bool failed = false;

  // ---- idle connections (first, on fresh brokers) ----
  double per_connection[2] = {0, 0};
  const int idle = s.smoke ? 100 : s.idle;
  if (s.only.empty() || s.only == "idle") {
    std::printf("\n%d idle connections (RSS delta / N):\n", idle);
    for (int b = 0; b < 2; ++b) {
      const std::size_t before = process_rss_bytes(brokers[b].pid);
      std::size_t during = 0;
      const auto t0 = wall::now();
      const auto err = hold_idle_connections(brokers[b].ep, idle, 100, tag("idle"),
                                             [&] { during = process_rss_bytes(brokers[b].pid); });
      const double secs = std::chrono::duration<double>(wall::now() - t0).count();
      per_connection[b] = (static_cast<double>(during) - static_cast<double>(before)) / idle;
      std::printf("  %-10s RSS %7.1f MB -> %7.1f MB: %7.0f bytes/connection (connected in %.1f s)%s%s\n",
                  brokers[b].name.c_str(), static_cast<double>(before) / 1e6, static_cast<double>(during) / 1e6,
                  per_connection[b], secs, err.empty() ? "" : "  ERROR ", err.c_str());
      if (!err.empty()) failed = true;
    }
  }

  std::vector<scenario> scenarios;
  const int fan_in = s.smoke ? 10 : 100, fan_out = s.smoke ? 20 : 1000;
  for (int qos = 0; qos <= 1; ++qos) {
    if (s.only.empty() || s.only == "fan-in")
      scenarios.push_back({"fan-in " + std::to_string(fan_in) + "->1 QoS " + std::to_string(qos), fan_in, 1, qos, 500});
    if (s.only.empty() || s.only == "fan-out")
      scenarios.push_back({"fan-out 1->" + std::to_string(fan_out) + " QoS " + std::to_string(qos), 1, fan_out, qos, 50});
  }
  std::vector<row> rows;
  for (const auto& sc : scenarios) {
    row r{sc.name, {}, {}, 0};
    load_options o;
    o.publishers = sc.publishers;
    o.subscribers = sc.subscribers;
    o.qos = sc.qos;
    o.payload = s.payload;
    o.window = sc.window;
    o.seconds = s.smoke ? 0.5 : s.seconds;
    o.warmup = s.smoke ? 0.2 : 1;
    if (!s.smoke) {
      std::printf("\n%s, saturation (window %zu messages):\n", sc.name.c_str(), sc.window);
      for (int b = 0; b < 2; ++b) {
        o.broker_pid = brokers[b].pid;
        r.sat[b] = run_load(brokers[b].ep, o, tag("sat"));
        print_load_row(brokers[b].name, r.sat[b], false);
      }
      const double min_delivered = std::min(r.sat[0].delivered_per_s, r.sat[1].delivered_per_s);
      o.rate = std::max(1.0, s.fraction * min_delivered / sc.subscribers);
    } else {
      o.rate = sc.subscribers > 1 ? 20 : 200;
    }
    r.rate = o.rate;
    std::printf("\n%s, fixed rate %.0f messages/s (%.0f deliveries/s), %d rounds:\n", sc.name.c_str(), o.rate,
                o.rate * sc.subscribers, s.smoke ? 1 : s.rounds);
    {
      auto both = latency_rounds(brokers, o, s);
      r.lat[0] = std::move(both[0]);
      r.lat[1] = std::move(both[1]);
    }
    for (int b = 0; b < 2; ++b) {
      print_load_row(brokers[b].name, r.lat[b], true);
      // Below saturation every message must arrive at lambkin's subscribers, QoS 0 included
      // (nothing is dropped on loopback unless a queue overflows): the smoke test's assertion.
      // mosquitto, the peer, must take the same clients and deliver, but its losses are only
      // reported: mosquitto 2.0.11 was seen leaving QoS 1 messages undelivered (bench/README.md),
      // and a test of lambkin must not fail for that.
      const bool subject = b == 1;
      if (!r.lat[b].error.empty() || r.lat[b].delivered == 0 ||
          (subject && (r.lat[b].lost > 0 || (sc.qos == 1 && r.lat[b].acked != r.lat[b].sent)))) {
        std::printf("  FAILED: %s lost %llu of %llu deliveries\n", brokers[b].name.c_str(),
                    static_cast<unsigned long long>(r.lat[b].lost), static_cast<unsigned long long>(r.lat[b].expected));
        failed = true;
      } else if (r.lat[b].lost > 0) {
        std::printf("  note: %s lost %llu of %llu deliveries\n", brokers[b].name.c_str(),
                    static_cast<unsigned long long>(r.lat[b].lost), static_cast<unsigned long long>(r.lat[b].expected));
      }
    }
    rows.push_back(std::move(r));
  }

  if (!s.smoke) {
    std::printf("\nSummary (lambkin / mosquitto):\n");
    std::printf("| scenario | mosquitto deliveries/s | lambkin deliveries/s | ratio (target >= 1.5) | per broker CPU-s m/l "
                "| ratio | lost m/l | rate/s | mosquitto p50/p99 us | lambkin p50/p99 us | p99 ratio (target <= 1) |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows) {
      const double ratio = r.sat[0].delivered_per_s > 0 ? r.sat[1].delivered_per_s / r.sat[0].delivered_per_s : 0;
      const double p99 = r.lat[0].latency_us.p99 > 0 ? r.lat[1].latency_us.p99 / r.lat[0].latency_us.p99 : 0;
      const double cpu_ratio = per_cpu(r.sat[0]) > 0 ? per_cpu(r.sat[1]) / per_cpu(r.sat[0]) : 0;
      std::printf("| %s | %.0f | %.0f | %.2f %s | %.0f / %.0f | %.2f | %llu/%llu | %.0f | %.0f / %.0f | %.0f / %.0f | %.2f %s |\n",
                  r.name.c_str(), r.sat[0].delivered_per_s, r.sat[1].delivered_per_s, ratio,
                  ratio >= 1.5 ? "met" : "NOT met", per_cpu(r.sat[0]), per_cpu(r.sat[1]), cpu_ratio,
                  static_cast<unsigned long long>(r.sat[0].lost),
                  static_cast<unsigned long long>(r.sat[1].lost), r.rate, r.lat[0].latency_us.p50,
                  r.lat[0].latency_us.p99, r.lat[1].latency_us.p50, r.lat[1].latency_us.p99, p99,
                  p99 <= 1.0 ? "met" : "NOT met");
    }
    if (per_connection[0] > 0)
      std::printf("| %d idle connections | %.0f B/conn | %.0f B/conn | %.2f %s (target <= 1) |\n", idle,
                  per_connection[0], per_connection[1], per_connection[1] / per_connection[0],
                  per_connection[1] <= per_connection[0] ? "met" : "NOT met");
  }
  std::printf("\nload average %s at end\n", load_average().c_str());
  if (failed) std::printf("mqtt_bench: FAILED (see above)\n");
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mqtt_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seconds") s.seconds = std::stod(value());
    else if (a == "--idle") s.idle = std::stoi(value());
    else if (a == "--ws") s.websocket = true;
    else if (a == "--profile") s.profile = value();
    else if (a == "--payload") s.payload = std::stoul(value());
    else if (a == "--fraction") s.fraction = std::stod(value());
    else if (a == "--only") s.only = value();
    else if (a == "--smoke") s.smoke = true;
    else if (a == "--lambkin") s.lambkin = value();
    else if (a == "--rounds") s.rounds = std::max(1, std::stoi(value()));
    else if (a == "--persistent") lambkin::bench::wire::persistent_sessions = true;
    else {
      std::fprintf(stderr,
                   "usage: mqtt_bench [--seconds S] [--idle N] [--ws] [--profile standard|aws] [--payload BYTES] "
                   "[--fraction F] [--only fan-in|fan-out|idle] [--rounds R] [--lambkin PATH] [--persistent] [--smoke]\n");
      return 2;
    }
  }
  try {
    return run(s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mqtt_bench: %s\n", e.what());
    return 1;
  }
}
