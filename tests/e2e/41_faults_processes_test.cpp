// Faults around lambkin rather than in the events (issue 11): a runtime SIGKILLed from outside,
// clients that vanish in the middle of a packet, a subscriber that never reads, and a full disk
// under the data directory (a small tmpfs mounted in a user namespace: no root needed).
#include "e2e/fault_support.hpp"
#include "e2e/lambkin_instance.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <future>

using namespace lambkin::test;
using namespace std::chrono_literals;

namespace {

/// A raw TCP connection to 127.0.0.1:port (bytes exactly as written, no client library).
class raw_socket {
 public:
  explicit raw_socket(unsigned short port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~raw_socket() { close(); }
  void send(const std::string& bytes) { REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())); }
  /// Reads exactly n bytes.
  std::string read(std::size_t n) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
      const auto r = ::recv(fd_, out.data() + got, n - got, 0);
      REQUIRE(r > 0);
      got += static_cast<std::size_t>(r);
    }
    return out;
  }
  /// Vanishes: with `reset`, an RST instead of a FIN (SO_LINGER 0).
  void close(bool reset = false) {
    if (fd_ < 0) return;
    if (reset) {
      linger l{1, 0};
      ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::string mqtt_string(const std::string& s) {
  return std::string{static_cast<char>(s.size() >> 8), static_cast<char>(s.size() & 0xff)} + s;
}

/// An MQTT 3.1.1 CONNECT (clean session, keep alive 60 s).
std::string connect_packet(const std::string& client_id) {
  const auto body = mqtt_string("MQTT") + std::string{4, 2, 0, 60} + mqtt_string(client_id);
  return std::string{0x10, static_cast<char>(body.size())} + body;
}

/// SUBSCRIBE packet id 1 to `filter` at QoS 1.
std::string subscribe_packet(const std::string& filter) {
  const auto body = std::string{0, 1} + mqtt_string(filter) + std::string{1};
  return std::string{static_cast<char>(0x82), static_cast<char>(body.size())} + body;
}

bool health_ok(unsigned short aws_port) {
  http_client client(aws_port);
  return client.request(bhttp::verb::get, "/_lambkin/health").result_int() == 200;
}

/// mosquitto_pub → mosquitto_sub through lambkin's broker: it still serves new clients.
void round_trip(unsigned short mqtt_port, const std::string& topic) {
  child_process sub({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", std::to_string(mqtt_port), "-t",
                     topic, "-C", "1", "-W", "30"});
  REQUIRE(wait_for_stdout(sub, "SUBACK", 20s));
  REQUIRE(run({"/usr/bin/mosquitto_pub", "-p", std::to_string(mqtt_port), "-t", topic, "-m", "still-here", "-q", "1"})
              .code == 0);
  REQUIRE(sub.wait(30s) == 0);
  CHECK(sub.out().find("still-here") != std::string::npos);
}

/// The pid of lambkin's child running `bootstrap` (the C++ function's runtime).
pid_t runtime_pid(pid_t lambkin) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(lambkin) + "/task")) {
    std::ifstream children(task.path() / "children");
    pid_t child = 0;
    while (children >> child) {
      std::ifstream cmdline("/proc/" + std::to_string(child) + "/cmdline");
      std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
      if (args.find("bootstrap") != std::string::npos) return child;
    }
  }
  return 0;
}

std::string echo_template(const std::string& extra = "") {
  return template_for({{"Echo", "provided.al2023", "echo", CPP_ECHO_DIR, "      Timeout: 10\n" + extra}},
                      "    timing: fast\n");
}

}  // namespace

TEST_CASE("a runtime SIGKILLed from outside mid-invocation: Runtime.ExitError, and the next invoke is cold") {
  lambkin_instance lk(echo_template());
  auto slow = std::async(std::launch::async, [&] { return lk.invoke("Echo", R"({"sleep_ms":8000})"); });
  REQUIRE(wait_for_stderr(lk.process(), "START RequestId", 30s));
  const pid_t pid = runtime_pid(lk.process().pid());
  REQUIRE(pid > 0);
  REQUIRE(::kill(pid, SIGKILL) == 0);
  const auto res = slow.get();
  CHECK(res.result_int() == 200);
  CHECK(res["X-Amz-Function-Error"] == "Unhandled");
  CHECK(boost::json::parse(res.body()).as_object().at("errorType") == "Runtime.ExitError");

  const auto next = lk.invoke("Echo", R"({"n":2})");
  CHECK(next.result_int() == 200);
  CHECK(next.find("X-Amz-Function-Error") == next.end());
  REQUIRE(wait_for_stderr(lk.process(), "REPORT RequestId", 20s, 2));
  CHECK(count_of(lk.log(), "Init Duration") == 2);  // both invocations started a runtime: cold
  CHECK(runtime_pid(lk.process().pid()) != pid);
}

TEST_CASE("clients that vanish in the middle of a packet leave lambkin serving everyone else") {
  lambkin_instance lk(echo_template());
  {
    raw_socket half_connect(lk.mqtt_port());
    half_connect.send(connect_packet("half").substr(0, 7));
    half_connect.close(true);
  }
  {
    raw_socket half_publish(lk.mqtt_port());
    half_publish.send(connect_packet("vanishing"));
    CHECK(half_publish.read(4) == std::string("\x20\x02\x00\x00", 4));  // CONNACK accepted
    // PUBLISH QoS 1 announcing 100 bytes; 12 arrive, then the peer is gone.
    half_publish.send(std::string{0x32, 100} + mqtt_string("faults/x") + std::string{0, 7, 'a', 'b'});
    half_publish.close(true);
  }
  {
    raw_socket half_http(lk.aws_port());
    half_http.send("POST /2015-03-31/functions/Echo/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"a\"");
    half_http.close(true);
  }
  {
    raw_socket half_headers(lk.aws_port());
    half_headers.send("GET /_lambkin/hea");
    half_headers.close();
  }
  round_trip(lk.mqtt_port(), "faults/after");
  CHECK(health_ok(lk.aws_port()));
  const auto res = lk.invoke("Echo", R"({"n":1})");
  CHECK(res.result_int() == 200);
  CHECK(wait_for_stderr(lk.process(), "client_id=vanishing", 10s, 2));  // connected, then disconnected
  CHECK(lk.stop() == 0);
}

TEST_CASE("a QoS 1 subscriber that never reads does not hold up publishers or other subscribers") {
  lambkin_instance lk(echo_template());
  raw_socket stuck(lk.mqtt_port(), 4096);
  stuck.send(connect_packet("never-reads"));
  CHECK(stuck.read(4) == std::string("\x20\x02\x00\x00", 4));
  stuck.send(subscribe_packet("flood/#"));
  CHECK(stuck.read(5) == std::string("\x90\x03\x00\x01\x01", 5));  // SUBACK granted QoS 1; then it stops reading

  constexpr int messages = 400;
  child_process reader({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", std::to_string(lk.mqtt_port()),
                        "-t", "flood/#", "-q", "1", "-C", std::to_string(messages), "-W", "60"});
  REQUIRE(wait_for_stdout(reader, "SUBACK", 20s));
  temp_dir dir;
  std::string lines;
  for (int i = 0; i < messages; ++i) lines += "m" + std::to_string(i) + "-" + std::string(20000, 'x') + "\n";
  std::ofstream(dir.path() / "flood.txt") << lines;
  // 8 MB for a subscriber whose socket takes a few KB: the publisher still gets every PUBACK.
  const auto pub = run({"/bin/sh", "-c",
                        "/usr/bin/mosquitto_pub -p " + std::to_string(lk.mqtt_port()) + " -t flood/a -q 1 -l < " +
                            (dir.path() / "flood.txt").string()},
                       60s);
  CHECK(pub.code == 0);
  REQUIRE(reader.wait(60s) == 0);
  CHECK(count_of(reader.out(), "PUBLISH (d0, q1, r0, m") >= static_cast<std::size_t>(messages));
  round_trip(lk.mqtt_port(), "other/topic");
  CHECK(lk.stop() == 0);
}

TEST_CASE("a full disk under the data directory: a clear error, no corruption, the stored events run after a restart") {
  // A 2 MB tmpfs on the data directory, mounted in a user + mount namespace (no root needed).
  if (run({"/usr/bin/unshare", "-rm", "/bin/true"}).code != 0) {
    MESSAGE("unshare -rm is not permitted here: the full-disk test cannot mount its tmpfs, skipped");
    return;
  }
  temp_dir dir;
  const auto mount_point = dir.path() / "disk";
  std::filesystem::create_directories(mount_point);
  const auto tmpl = dir.path() / "template.yaml";
  // One environment busy for the whole test: every other event stays queued on disk.
  std::ofstream(tmpl) << template_for({{"Echo", "provided.al2023", "echo", CPP_ECHO_DIR,
                                        "      Timeout: 900\n      ReservedConcurrentExecutions: 1\n"}},
                                       "    timing: fast\n");
  const auto ready1 = dir.path() / "ready1.json", ready2 = dir.path() / "ready2.json";
  const auto common = " run " + tmpl.string() + " --aws-port 0 --mqtt-port 0 --ws-port 0 --http-port 0 --data-dir " +
                      (mount_point / "data").string() + " --ready-file ";
  const auto db = (mount_point / "data" / "durable.sqlite3").string();
  const std::string script =
      "set -e; mount -t tmpfs -o size=2m tmpfs " + mount_point.string() + "; " + lambkin_exe() + common +
      ready1.string() + " 2>" + (dir.path() / "first.log").string() + " || echo first-exit=$?; " +
      "echo integrity=$(sqlite3 " + db + " 'PRAGMA integrity_check'); " +
      "echo stored=$(sqlite3 " + db + " 'SELECT count(*) FROM async_events'); " + lambkin_exe() + common +
      ready2.string() + " 2>" + (dir.path() / "second.log").string();
  child_process ns({"/usr/bin/unshare", "-rm", "/bin/sh", "-c", script});

  const auto pid_of = [](const std::filesystem::path& ready) {
    std::ifstream in(ready);
    std::stringstream text;
    text << in.rdbuf();
    const auto j = boost::json::parse(text.str());
    return std::pair{static_cast<pid_t>(j.at("pid").as_int64()), static_cast<unsigned short>(j.at("aws").as_int64())};
  };
  REQUIRE(wait_for_file(ready1, ns, 30s));
  const auto [pid1, port1] = pid_of(ready1);
  http_client client(port1);
  const auto payload = R"({"sleep_ms":600000,"pad":")" + std::string(200000, 'p') + "\"}";
  int accepted = 0;
  std::string error;
  for (int i = 0; i < 40 && error.empty(); ++i) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/2015-03-31/functions/Echo/invocations", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set("X-Amz-Invocation-Type", "Event");
    req.body() = payload;
    req.prepare_payload();
    const auto res = client.send(req);
    if (res.result_int() == 202) ++accepted;
    else error = std::to_string(res.result_int()) + " " + std::string(res["x-amzn-ErrorType"]) + " " + res.body();
  }
  MESSAGE("disk full after " << accepted << " events: " << error);
  CHECK(accepted > 0);
  CHECK(error.find("500 ServiceException") == 0);
  CHECK(error.find("disk is full") != std::string::npos);
  CHECK(health_ok(port1));  // still serving
  ::kill(pid1, SIGTERM);

  REQUIRE(wait_for_file(ready2, ns, 30s));
  CHECK(ns.out().find("integrity=ok") != std::string::npos);
  CHECK(ns.out().find("stored=" + std::to_string(accepted)) != std::string::npos);
  const auto [pid2, port2] = pid_of(ready2);
  CHECK(health_ok(port2));
  std::ifstream second(dir.path() / "second.log");
  const std::string log((std::istreambuf_iterator<char>(second)), std::istreambuf_iterator<char>());
  CHECK(log.find("restored " + std::to_string(accepted) + " async events") != std::string::npos);
  ::kill(pid2, SIGTERM);
  CHECK(ns.wait(30s) == 0);
}

TEST_CASE("retained messages acknowledged with PUBACK survive kill -9, a deleted one stays deleted") {
  temp_dir dir;
  const auto tmpl = echo_template();
  {
    lambkin_run lk(dir.path(), tmpl);
    const auto port = std::to_string(lk.mqtt_port());
    REQUIRE(run({"/usr/bin/mosquitto_pub", "-p", port, "-t", "devices/d1/state", "-m", "on", "-r", "-q", "1"}).code == 0);
    REQUIRE(run({"/usr/bin/mosquitto_pub", "-p", port, "-t", "devices/d2/state", "-m", "off", "-r", "-q", "1"}).code == 0);
    REQUIRE(run({"/usr/bin/mosquitto_pub", "-p", port, "-t", "devices/d2/state", "-n", "-r", "-q", "1"}).code == 0);
    lk.process().signal(SIGKILL);
    lk.process().wait(10s);
  }
  lambkin_run lk(dir.path(), tmpl);
  CHECK(wait_for_stderr(lk.process(), "restored 1 retained MQTT messages", 10s));
  const auto port = std::to_string(lk.mqtt_port());
  child_process sub({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", port, "-t", "devices/d1/state",
                     "-C", "1", "-W", "20"});
  REQUIRE(sub.wait(30s) == 0);
  CHECK(sub.out().find("r1") != std::string::npos);  // delivered as retained
  CHECK(sub.out().find("\non\n") != std::string::npos);
  // d2's retained message was deleted before the kill: ListRetainedMessages has d1 only.
  http_client client(lk.aws_port());
  const auto list = boost::json::parse(client.request(bhttp::verb::get, "/retainedMessage").body()).as_object();
  const auto& topics = list.at("retainedTopics").as_array();
  REQUIRE(topics.size() == 1);
  CHECK(topics[0].as_object().at("topic") == "devices/d1/state");
  CHECK(lk.stop() == 0);
}
