// lambkin embedded in a doctest suite through include/lambkin/emulator.hpp, the way a user's C++
// integration tests use it: the temperature example on free ports; libmosquitto publishes a hot
// reading and receives the alert the C++ function republishes; the HTTP API answers over HTTP.
#include <lambkin/emulator.hpp>

#include "io/http_client.hpp"

#include <doctest/doctest.h>

#include <mosquitto.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace {

const std::string example = LAMBKIN_SOURCE_DIR "/examples/temperature/template.yaml";

/// A libmosquitto client with its network loop on its own thread (mosquitto_loop_start); waits on a
/// condition variable for what its callbacks report.
class mqtt_client {
 public:
  explicit mqtt_client(std::uint16_t port) {
    mosquitto_lib_init();
    m_ = mosquitto_new("embed-test", true, this);
    mosquitto_connect_callback_set(m_, [](mosquitto*, void* self, int rc) { static_cast<mqtt_client*>(self)->note([&](auto& s) { s.connack = rc; }); });
    mosquitto_subscribe_callback_set(m_, [](mosquitto*, void* self, int, int, const int*) {
      static_cast<mqtt_client*>(self)->note([](auto& s) { s.subscribed = true; });
    });
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      std::string text(static_cast<const char*>(msg->payload), static_cast<std::size_t>(msg->payloadlen));
      static_cast<mqtt_client*>(self)->note([&](auto& s) { s.messages.push_back(std::string(msg->topic) + " " + text); });
    });
    REQUIRE(mosquitto_connect(m_, "127.0.0.1", port, 60) == MOSQ_ERR_SUCCESS);
    REQUIRE(mosquitto_loop_start(m_) == MOSQ_ERR_SUCCESS);
    REQUIRE(wait([](const auto& s) { return s.connack == 0; }));
  }
  ~mqtt_client() {
    mosquitto_disconnect(m_);
    mosquitto_loop_stop(m_, false);
    mosquitto_destroy(m_);
    mosquitto_lib_cleanup();
  }
  void subscribe(const std::string& filter) {
    REQUIRE(mosquitto_subscribe(m_, nullptr, filter.c_str(), 1) == MOSQ_ERR_SUCCESS);
    REQUIRE(wait([](const auto& s) { return s.subscribed; }));
  }
  void publish(const std::string& topic, const std::string& payload) {
    REQUIRE(mosquitto_publish(m_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false) ==
            MOSQ_ERR_SUCCESS);
  }

  struct state {
    int connack = -1;
    bool subscribed = false;
    std::vector<std::string> messages;
  };
  template <class Pred>
  bool wait(Pred done, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done(state_); });
  }
  std::vector<std::string> messages() {
    std::lock_guard lock(mutex_);
    return state_.messages;
  }

 private:
  template <class F>
  void note(F f) {
    std::lock_guard lock(mutex_);
    f(state_);
    changed_.notify_all();
  }
  mosquitto* m_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  state state_;
};

}  // namespace

TEST_CASE("the temperature example runs inside a test process: an alert comes back over MQTT") {
  lambkin::emulator lk({.template_file = example});
  REQUIRE(lk.mqtt_port() != 0);
  REQUIRE(lk.http_port() != 0);
  CHECK(lk.aws_endpoint() == "http://127.0.0.1:" + std::to_string(lk.aws_port()));

  mqtt_client mqtt(lk.mqtt_port());
  mqtt.subscribe("things/+/alerts");
  mqtt.publish("things/embedded-1/temperature", R"({"temperature":41.5})");
  REQUIRE(mqtt.wait([](const auto& s) { return !s.messages.empty(); }));
  const auto alert = mqtt.messages().front();
  CHECK(alert.starts_with("things/embedded-1/alerts {"));
  CHECK(alert.find(R"("temperature":41.5)") != std::string::npos);

  lambkin::test::http_client http(lk.http_port());
  auto res = http.request(boost::beast::http::verb::get, "/devices/nobody/stats");
  CHECK(res.result_int() == 404);
  CHECK(res.body() == R"({"message":"device nobody has no readings"})");
}

TEST_CASE("a template with errors is refused by the constructor with the located error") {
  CHECK_THROWS_WITH_AS(lambkin::emulator({.template_file = LAMBKIN_TEST_DATA_DIR "/no-such-template.yaml"}),
                       doctest::Contains("no-such-template.yaml"), lambkin::emulator_error);
}
