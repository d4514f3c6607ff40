#include "tools/devices/fleet_worker.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <mosquitto.h>
#include <sys/epoll.h>
#include <unistd.h>

namespace lambkin::devices {

struct fleet_worker::device {
  fleet_worker* owner = nullptr;
  std::uint64_t index = 0;
  std::string id, topic;
  reading_model model;
  mosquitto* m = nullptr;
  int fd = -1;
  bool connack = false;    // the CONNACK (or the end of the connection) came
  int connack_rc = 0;
  bool connected = false;  // accepted and not lost since
  bool writing = false;    // EPOLLOUT is being watched
  bool closing = false;    // we are disconnecting it
  std::uint64_t outstanding = 0;  // QoS 1 publishes not acknowledged yet

  device(fleet_worker* w, const fleet_options& o, std::uint64_t i)
      : owner(w), index(i), id(o.client_id_prefix + std::to_string(i + 1)),
        topic(o.topic_prefix + "/" + id + "/temperature"), model(o.model, i) {}
};

namespace {

using device = fleet_worker::device;

void on_connect(mosquitto*, void* obj, int rc) {
  auto* d = static_cast<device*>(obj);
  d->connack = true;
  d->connack_rc = rc;
  d->connected = rc == 0;
}

std::string endpoint(const fleet_options& o) { return o.host + ":" + std::to_string(o.port); }

}  // namespace

fleet_worker::fleet_worker(const fleet_options& options, std::vector<std::uint64_t> devices) : options_(options) {
  for (auto i : devices) devices_.push_back(std::make_unique<device>(this, options_, i));
}

fleet_worker::~fleet_worker() { close(); }

std::optional<std::string> fleet_worker::connect() {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) return std::string("epoll_create1: ") + std::strerror(errno);
  for (auto& dp : devices_) {
    auto& d = *dp;
    d.m = mosquitto_new(d.id.c_str(), true, &d);
    if (!d.m) return "cannot create an MQTT client for " + d.id;
    mosquitto_connect_callback_set(d.m, on_connect);
    mosquitto_publish_callback_set(d.m, [](mosquitto*, void* obj, int) {
      auto* dev = static_cast<device*>(obj);
      if (dev->owner->options_.qos != 1 || dev->outstanding == 0) return;  // QoS 0: "written", not acked
      --dev->outstanding;
      dev->owner->acknowledged_.fetch_add(1, std::memory_order_relaxed);
    });
    mosquitto_disconnect_callback_set(d.m, [](mosquitto*, void* obj, int) {
      auto* dev = static_cast<device*>(obj);
      if (dev->connected && !dev->closing) dev->owner->disconnected_.fetch_add(1, std::memory_order_relaxed);
      dev->connack = true;  // a connection that ends before its CONNACK is answered too
      dev->connected = false;
      dev->fd = -1;
    });
    const int rc = mosquitto_connect(d.m, options_.host.c_str(), options_.port, options_.keepalive);
    if (rc != MOSQ_ERR_SUCCESS)
      return "cannot connect to " + endpoint(options_) + ": " +
             (rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc));
    d.fd = mosquitto_socket(d.m);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &d;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, d.fd, &ev);
    watch_writes(d);
  }
  const auto deadline = clock::now() + options_.connect_timeout;
  auto waiting = [&] { return std::any_of(devices_.begin(), devices_.end(), [](auto& d) { return !d->connack; }); };
  while (waiting() && clock::now() < deadline) poll(std::chrono::milliseconds(50));
  for (auto& d : devices_) {
    if (!d->connack)
      return "no CONNACK from " + endpoint(options_) + " for " + d->id + " within " +
             std::to_string(options_.connect_timeout.count()) + " ms";
    if (d->connack_rc != 0)
      return endpoint(options_) + " refused " + d->id + ": " + mosquitto_connack_string(d->connack_rc);
    if (!d->connected) return endpoint(options_) + " closed the connection of " + d->id + " before its CONNACK";
  }
  return std::nullopt;
}

void fleet_worker::run(clock::time_point start, std::uint64_t total) {
  const auto n = static_cast<std::uint64_t>(options_.devices);
  std::uint64_t cycle = 0;
  std::size_t j = 0;
  std::uint64_t burst = 0;
  while (!devices_.empty()) {
    const std::uint64_t k = cycle * n + devices_[j]->index;
    if (k >= total || (options_.stop && options_.stop->load(std::memory_order_relaxed))) break;
    const auto due = start + std::chrono::duration_cast<clock::duration>(
                                 std::chrono::duration<double>(static_cast<double>(k) / options_.rate));
    const auto now = clock::now();
    keepalive(now);
    if (due > now) {
      burst = 0;
      poll(std::chrono::ceil<std::chrono::milliseconds>(due - now));
      continue;
    }
    publish(*devices_[j]);
    if (++j == devices_.size()) j = 0, ++cycle;
    // Behind schedule: publishing back to back, still read the acknowledgements now and then.
    if (++burst % 32 == 0) poll(std::chrono::milliseconds(0));
  }
  const auto deadline = clock::now() + options_.drain_timeout;
  auto any_connected = [&] { return std::any_of(devices_.begin(), devices_.end(), [](auto& d) { return d->connected; }); };
  while ((options_.qos == 1 ? outstanding() > 0 : writes_pending()) && any_connected() && clock::now() < deadline)
    poll(std::chrono::milliseconds(20));
  failed_.fetch_add(outstanding(), std::memory_order_relaxed);
  close();
}

void fleet_worker::publish(device& d) {
  const auto r = d.model.next();  // the series advances whether or not the reading gets out
  if (r.temperature > options_.alert_threshold) above_threshold_.fetch_add(1, std::memory_order_relaxed);
  if (!d.connected) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto payload = to_json(r);
  const int rc = mosquitto_publish(d.m, nullptr, d.topic.c_str(), static_cast<int>(payload.size()), payload.data(),
                                   options_.qos, false);
  if (rc != MOSQ_ERR_SUCCESS) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  sent_.fetch_add(1, std::memory_order_relaxed);
  if (options_.qos == 1) ++d.outstanding;
  watch_writes(d);
}

void fleet_worker::poll(std::chrono::milliseconds timeout) {
  epoll_event events[256];
  const int n = ::epoll_wait(epoll_, events, 256, static_cast<int>(std::min<std::int64_t>(timeout.count(), 1000)));
  for (int i = 0; i < n; ++i) {
    auto& d = *static_cast<device*>(events[i].data.ptr);
    if (d.fd < 0) continue;
    if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) mosquitto_loop_read(d.m, 1);
    if (d.fd >= 0 && (events[i].events & EPOLLOUT)) mosquitto_loop_write(d.m, 1);
    if (d.fd >= 0) watch_writes(d);
  }
}

void fleet_worker::watch_writes(device& d) {
  if (d.fd < 0) return;
  const bool want = mosquitto_want_write(d.m);
  if (want == d.writing) return;
  epoll_event ev{};
  ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
  ev.data.ptr = &d;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, d.fd, &ev);
  d.writing = want;
}

void fleet_worker::keepalive(clock::time_point now) {
  if (now - last_misc_ < std::chrono::seconds(1)) return;
  last_misc_ = now;
  for (auto& d : devices_)
    if (d->fd >= 0) mosquitto_loop_misc(d->m);
}

std::uint64_t fleet_worker::outstanding() const {
  std::uint64_t n = 0;
  for (const auto& d : devices_)
    if (d->connected) n += d->outstanding;
  return n;
}

bool fleet_worker::writes_pending() const {
  return std::any_of(devices_.begin(), devices_.end(), [](auto& d) { return d->fd >= 0 && mosquitto_want_write(d->m); });
}

void fleet_worker::close() {
  for (auto& d : devices_) {
    if (!d->m) continue;
    d->closing = true;
    if (d->connected) {
      mosquitto_disconnect(d->m);  // written at once; libmosquitto closes the socket after it
      for (int i = 0; i < 100 && d->fd >= 0 && mosquitto_want_write(d->m); ++i) mosquitto_loop_write(d->m, 1);
    }
    mosquitto_destroy(d->m);
    d->m = nullptr;
    d->fd = -1;
    d->connected = false;
  }
  if (epoll_ >= 0) ::close(epoll_);
  epoll_ = -1;
}

fleet_counts fleet_worker::counts() const {
  fleet_counts c;
  c.sent = sent_.load(std::memory_order_relaxed);
  c.acknowledged = acknowledged_.load(std::memory_order_relaxed);
  c.failed = failed_.load(std::memory_order_relaxed);
  c.above_threshold = above_threshold_.load(std::memory_order_relaxed);
  c.disconnected = disconnected_.load(std::memory_order_relaxed);
  return c;
}

}  // namespace lambkin::devices
