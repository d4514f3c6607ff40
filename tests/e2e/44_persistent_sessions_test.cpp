// Persistent MQTT sessions across restarts of lambkin on the same data directory (issue 11):
// subscriptions and queued QoS 1 messages after kill -9 and after a clean stop, Session Expiry
// counted across the downtime (the restart "later" through the test-only
// LAMBKIN_TEST_CLOCK_OFFSET_MS: no sleeping), Wills of clients connected at kill -9 published after
// the restart (with their Will Delay), inbound QoS 2 completed exactly once across a restart,
// PUBACK refused when the durable store cannot keep a message (a full disk: a small tmpfs in a
// user namespace), and one lambkin per data directory.
// Clients: libmosquitto (3.1.1 and 5, which reports session present and PUBACK reason codes), and
// a raw MQTT 5 client on lambkin's codec where a library would answer PUBREC by itself.
#include "e2e/fault_support.hpp"

#include <doctest/doctest.h>

#include "emulator/core/mqtt/decoder.hpp"
#include "emulator/core/mqtt/encoder.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <regex>
#include <span>
#include <string>
#include <vector>

using namespace lambkin::test;
using namespace std::chrono_literals;

namespace {

std::string echo_template() {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n  Echo:\n    Type: AWS::Serverless::Function\n"
         "    Properties:\n      Runtime: provided.al2023\n      Handler: echo\n      CodeUri: " CPP_ECHO_DIR "\n";
}

struct library {
  library() { mosquitto_lib_init(); }
  ~library() { mosquitto_lib_cleanup(); }
};

/// One libmosquitto client; its network loop runs on the test thread until what a step waits for
/// happened, the connection ended, or a deadline passed.
class client {
 public:
  /// `session_expiry` (MQTT 5 only): the CONNECT's Session Expiry Interval; 3.1.1 uses Clean Session 0.
  client(const std::string& id, bool v5, std::uint32_t session_expiry = 0)
      : m_(mosquitto_new(id.c_str(), false, this)), v5_(v5), expiry_(session_expiry) {
    REQUIRE(m_ != nullptr);
    if (v5) mosquitto_int_option(m_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_connect_with_flags_callback_set(m_, [](mosquitto*, void* self, int rc, int flags) {
      auto* c = static_cast<client*>(self);
      c->connack = rc;
      c->session_present = (flags & 1) != 0;
    });
    mosquitto_disconnect_callback_set(m_, [](mosquitto*, void* self, int) { static_cast<client*>(self)->connected = false; });
    mosquitto_subscribe_callback_set(m_, [](mosquitto*, void* self, int, int, const int*) {
      static_cast<client*>(self)->subscribed = true;
    });
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      static_cast<client*>(self)->messages.emplace_back(static_cast<const char*>(msg->payload),
                                                         static_cast<std::size_t>(msg->payloadlen));
    });
    mosquitto_publish_v5_callback_set(m_, [](mosquitto*, void* self, int mid, int reason, const mosquitto_property*) {
      static_cast<client*>(self)->acks.emplace_back(mid, reason);
    });
  }
  ~client() { mosquitto_destroy(m_); }
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void connect(unsigned short port) {
    connack = -1;
    connected = true;
    mosquitto_property* props = nullptr;
    if (v5_) mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, expiry_);
    // 3.1.1: Clean Session 0 (mosquitto_new's clean_session false); MQTT 5: Clean Start 0 as well.
    const int rc = mosquitto_connect_bind_v5(m_, "127.0.0.1", port, 60, nullptr, props);
    mosquitto_property_free_all(&props);
    REQUIRE(rc == MOSQ_ERR_SUCCESS);
    REQUIRE(loop_until([&] { return connack != -1; }));
    REQUIRE(connack == 0);
  }
  /// A Will (QoS 1) for the next CONNECT; MQTT 5 with a Will Delay Interval of `delay` s.
  void will(const std::string& topic, const std::string& payload, std::uint32_t delay = 0) {
    mosquitto_property* props = nullptr;
    if (v5_ && delay != 0) mosquitto_property_add_int32(&props, MQTT_PROP_WILL_DELAY_INTERVAL, delay);
    REQUIRE(mosquitto_will_set_v5(m_, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false,
                                  props) == MOSQ_ERR_SUCCESS);
  }
  void subscribe(const std::string& filter) {
    subscribed = false;
    REQUIRE(mosquitto_subscribe(m_, nullptr, filter.c_str(), 1) == MOSQ_ERR_SUCCESS);
    REQUIRE(loop_until([&] { return subscribed; }));
  }
  int publish(const std::string& topic, const std::string& payload, bool retain = false) {
    int mid = 0;
    REQUIRE(mosquitto_publish(m_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, retain) ==
            MOSQ_ERR_SUCCESS);
    return mid;
  }
  void disconnect() {
    REQUIRE(mosquitto_disconnect(m_) == MOSQ_ERR_SUCCESS);
    loop_until([&] { return !connected; });
  }
  /// Runs the network loop until `done()`, the connection ends, or 20 s passed.
  bool loop_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done() && connected && std::chrono::steady_clock::now() < deadline)
      if (mosquitto_loop(m_, 100, 1) != MOSQ_ERR_SUCCESS) connected = false;
    return done();
  }

  int connack = -1;
  bool session_present = false;
  bool connected = false;
  bool subscribed = false;
  std::vector<std::string> messages;
  std::vector<std::pair<int, int>> acks;  // (mid, PUBACK reason code)

 private:
  mosquitto* m_;
  bool v5_;
  std::uint32_t expiry_;
};

/// A hand-driven MQTT 5 client on a blocking socket (lambkin's own codec), for what client
/// libraries do not let a test control: stopping between PUBREC and PUBREL.
class raw_client {
 public:
  raw_client(unsigned short port, const std::string& id, std::uint32_t session_expiry)
      : socket_(ioc_), decoder_(lambkin::mqtt::decoder_options{268'435'460, lambkin::mqtt::protocol_version::v5}) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    lambkin::mqtt::connect c;
    c.client_id = id;
    c.clean_start = false;
    c.props.session_expiry_interval = session_expiry;
    send(c);
    const auto ack = next();
    REQUIRE(std::holds_alternative<lambkin::mqtt::connack>(ack));
    session_present = std::get<lambkin::mqtt::connack>(ack).session_present;
  }
  void send(const lambkin::mqtt::packet& p) {
    std::vector<std::uint8_t> bytes;
    REQUIRE_FALSE(lambkin::mqtt::encode(p, lambkin::mqtt::protocol_version::v5, bytes));
    boost::asio::write(socket_, boost::asio::buffer(bytes));
  }
  /// The next packet; a PINGRESP stands for the end of the stream.
  lambkin::mqtt::packet next() {
    for (;;) {
      if (!in_.empty()) {
        std::span<const std::uint8_t> view(in_);
        auto r = decoder_.feed(view);
        in_.erase(in_.begin(), in_.end() - static_cast<std::ptrdiff_t>(view.size()));
        if (auto* p = std::get_if<lambkin::mqtt::packet>(&r)) return std::move(*p);
        REQUIRE(std::holds_alternative<lambkin::mqtt::need_more>(r));
      }
      std::uint8_t buf[4096];
      boost::system::error_code ec;
      const auto n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec) return lambkin::mqtt::pingresp{};
      in_.insert(in_.end(), buf, buf + n);
    }
  }
  bool session_present = false;

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  lambkin::mqtt::decoder decoder_;
  std::vector<std::uint8_t> in_;
};

/// mosquitto_pub at QoS 1: exits 0 once its PUBACK arrived.
void publish_qos1(unsigned short port, const std::string& topic, const std::string& payload) {
  REQUIRE(run({"/usr/bin/mosquitto_pub", "-p", std::to_string(port), "-i", "pub-" + payload, "-t", topic, "-m", payload,
               "-q", "1"})
              .code == 0);
}

void kill9(lambkin_run& lk) {
  lk.process().signal(SIGKILL);
  REQUIRE(lk.process().wait(10s).has_value());
}

}  // namespace

TEST_CASE("a persistent session survives kill -9 and a clean stop: subscription, session present, queued QoS 1") {
  library lib;
  temp_dir dir;
  const auto tmpl = echo_template();
  client reader("reader", false);  // MQTT 3.1.1, Clean Session 0
  {
    lambkin_run lk(dir.path(), tmpl);
    reader.connect(lk.mqtt_port());
    CHECK_FALSE(reader.session_present);
    reader.subscribe("sensors/+/t");
    reader.disconnect();
    publish_qos1(lk.mqtt_port(), "sensors/a/t", "before-kill");  // PUBACKed: stored in reader's session
    kill9(lk);
  }
  {
    lambkin_run lk(dir.path(), tmpl);
    CHECK(wait_for_stderr(lk.process(), "restored 1 persistent MQTT sessions (0 expired", 10s));
    publish_qos1(lk.mqtt_port(), "sensors/b/t", "after-restart");  // routed by the restored subscription
    reader.connect(lk.mqtt_port());
    CHECK(reader.session_present);
    REQUIRE(reader.loop_until([&] { return reader.messages.size() >= 2; }));
    CHECK(reader.messages == std::vector<std::string>{"before-kill", "after-restart"});
    reader.disconnect();
    publish_qos1(lk.mqtt_port(), "sensors/c/t", "before-stop");
    CHECK(lk.stop() == 0);
  }
  lambkin_run lk(dir.path(), tmpl);
  CHECK(wait_for_stderr(lk.process(), "restored 1 persistent MQTT sessions", 10s));
  reader.messages.clear();
  reader.connect(lk.mqtt_port());
  CHECK(reader.session_present);
  REQUIRE(reader.loop_until([&] { return !reader.messages.empty(); }));
  CHECK(reader.messages == std::vector<std::string>{"before-stop"});
  reader.disconnect();
  CHECK(lk.stop() == 0);

  // --reset forgets it.
  lambkin_run fresh(dir.path(), tmpl, {"--reset"});
  client again("reader", false);
  again.connect(fresh.mqtt_port());
  CHECK_FALSE(again.session_present);
  again.disconnect();
}

TEST_CASE("Session Expiry counts across the downtime: expired while stopped, expiring after the restart, alive") {
  library lib;
  temp_dir dir;
  const auto tmpl = echo_template();
  client expired("expires-while-stopped", true, 2), later("expires-after-restart", true, 15),
      alive("stays", true, 600);
  {
    lambkin_run lk(dir.path(), tmpl);
    for (auto* c : {&expired, &later, &alive}) {
      c->connect(lk.mqtt_port());
      c->subscribe("alerts/#");
    }
    for (auto* c : {&expired, &later, &alive}) c->disconnect();
    kill9(lk);
  }
  // lambkin comes back 10 s "later" (its wall clock, which session expiry is measured against
  // across a restart, runs 10 s ahead): the first session's 2 s have passed, the second has at
  // most 5 s left.
  lambkin_run lk(dir.path(), tmpl, {}, lambkin_run::clock_ahead(10s));
  CHECK(wait_for_stderr(lk.process(), "LAMBKIN_TEST_CLOCK_OFFSET_MS=10000: TEST ONLY", 10s));
  REQUIRE(wait_for_stderr(lk.process(), "restored 2 persistent MQTT sessions (1 expired while lambkin was stopped)",
                          10s));
  alive.connect(lk.mqtt_port());
  CHECK(alive.session_present);
  // The second one's remaining seconds run on the new clock: it ends by itself.
  REQUIRE(wait_for_stderr(lk.process(), "persistent session ended: client_id=expires-after-restart", 30s));
  later.connect(lk.mqtt_port());
  CHECK_FALSE(later.session_present);
  expired.connect(lk.mqtt_port());
  CHECK_FALSE(expired.session_present);
  alive.disconnect();
  CHECK(lk.stop() == 0);
}

TEST_CASE("a second lambkin on the same data directory exits 1 naming it and the first one's pid, kill -9 frees it") {
  temp_dir dir;
  const auto tmpl = echo_template();
  const auto data = (dir.path() / "data").string();
  {
    lambkin_run first(dir.path(), tmpl);
    auto second = run({lambkin_exe(), "run", (dir.path() / "template.yaml").string(), "--aws-port", "0", "--mqtt-port",
                       "0", "--ws-port", "0", "--http-port", "0", "--data-dir", data},
                      30s);
    CHECK(second.code == 1);
    CHECK(second.err.find("--data-dir " + data + " is in use by another lambkin (pid " +
                          std::to_string(first.process().pid()) + ")") != std::string::npos);
    CHECK(first.process().running());
    kill9(first);
  }
  lambkin_run after(dir.path(), tmpl);  // the kernel dropped the lock with the process
  CHECK(after.stop() == 0);
}

TEST_CASE("a full disk: the PUBACK of a message the durable store could not keep is refused (MQTT 5: 0x80, 3.1.1: closed)") {
  if (run({"/usr/bin/unshare", "-rm", "/bin/true"}).code != 0) {
    MESSAGE("unshare -rm is not permitted here: the full-disk test cannot mount its tmpfs, skipped");
    return;
  }
  library lib;
  temp_dir dir;
  const auto mount_point = dir.path() / "disk";
  std::filesystem::create_directories(mount_point);
  const auto tmpl = dir.path() / "template.yaml";
  std::ofstream(tmpl) << echo_template();
  const auto ready = dir.path() / "ready.json";
  const std::string script = "set -e; mount -t tmpfs -o size=2m tmpfs " + mount_point.string() + "; exec " +
                             lambkin_exe() + " run " + tmpl.string() +
                             " --aws-port 0 --mqtt-port 0 --ws-port 0 --http-port 0 --data-dir " +
                             (mount_point / "data").string() + " --ready-file " + ready.string();
  child_process ns({"/usr/bin/unshare", "-rm", "/bin/sh", "-c", script});
  REQUIRE(wait_for_file(ready, ns, 30s));
  std::ifstream in(ready);
  std::stringstream text;
  text << in.rdbuf();
  const auto port = static_cast<unsigned short>(boost::json::parse(text.str()).at("mqtt").as_int64());

  // Retained messages of 100 KB, each stored before its PUBACK, until the disk is full.
  const std::string big(100 * 1024, 'x');
  client v5("filler-v5", true, 0);
  v5.connect(port);
  int refused = 0, stored = 0;
  for (int i = 0; i < 40 && refused == 0; ++i) {
    const int mid = v5.publish("fill/" + std::to_string(i), big, true);
    REQUIRE(v5.loop_until([&] { return !v5.acks.empty() && v5.acks.back().first == mid; }));
    if (v5.acks.back().second == 0) ++stored;
    else {
      CHECK(v5.acks.back().second == 0x80);
      ++refused;
    }
  }
  MESSAGE("disk full after " << stored << " retained messages");
  CHECK(stored > 0);
  CHECK(refused == 1);
  CHECK(v5.connected);  // MQTT 5: the error is in the PUBACK, the connection stays

  client v311("filler-311", false);
  v311.connect(port);
  v311.publish("fill/311", big, true);
  v311.loop_until([&] { return !v311.acks.empty(); });
  CHECK(v311.acks.empty());  // no PUBACK…
  CHECK_FALSE(v311.connected);  // …the connection was closed instead
  CHECK(wait_for_stderr(ns, "MQTT 3.1.1 has no PUBACK error", 10s));
  ns.signal(SIGTERM);
  ns.wait(30s);
}

TEST_CASE("Wills persist: a session connected at kill -9 publishes its Will after the restart, once, after its delay") {
  library lib;
  temp_dir dir;
  const auto tmpl = echo_template();
  client watcher("will-watcher", false);
  client now("will-now", true, 600), delayed("will-delayed", true, 600), polite("will-polite", true, 600);
  now.will("wills/now", "gone-now");                // no Will Delay: due when the connection is lost
  delayed.will("wills/delayed", "gone-delayed", 120);  // 120 s after the connection is lost
  polite.will("wills/polite", "gone-polite");       // disconnects normally: its Will is discarded
  // The watcher reads what it was owed, then a marker published after the restart: whatever
  // arrived before the marker is every Will the restart published.
  const auto wills_until_marker = [&](lambkin_run& lk, const std::string& marker) {
    publish_qos1(lk.mqtt_port(), "wills/marker", marker);
    watcher.messages.clear();
    watcher.connect(lk.mqtt_port());
    REQUIRE(watcher.loop_until([&] { return !watcher.messages.empty() && watcher.messages.back() == marker; }));
    watcher.disconnect();
    // Its PUBACKs are stored by the batch this PUBACK waits for: nothing comes back after a kill.
    publish_qos1(lk.mqtt_port(), "sync/" + marker, "sync");
    watcher.messages.pop_back();
    std::string joined;  // doctest prints strings, not vectors
    for (const auto& m : watcher.messages) joined += (joined.empty() ? "" : ",") + m;
    return joined;
  };
  {
    lambkin_run lk(dir.path(), tmpl);
    watcher.connect(lk.mqtt_port());
    watcher.subscribe("wills/#");
    watcher.disconnect();
    for (auto* c : {&now, &delayed, &polite}) c->connect(lk.mqtt_port());
    polite.disconnect();
    publish_qos1(lk.mqtt_port(), "sync/x", "sync");  // stored behind the DISCONNECT: polite's Will is gone on disk
    kill9(lk);  // `now` and `delayed` were connected: their connections are lost without DISCONNECT
  }
  {
    lambkin_run lk(dir.path(), tmpl);
    CHECK(wait_for_stderr(lk.process(), "restored 4 persistent MQTT sessions", 10s));
    CHECK(wills_until_marker(lk, "m1") == "gone-now");  // `delayed` has 120 s to come back
    kill9(lk);
  }
  {
    // 200 s "later": `delayed`'s 120 s have passed while lambkin was down; `now`'s Will went out already.
    lambkin_run lk(dir.path(), tmpl, {}, lambkin_run::clock_ahead(200s));
    CHECK(wills_until_marker(lk, "m2") == "gone-delayed");
    CHECK(lk.stop() == 0);
  }
  lambkin_run lk(dir.path(), tmpl, {}, lambkin_run::clock_ahead(250s));
  CHECK(wills_until_marker(lk, "m3") == "");
  // The sessions themselves are still there, without a Will.
  now.connect(lk.mqtt_port());
  CHECK(now.session_present);
  now.disconnect();
  CHECK(lk.stop() == 0);
}

TEST_CASE("inbound QoS 2 (standard profile): PUBREC sent, lambkin killed, PUBREL after the restart: delivered once") {
  namespace m = lambkin::mqtt;
  library lib;
  temp_dir dir;
  const auto tmpl = echo_template();
  const std::vector<std::string> standard{"--mqtt-profile", "standard"};
  client reader("q2-reader", false);
  {
    lambkin_run lk(dir.path(), tmpl, standard);
    reader.connect(lk.mqtt_port());
    reader.subscribe("q2/#");
    reader.disconnect();
    raw_client pub(lk.mqtt_port(), "q2-publisher", 600);
    pub.send(m::publish{"q2/x", std::string("exactly-once"), m::qos2, false, false, 7, {}});
    const auto rec = pub.next();
    REQUIRE(std::holds_alternative<m::pubrec>(rec));
    CHECK(std::get<m::pubrec>(rec).packet_id == 7);
    CHECK(std::get<m::pubrec>(rec).reason == m::reason_code::success);
    kill9(lk);  // before the PUBREL
  }
  lambkin_run lk(dir.path(), tmpl, standard);
  {
    raw_client pub(lk.mqtt_port(), "q2-publisher", 600);
    CHECK(pub.session_present);
    // A client that missed the PUBREC re-sends the PUBLISH: acknowledged, not routed again.
    pub.send(m::publish{"q2/x", std::string("exactly-once"), m::qos2, false, true, 7, {}});
    const auto rec = pub.next();
    REQUIRE(std::holds_alternative<m::pubrec>(rec));
    CHECK(std::get<m::pubrec>(rec).reason == m::reason_code::success);
    pub.send(m::pubrel{7, m::reason_code::success, {}});
    const auto comp = pub.next();
    REQUIRE(std::holds_alternative<m::pubcomp>(comp));
    CHECK(std::get<m::pubcomp>(comp).packet_id == 7);
    CHECK(std::get<m::pubcomp>(comp).reason == m::reason_code::success);  // 0x92 had the id been forgotten
    pub.send(m::pubrel{7, m::reason_code::success, {}});  // released now: unknown
    const auto again = pub.next();
    REQUIRE(std::holds_alternative<m::pubcomp>(again));
    CHECK(std::get<m::pubcomp>(again).reason == m::reason_code::packet_identifier_not_found);
  }
  publish_qos1(lk.mqtt_port(), "q2/x", "marker");
  reader.connect(lk.mqtt_port());
  CHECK(reader.session_present);
  REQUIRE(reader.loop_until([&] { return !reader.messages.empty() && reader.messages.back() == "marker"; }));
  CHECK(reader.messages == std::vector<std::string>{"exactly-once", "marker"});
  reader.disconnect();
  CHECK(lk.stop() == 0);
}
