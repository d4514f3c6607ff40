#include "bench/mqtt_load.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <memory>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace lambkin::bench {
namespace {

constexpr std::uint16_t keep_alive_s = 600;  // no PINGREQ during a run
constexpr std::size_t stamp_bytes = 16;      // send time (ns) + sequence number

double self_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(wall::now().time_since_epoch()).count());
}

/// Starts clients `parallel` at a time (a broker's listen backlog is finite: a burst of 10,000
/// SYNs would see retransmission delays, not the broker).
class connector {
 public:
  std::vector<std::unique_ptr<load_client>> clients;
  std::vector<std::optional<std::string>> filters;
  std::vector<std::string> ids;
  int qos = 0;
  int parallel = 100;
  std::size_t started = 0, ready = 0;

  void start_more(const broker_endpoint& ep) {
    while (started < clients.size() && started - ready < static_cast<std::size_t>(parallel)) {
      clients[started]->start(ep, ids[started], keep_alive_s, filters[started], qos);
      ++started;
    }
  }
  bool all_ready() const { return ready == clients.size(); }
};

/// Stops the io_context once every client has written its DISCONNECT and closed, or at `deadline`.
void stop_when_closed(net::io_context& ioc, connector& conn, net::steady_timer& timer, wall::time_point deadline) {
  const bool all_closed =
      std::none_of(conn.clients.begin(), conn.clients.end(), [](const auto& c) { return c->open(); });
  if (all_closed || wall::now() >= deadline) {
    ioc.stop();
    return;
  }
  timer.expires_after(std::chrono::milliseconds(10));
  timer.async_wait([&ioc, &conn, &timer, deadline](boost::system::error_code) {
    stop_when_closed(ioc, conn, timer, deadline);
  });
}

class load_run final : public client_events {
 public:
  load_run(const broker_endpoint& ep, const load_options& o, const std::string& tag)
      : ep_(ep), o_(o), tag_(tag), phase_timer_(ioc_), tick_timer_(ioc_) {
    conn_.qos = o.qos;
    conn_.parallel = o.connect_parallel;
    for (int i = 0; i < o.subscribers; ++i) {
      conn_.clients.push_back(std::make_unique<load_client>(ioc_, *this, i));
      conn_.filters.emplace_back("bench/" + tag + "/+");
      conn_.ids.push_back(tag + "-s" + std::to_string(i));
    }
    for (int i = 0; i < o.publishers; ++i) {
      conn_.clients.push_back(std::make_unique<load_client>(ioc_, *this, o.subscribers + i));
      conn_.filters.emplace_back(std::nullopt);
      conn_.ids.push_back(tag + "-p" + std::to_string(i));
      topics_.push_back("bench/" + tag + "/" + std::to_string(i));
    }
    // Many QoS 1 subscribers (fan-out): one send per subscriber per message, which would slow the
    // reading thread down. One subscriber (fan-in) acknowledges a whole read in one send, cheaper
    // than handing it to another thread.
    if (o.qos > 0 && o.subscribers > 1) {
      acks_ = std::make_unique<ack_sender>();
      for (int i = 0; i < o.subscribers; ++i) conn_.clients[static_cast<std::size_t>(i)]->set_ack_sender(acks_.get());
    }
    padding_.assign(std::max(o.payload, stamp_bytes) - stamp_bytes, 'x');
    dirty_.reserve(static_cast<std::size_t>(o.publishers));
  }

  load_result run() {
    conn_.start_more(ep_);
    ioc_.run();
    result_.lost = result_.expected > result_.delivered ? result_.expected - result_.delivered : 0;
    return result_;
  }

  void on_ready(load_client&) override {
    ++conn_.ready;
    if (conn_.all_ready()) return begin();
    conn_.start_more(ep_);
  }

  void on_failed(load_client& c, const std::string& why) override {
    ++failures_;
    if (result_.error.empty()) result_.error = "client " + std::to_string(c.index()) + ": " + why;
    if (phase_ == phase::connecting) ioc_.stop();  // cannot run the scenario
  }

  void on_message(load_client&, std::span<const std::uint8_t> payload) override {
    ++result_.delivered;
    if (phase_ == phase::counting && payload.size() >= stamp_bytes) {
      std::uint64_t sent_at = 0;
      std::memcpy(&sent_at, payload.data(), sizeof sent_at);
      samples_.push_back(static_cast<double>(now_ns() - sent_at) / 1000.0);
    }
  }

  void on_puback(load_client&) override { ++result_.acked; }

  void on_read_done(load_client&) override {
    if (o_.rate == 0) pump();
  }

 private:
  enum class phase { connecting, warmup, counting, draining, done };

  load_client& publisher(int i) { return *conn_.clients[static_cast<std::size_t>(o_.subscribers + i)]; }

  void begin() {
    phase_ = phase::warmup;
    t0_ = wall::now();
    at(phase_timer_, o_.warmup, [this] {
      phase_ = phase::counting;
      count_start_ = wall::now();
      delivered_start_ = result_.delivered;
      sent_start_ = result_.sent;
      cpu_start_ = self_cpu_seconds();
      broker_cpu_start_ = process_cpu_seconds(o_.broker_pid);
      at(end_timer_, o_.warmup + o_.seconds, [this] { end_counting(); });
    });
    if (o_.rate > 0)
      tick();
    else {
      pump();
      stall_check();
    }
  }

  void end_counting() {
    const double secs = std::chrono::duration<double>(wall::now() - count_start_).count();
    result_.delivered_per_s = static_cast<double>(result_.delivered - delivered_start_) / secs;
    result_.sent_per_s = static_cast<double>(result_.sent - sent_start_) / secs;
    result_.generator_cpu = (self_cpu_seconds() - cpu_start_) / secs;
    result_.broker_cpu = (process_cpu_seconds(o_.broker_pid) - broker_cpu_start_) / secs;
    if (o_.rate > 0) result_.latency_samples_us = samples_;
    result_.latency_us = summarize(std::move(samples_));
    phase_ = phase::draining;
    drain_deadline_ = wall::now() + std::chrono::duration_cast<wall::duration>(std::chrono::duration<double>(o_.drain));
    drain_check();
  }

  void drain_check() {
    result_.expected = result_.sent * static_cast<std::uint64_t>(o_.subscribers);
    const bool complete = result_.delivered >= result_.expected && (o_.qos == 0 || result_.acked >= result_.sent);
    if (complete || wall::now() >= drain_deadline_) return finish();
    phase_timer_.expires_after(std::chrono::milliseconds(20));
    phase_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) drain_check();
    });
  }

  void finish() {
    phase_ = phase::done;
    tick_timer_.cancel();
    for (auto& c : conn_.clients) c->disconnect();
    stop_when_closed(ioc_, conn_, phase_timer_, wall::now() + std::chrono::seconds(2));
  }

  template <class F>
  void at(net::steady_timer& timer, double seconds_after_start, F f) {
    timer.expires_at(t0_ + std::chrono::duration_cast<wall::duration>(std::chrono::duration<double>(seconds_after_start)));
    timer.async_wait([f](boost::system::error_code ec) {
      if (!ec) f();
    });
  }

  bool sending() const { return phase_ == phase::warmup || phase_ == phase::counting; }

  void send_one() {
    const int i = next_publisher_;
    next_publisher_ = (next_publisher_ + 1) % o_.publishers;
    auto& p = publisher(i);
    if (!p.open()) return;
    auto& out = p.out();
    if (out.empty()) dirty_.push_back(i);
    wire::publish_head(out, topics_[static_cast<std::size_t>(i)], o_.qos, o_.qos > 0 ? p.next_packet_id() : 0,
                       stamp_bytes + padding_.size());
    const std::uint64_t stamp[2] = {now_ns(), result_.sent};
    const auto* b = reinterpret_cast<const std::uint8_t*>(stamp);
    out.insert(out.end(), b, b + stamp_bytes);
    out.insert(out.end(), padding_.begin(), padding_.end());
    ++result_.sent;
  }

  void flush_dirty() {
    for (int i : dirty_) publisher(i).flush();
    dirty_.clear();
  }

  std::uint64_t outstanding() const {
    const std::uint64_t done = result_.delivered / static_cast<std::uint64_t>(o_.subscribers) + written_off_;
    return result_.sent > done ? result_.sent - done : 0;
  }

  void pump() {
    if (!sending()) return;
    while (outstanding() < o_.window) send_one();
    flush_dirty();
  }

  // Saturation with QoS 0 may lose messages; the lost ones would hold the window closed forever.
  // When nothing at all was delivered for a whole second, what is outstanding is written off (the
  // final count still says how many were lost). Never for QoS 1, which must not lose any: a
  // stalled QoS 1 run shows as a low rate instead. (The second is long on purpose: on a machine
  // whose cores are shared, the generator may not run for a few hundred ms.)
  void stall_check() {
    tick_timer_.expires_after(std::chrono::seconds(1));
    tick_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || !sending()) return;
      if (o_.qos == 0 && result_.delivered == delivered_at_check_ && outstanding() > 0) written_off_ += outstanding();
      delivered_at_check_ = result_.delivered;
      pump();
      stall_check();
    });
  }

  void tick() {
    if (!sending()) return;
    const double elapsed = std::chrono::duration<double>(wall::now() - t0_).count();
    const auto due = static_cast<std::uint64_t>(elapsed * o_.rate);
    while (result_.sent < due) send_one();
    flush_dirty();
    tick_timer_.expires_after(std::chrono::milliseconds(1));
    tick_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) tick();
    });
  }

  broker_endpoint ep_;
  load_options o_;
  std::string tag_;
  net::io_context ioc_{1};
  std::unique_ptr<ack_sender> acks_;  // QoS 1: the subscribers' PUBACKs (outlives the clients)
  connector conn_;
  std::vector<std::string> topics_;
  std::string padding_;
  std::vector<int> dirty_;
  net::steady_timer phase_timer_, tick_timer_;
  net::steady_timer end_timer_{ioc_};
  phase phase_ = phase::connecting;
  wall::time_point t0_, count_start_, drain_deadline_;
  std::uint64_t delivered_start_ = 0, sent_start_ = 0, written_off_ = 0, delivered_at_check_ = 0;
  double cpu_start_ = 0, broker_cpu_start_ = 0;
  int next_publisher_ = 0;
  int failures_ = 0;
  std::vector<double> samples_;
  load_result result_;
};

class idle_run final : public client_events {
 public:
  idle_run(const broker_endpoint& ep, int count, int parallel, const std::string& tag,
           const std::function<void()>& measure)
      : ep_(ep), measure_(measure), timer_(ioc_) {
    conn_.parallel = parallel;
    for (int i = 0; i < count; ++i) {
      conn_.clients.push_back(std::make_unique<load_client>(ioc_, *this, i));
      conn_.filters.emplace_back(std::nullopt);
      conn_.ids.push_back(tag + "-i" + std::to_string(i));
    }
  }

  std::string run() {
    conn_.start_more(ep_);
    ioc_.run();
    return error_;
  }

  void on_ready(load_client&) override {
    ++conn_.ready;
    if (!conn_.all_ready()) return conn_.start_more(ep_);
    measure_();
    for (auto& c : conn_.clients) c->disconnect();
    stop_when_closed(ioc_, conn_, timer_, wall::now() + std::chrono::seconds(2));
  }
  void on_failed(load_client& c, const std::string& why) override {
    if (error_.empty()) error_ = "client " + std::to_string(c.index()) + ": " + why;
    ioc_.stop();
  }
  void on_message(load_client&, std::span<const std::uint8_t>) override {}
  void on_puback(load_client&) override {}

 private:
  broker_endpoint ep_;
  std::function<void()> measure_;
  net::io_context ioc_{1};
  connector conn_;
  net::steady_timer timer_;
  std::string error_;
};

}  // namespace

double process_cpu_seconds(long pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close_paren = text.rfind(')');  // the command name may hold spaces
  if (close_paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(close_paren + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::size_t process_rss_bytes(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

load_result run_load(const broker_endpoint& ep, const load_options& o, const std::string& run_tag) {
  load_run r(ep, o, run_tag);
  return r.run();
}

std::string hold_idle_connections(const broker_endpoint& ep, int count, int parallel, const std::string& run_tag,
                                  const std::function<void()>& measure) {
  idle_run r(ep, count, parallel, run_tag, measure);
  return r.run();
}

}  // namespace lambkin::bench
