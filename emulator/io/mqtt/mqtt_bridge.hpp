#pragma once
// Bridge mode (`lambkin run --broker mqtt://host:port`): the broker's in-process API
// (broker_api.hpp) served by an external MQTT broker (mosquitto, EMQX…) through libmosquitto,
// instead of lambkin's own broker, whose listeners are then not started.
//
// What it does:
//   - one MQTT 5 client (clean start, client id `lambkin-<pid>` unless given) connects to the
//     broker; every listener filter (a topic rule's FROM) is one subscription there, QoS 1,
//     Retain As Published, Retain Handling "never" (rules do not fire for stored retained
//     messages), and a Subscription Identifier when the broker offers them (so overlapping
//     subscriptions give each listener one copy); several listeners on one filter share it;
//   - messages arriving are handed to the listener sink on the io_context's thread. The
//     publisher's client id and principal are unknown there (clientid() and principal() see "");
//   - `publish` (Republish actions, IoT Data Publish) checks the profile's limits as the own broker
//     does, then publishes on the external broker; while it is not connected: server_unavailable;
//   - retained messages: the broker has no API to read them, so GetRetainedMessage and
//     ListRetainedMessages answer from what lambkin has seen: retained messages it published and
//     those that arrived on its subscriptions (with RETAIN set, or cleared by an empty payload);
//     `retained_scope()` says so, and the IoT Data API repeats it when a topic is not found;
//   - Basic Ingest (`$aws/rules/<rule>/…`) cannot be translated: the external broker routes those
//     topics like any other; the start-up log says so. The rule sink is never called.
//   - connection: a client thread runs libmosquitto's network loop; when the broker goes away (or
//     is not there yet) it reconnects with exponential backoff (`first_retry` doubling up to
//     `max_retry`, reset by a successful connection) and subscribes again. Logs (logger "mqtt"):
//     "bridge: connected to …" / "reconnected to …", "subscribed to N topic filters on …",
//     "connection to … lost: …; reconnecting in …", "cannot connect to …: …; retrying in …".
//
// Thread safety: every public member is called on the io_context's thread; sinks and the
// `start` callback are called there too. The client thread only touches libmosquitto (thread-safe
// in threaded mode) and the members marked "shared" below, under `mutex_`.
#include "emulator/core/mqtt/profile.hpp"
#include "emulator/core/mqtt/retained_store.hpp"
#include "emulator/io/mqtt/broker_api.hpp"
#include "emulator/io/mqtt/broker_url.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct mosquitto;
struct mqtt5__property;

namespace lambkin::io::mqtt {

struct bridge_options {
  /// Empty: `lambkin-<pid>`.
  std::string client_id;
  std::uint16_t keep_alive = 30;  // seconds
  std::chrono::milliseconds first_retry{500};
  std::chrono::milliseconds max_retry{30'000};
  /// mqtts://: a CA certificate file (PEM) to trust instead of the system's.
  std::string ca_file;
};

class mqtt_bridge final : public broker_api {
 public:
  /// `profile`'s limits apply to `publish` and its matching rules to listeners (aws: `a/#` does
  /// not match `a`, even though the external broker delivers it).
  mqtt_bridge(boost::asio::any_io_executor executor, lambkin::mqtt::profile profile, broker_url target,
              bridge_options options = {});
  ~mqtt_bridge() override;
  mqtt_bridge(const mqtt_bridge&) = delete;
  mqtt_bridge& operator=(const mqtt_bridge&) = delete;

  /// Starts the client thread. `on_settled` is called once, when the first connection attempt has
  /// settled: connected with every subscription acknowledged (true), or failed (false; retries go on).
  void start(std::function<void(bool connected)> on_settled = {});
  /// Disconnects (DISCONNECT sent when connected) and joins the client thread. Idempotent.
  void stop();
  bool connected() const noexcept { return connected_; }
  const broker_url& target() const noexcept { return target_; }

  std::error_code publish(lambkin::mqtt::publish_request request) override;
  void publish_acknowledged(lambkin::mqtt::publish_request request, publish_done done) override;
  std::optional<lambkin::mqtt::listener_id> add_listener(std::string_view filter) override;
  bool remove_listener(lambkin::mqtt::listener_id id) override;
  void set_rule_sink(rule_sink sink) override { rule_sink_ = std::move(sink); }
  void set_listener_sink(listener_sink sink) override { listener_sink_ = std::move(sink); }
  std::optional<lambkin::mqtt::retained_entry> find_retained(std::string_view topic) override;
  std::vector<lambkin::mqtt::retained_entry> list_retained() override;
  std::string retained_scope() const override;

 private:
  struct filter_entry {
    std::uint32_t subscription_id = 0;
    std::vector<lambkin::mqtt::listener_id> listeners;
  };

  // Client thread (mqtt_bridge.cpp) and libmosquitto's callbacks, which run on it.
  void run();
  void on_connect(int reason, const mqtt5__property* props);
  void on_subscribe(int mid, int count, const int* granted);
  void on_message(lambkin::mqtt::message_ptr msg, std::vector<std::uint32_t> subscription_ids);
  /// libmosquitto's publish callback: a QoS 1 PUBACK (or a QoS 0 message written).
  void on_published(int mid, int reason);
  /// Hands the message to libmosquitto; `mid` (when not null) gets its message id.
  std::error_code send(lambkin::mqtt::publish_request request, int* mid);
  /// Fails every publish still waiting for its PUBACK (io_context thread).
  void fail_awaiting(std::error_code why);
  /// Sends SUBSCRIBE for `filter` (any thread); false when libmosquitto refused to queue it.
  bool subscribe(const std::string& filter, std::uint32_t subscription_id);
  void settle(bool connected);
  // io_context thread.
  void deliver(const lambkin::mqtt::message_ptr& msg, const std::vector<std::uint32_t>& subscription_ids);

  boost::asio::any_io_executor executor_;
  lambkin::mqtt::profile profile_;
  broker_url target_;
  bridge_options options_;
  mosquitto* client_ = nullptr;
  std::thread thread_;

  // io_context thread only.
  std::map<std::string, filter_entry, std::less<>> filters_;
  std::unordered_map<std::uint32_t, std::string> filter_of_subscription_;
  std::unordered_map<std::uint64_t, std::string> listeners_;
  std::uint64_t next_listener_ = 0;
  std::uint32_t next_subscription_ = 0;
  lambkin::mqtt::retained_store retained_;
  rule_sink rule_sink_;
  listener_sink listener_sink_;
  std::function<void(bool)> on_settled_;
  /// QoS 1 publishes waiting for the external broker's PUBACK, by message id.
  std::unordered_map<int, publish_done> awaiting_ack_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  // Shared with the client thread.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> connected_{false};
  std::atomic<bool> stopping_{false};
  std::map<std::string, std::uint32_t> wanted_;  // filter → subscription id (guarded by mutex_)
  std::map<int, std::string> pending_;            // SUBSCRIBE message id → filter (guarded by mutex_)
  bool use_subscription_ids_ = true;             // as the last CONNACK said (guarded by mutex_)

  // Client thread only.
  bool ever_connected_ = false;
  /// libmosquitto's last error-level log line (it logs OpenSSL's reason for a failed handshake
  /// there and nowhere else), cleared before each connection attempt.
  std::string last_library_error_;
  bool settled_ = false;
  std::chrono::milliseconds retry_{0};
};

}  // namespace lambkin::io::mqtt
