// The MQTT shell with libmosquitto as the client: persistent sessions and session takeover,
// which need a client that stays connected across steps. Each client's network loop runs on the
// test thread (mosquitto_loop), until what the step waits for has happened or a deadline passed.
#include "io/mqtt_server_support.hpp"

#include <doctest/doctest.h>

#include <mosquitto.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

using namespace lambkin::test;

namespace {

struct library {
  library() { mosquitto_lib_init(); }
  ~library() { mosquitto_lib_cleanup(); }
};

/// One libmosquitto client and what its callbacks saw.
class client {
 public:
  client(const std::string& id, bool clean_session) : m_(mosquitto_new(id.c_str(), clean_session, this)) {
    REQUIRE(m_ != nullptr);
    mosquitto_connect_callback_set(m_, [](mosquitto*, void* self, int rc) {
      static_cast<client*>(self)->connack = rc;
    });
    mosquitto_disconnect_callback_set(m_, [](mosquitto*, void* self, int rc) {
      auto* c = static_cast<client*>(self);
      c->disconnected = true;
      c->disconnect_rc = rc;
    });
    mosquitto_subscribe_callback_set(m_, [](mosquitto*, void* self, int, int, const int*) {
      static_cast<client*>(self)->subscribed = true;
    });
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      static_cast<client*>(self)->messages.emplace_back(static_cast<const char*>(msg->payload),
                                                         static_cast<std::size_t>(msg->payloadlen));
    });
  }
  ~client() { mosquitto_destroy(m_); }
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void connect(const mqtt_broker_thread& b) {
    connack = -1;
    disconnected = false;
    REQUIRE(mosquitto_connect(m_, "127.0.0.1", std::stoi(b.port()), 60) == MOSQ_ERR_SUCCESS);
    REQUIRE(loop_until([&] { return connack != -1; }));
    REQUIRE(connack == 0);
  }
  /// Runs the network loop until `done()` or the connection ends or 10 s passed.
  bool loop_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && !disconnected && std::chrono::steady_clock::now() < deadline)
      if (mosquitto_loop(m_, 100, 1) != MOSQ_ERR_SUCCESS) disconnected = true;
    return done();
  }
  mosquitto* get() { return m_; }

  int connack = -1;
  bool disconnected = false;
  int disconnect_rc = 0;
  bool subscribed = false;
  std::vector<std::string> messages;

 private:
  mosquitto* m_;
};

}  // namespace

TEST_CASE("mqtt_server keeps a persistent session's QoS 1 message while the client is offline") {
  library lib;
  mqtt_broker_thread b;
  {
    client c("fridge-1", /*clean_session=*/false);
    c.connect(b);
    REQUIRE(mosquitto_subscribe(c.get(), nullptr, "fridge-1/commands", 1) == MOSQ_ERR_SUCCESS);
    REQUIRE(c.loop_until([&] { return c.subscribed; }));
    REQUIRE(mosquitto_disconnect(c.get()) == MOSQ_ERR_SUCCESS);
    c.loop_until([] { return false; });  // until the disconnect callback
    REQUIRE(c.disconnected);
  }
  // Published (and acknowledged) while nobody is connected as fridge-1.
  const auto pub = run(pub_args(b, "mqttv311", "fridge-1/commands", "defrost", {"-q", "1"}), client_timeout);
  REQUIRE(pub.code == 0);

  client again("fridge-1", /*clean_session=*/false);
  again.connect(b);
  CHECK(again.loop_until([&] { return !again.messages.empty(); }));
  REQUIRE(again.messages.size() == 1);
  CHECK(again.messages[0] == "defrost");
}

TEST_CASE("mqtt_server lets a second connection with the same client id take the session over") {
  library lib;
  mqtt_broker_thread b;
  client first("twin", true);
  first.connect(b);
  client second("twin", true);
  second.connect(b);
  // The first connection is closed by the server; the second stays up and works.
  CHECK(first.loop_until([&] { return first.disconnected; }));
  CHECK(first.disconnect_rc != 0);  // not a disconnect it asked for
  REQUIRE(mosquitto_subscribe(second.get(), nullptr, "twin/inbox", 1) == MOSQ_ERR_SUCCESS);
  REQUIRE(second.loop_until([&] { return second.subscribed; }));
  REQUIRE(mosquitto_publish(second.get(), nullptr, "twin/inbox", 4, "ping", 1, false) == MOSQ_ERR_SUCCESS);
  CHECK(second.loop_until([&] { return !second.messages.empty(); }));
  CHECK_FALSE(second.disconnected);
}
