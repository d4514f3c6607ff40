#include "emulator/io/mqtt/mqtt_bridge.hpp"

#include "emulator/core/mqtt/message.hpp"
#include "emulator/core/mqtt/topic.hpp"
#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/mosquitto_properties.hpp"
#include "lambkin/clock.hpp"
#include "lambkin/error.hpp"

#include <boost/asio/post.hpp>

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lambkin::io::mqtt {
namespace {

namespace net = boost::asio;

/// libmosquitto's process-wide set-up, once (its clean-up is left to process exit).
void init_library() {
  static const int once = mosquitto_lib_init();
  (void)once;
}

/// libmosquitto's error as a sentence; MOSQ_ERR_ERRNO carries the system's errno, and a TLS error
/// the library's own log line saying why (e.g. OpenSSL's "certificate verify failed").
std::string describe(int rc, int saved_errno, const std::string& library_error) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(saved_errno);
  std::string text = mosquitto_strerror(rc);
  if (rc == MOSQ_ERR_TLS && !library_error.empty()) text += " (" + library_error + ")";
  return text;
}

std::string seconds_text(std::chrono::milliseconds d) {
  return fmt::format("{:.1f} s", static_cast<double>(d.count()) / 1000.0);
}

constexpr int subscription_options = MQTT_SUB_OPT_RETAIN_AS_PUBLISHED | MQTT_SUB_OPT_SEND_RETAIN_NEVER;

}  // namespace

mqtt_bridge::mqtt_bridge(net::any_io_executor executor, lambkin::mqtt::profile profile, broker_url target,
                         bridge_options options)
    : executor_(std::move(executor)),
      profile_(profile),
      target_(std::move(target)),
      options_(std::move(options)),
      retained_(profile) {
  init_library();
  if (options_.client_id.empty()) options_.client_id = "lambkin-" + std::to_string(::getpid());
  client_ = mosquitto_new(options_.client_id.c_str(), true, this);
  if (!client_) throw std::runtime_error("libmosquitto: cannot create a client");
  mosquitto_threaded_set(client_, true);
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  if (!target_.username.empty())
    mosquitto_username_pw_set(client_, target_.username.c_str(), target_.password ? target_.password->c_str() : nullptr);
  if (target_.tls) {
    if (options_.ca_file.empty()) mosquitto_int_option(client_, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
    else mosquitto_tls_set(client_, options_.ca_file.c_str(), nullptr, nullptr, nullptr, nullptr);
  }
  mosquitto_log_callback_set(client_, [](mosquitto*, void* self, int level, const char* text) {
    if (level == MOSQ_LOG_ERR && text) static_cast<mqtt_bridge*>(self)->last_library_error_ = text;
  });
  mosquitto_connect_v5_callback_set(client_, [](mosquitto*, void* self, int rc, int, const mosquitto_property* props) {
    static_cast<mqtt_bridge*>(self)->on_connect(rc, props);
  });
  mosquitto_publish_v5_callback_set(client_, [](mosquitto*, void* self, int mid, int reason, const mosquitto_property*) {
    static_cast<mqtt_bridge*>(self)->on_published(mid, reason);
  });
  mosquitto_subscribe_callback_set(client_, [](mosquitto*, void* self, int mid, int count, const int* granted) {
    static_cast<mqtt_bridge*>(self)->on_subscribe(mid, count, granted);
  });
  mosquitto_message_v5_callback_set(
      client_, [](mosquitto*, void* self, const mosquitto_message* m, const mosquitto_property* props) {
        std::vector<std::uint32_t> ids;
        auto forwarded = from_mosquitto(props, ids);
        auto msg = lambkin::mqtt::make_message(
            m->topic, std::string(static_cast<const char*>(m->payload), static_cast<std::size_t>(m->payloadlen)),
            m->qos >= 1 ? lambkin::mqtt::qos1 : lambkin::mqtt::qos0, m->retain, std::move(forwarded), clock::now());
        static_cast<mqtt_bridge*>(self)->on_message(std::move(msg), std::move(ids));
      });
}

mqtt_bridge::~mqtt_bridge() {
  stop();
  *alive_ = false;
  mosquitto_destroy(client_);
}

void mqtt_bridge::start(std::function<void(bool)> on_settled) {
  if (thread_.joinable() || stopping_) return;
  on_settled_ = std::move(on_settled);
  auto log = logger("mqtt");
  log->info("bridge mode: lambkin's own MQTT listeners are not started; rules and the IoT Data API use {}",
            target_.display());
  log->info("bridge mode: Basic Ingest ($aws/rules/<rule>/...) cannot be translated on an external broker; "
            "rules fire only on their FROM topic filters, and clientid()/principal() are empty");
  retry_ = options_.first_retry;
  thread_ = std::thread([this] { run(); });
}

void mqtt_bridge::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  wake_.notify_all();
  mosquitto_disconnect(client_);
  thread_.join();
  connected_ = false;
  fail_awaiting(errc::server_unavailable);
  logger("mqtt")->info("bridge: disconnected from {}", target_.display());
}

// ---- client thread ---------------------------------------------------------------------------

void mqtt_bridge::run() {
  auto log = logger("mqtt");
  while (!stopping_) {
    last_library_error_.clear();
    int rc = ever_connected_ ? mosquitto_reconnect_async(client_)
                             : mosquitto_connect_async(client_, target_.host.c_str(), target_.port, options_.keep_alive);
    int saved_errno = errno;
    if (rc == MOSQ_ERR_SUCCESS) {
      int after_stop = 0;  // a few more turns after stop() so the DISCONNECT is written
      while ((rc = mosquitto_loop(client_, 100, 1)) == MOSQ_ERR_SUCCESS)
        if (stopping_ && ++after_stop > 10) break;
      saved_errno = errno;
    }
    if (stopping_) break;
    const bool was_connected = connected_.exchange(false);
    const auto why = describe(rc, saved_errno, last_library_error_);
    // Publishes still waiting for a PUBACK are answered "unavailable" (the caller may retry; the
    // message may yet arrive, as after any lost acknowledgement).
    net::post(executor_, [this, alive = std::weak_ptr<bool>(alive_)] {
      if (auto a = alive.lock(); a && *a) fail_awaiting(errc::server_unavailable);
    });
    if (was_connected) {
      log->warn("bridge: connection to {} lost: {}; reconnecting in {}", target_.display(), why, seconds_text(retry_));
    } else {
      log->warn("bridge: cannot connect to {}: {}; retrying in {}", target_.display(), why, seconds_text(retry_));
      settle(false);
    }
    {
      std::unique_lock lock(mutex_);
      pending_.clear();
      wake_.wait_for(lock, retry_, [this] { return stopping_.load(); });
    }
    retry_ = std::min(retry_ * 2, options_.max_retry);
  }
}

void mqtt_bridge::on_connect(int reason, const mosquitto_property* props) {
  auto log = logger("mqtt");
  if (reason != 0) {  // the loop then ends with an error and the backoff applies
    log->error("bridge: {} refused the connection: {}", target_.display(), mosquitto_reason_string(reason));
    return;
  }
  const bool again = ever_connected_;
  ever_connected_ = true;
  retry_ = options_.first_retry;
  std::uint8_t ids_available = 1;
  mosquitto_property_read_byte(props, MQTT_PROP_SUBSCRIPTION_ID_AVAILABLE, &ids_available, false);
  std::map<std::string, std::uint32_t> wanted;
  {
    std::lock_guard lock(mutex_);
    use_subscription_ids_ = ids_available != 0;
    connected_ = true;
    pending_.clear();
    wanted = wanted_;
  }
  log->info("bridge: {} {} as {}; subscribing to {} topic filters", again ? "reconnected to" : "connected to",
            target_.display(), options_.client_id, wanted.size());
  for (const auto& [filter, id] : wanted) subscribe(filter, id);
  bool none_pending = false;
  {
    std::lock_guard lock(mutex_);
    none_pending = pending_.empty();
  }
  if (none_pending) settle(true);
}

bool mqtt_bridge::subscribe(const std::string& filter, std::uint32_t subscription_id) {
  property_list props;
  bool ids = true;
  {
    std::lock_guard lock(mutex_);
    ids = use_subscription_ids_;
  }
  if (ids) {
    mosquitto_property* list = nullptr;
    mosquitto_property_add_varint(&list, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, subscription_id);
    props.reset(list);
  }
  int mid = 0;
  // Held across the call so the SUBACK (on the client thread) finds its entry.
  std::lock_guard lock(mutex_);
  const int rc = mosquitto_subscribe_v5(client_, &mid, filter.c_str(), 1, subscription_options, props.get());
  if (rc != MOSQ_ERR_SUCCESS) {
    logger("mqtt")->warn("bridge: cannot subscribe to {}: {}", filter, mosquitto_strerror(rc));
    return false;
  }
  pending_.emplace(mid, filter);
  return true;
}

void mqtt_bridge::on_subscribe(int mid, int count, const int* granted) {
  std::string filter;
  bool done = false;
  std::size_t total = 0;
  {
    std::lock_guard lock(mutex_);
    const auto it = pending_.find(mid);
    if (it == pending_.end()) return;
    filter = it->second;
    pending_.erase(it);
    done = pending_.empty();
    total = wanted_.size();
  }
  auto log = logger("mqtt");
  for (int i = 0; i < count; ++i)
    if (granted[i] >= 0x80)
      log->error("bridge: {} refused the subscription to {}: {}", target_.display(), filter,
                 mosquitto_reason_string(granted[i]));
  if (done) {
    log->info("bridge: subscribed to {} topic filters on {}", total, target_.display());
    settle(true);
  }
}

void mqtt_bridge::on_message(lambkin::mqtt::message_ptr msg, std::vector<std::uint32_t> subscription_ids) {
  net::post(executor_, [this, alive = std::weak_ptr<bool>(alive_), msg = std::move(msg),
                        ids = std::move(subscription_ids)] {
    if (auto a = alive.lock(); a && *a) deliver(msg, ids);
  });
}

void mqtt_bridge::on_published(int mid, int reason) {
  net::post(executor_, [this, alive = std::weak_ptr<bool>(alive_), mid, reason] {
    auto a = alive.lock();
    if (!a || !*a) return;
    auto it = awaiting_ack_.find(mid);
    if (it == awaiting_ack_.end()) return;  // QoS 0, or answered already
    auto done = std::move(it->second);
    awaiting_ack_.erase(it);
    if (reason >= 0x80) {
      logger("mqtt")->warn("bridge: {} refused a publish: {}", target_.display(), mosquitto_reason_string(reason));
      return done(reason == 0x87 ? errc::not_authorized : reason == 0x90 ? errc::topic_name_invalid
                                 : reason == 0x95 ? errc::packet_too_large : errc::server_unavailable);
    }
    done({});
  });
}

void mqtt_bridge::settle(bool connected) {
  if (settled_) return;
  settled_ = true;
  net::post(executor_, [this, alive = std::weak_ptr<bool>(alive_), connected] {
    auto a = alive.lock();
    if (!a || !*a || !on_settled_) return;
    auto cb = std::move(on_settled_);
    on_settled_ = nullptr;
    cb(connected);
  });
}

}  // namespace lambkin::io::mqtt
