// lambkin-devices: the reading model (deterministic, realistic), and the simulator publishing
// through `lambkin run`'s broker and through mosquitto (a peer broker) to a mosquitto_sub.
#include "e2e/iot_support.hpp"
#include "tools/devices/reading_model.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <regex>
#include <set>

using lambkin::test::child_process;
namespace dev = lambkin::devices;

namespace {

const std::string devices_exe = LAMBKIN_DEVICES_EXE;

std::string echo_template() {
  return "Transform: AWS::Serverless-2016-10-31\nResources:\n  Echo:\n    Type: AWS::Serverless::Function\n"
         "    Properties:\n      Runtime: provided.al2023\n      Handler: echo\n      CodeUri: " CPP_ECHO_DIR "\n";
}

/// The JSON summary: the last line of stdout.
boost::json::object summary_of(const std::string& out) {
  const auto end = out.find_last_not_of('\n');
  const auto start = out.rfind('\n', end);
  return boost::json::parse(out.substr(start == std::string::npos ? 0 : start + 1)).as_object();
}

std::uint64_t count(const boost::json::object& o, const char* key) { return o.at(key).to_number<std::uint64_t>(); }

}  // namespace

TEST_CASE("reading model: one seed and device give one series, devices differ, spikes go over 30 °C") {
  const dev::model_options options{.seed = 42};
  dev::reading_model a(options, 3), b(options, 3), other(options, 4);
  int over = 0;
  bool differs = false;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const auto r = a.next();
    const auto same = b.next();
    CHECK(dev::to_json(r) == dev::to_json(same));
    if (dev::to_json(other.next()) != dev::to_json(r)) differs = true;
    CHECK(r.seq == i);
    CHECK(r.temperature > 5);
    CHECK(r.temperature < 45);
    CHECK(r.humidity >= 30);
    CHECK(r.humidity <= 70);
    CHECK(r.battery >= 5);
    CHECK(r.battery <= 100);
    if (r.temperature > 30) ++over;
  }
  CHECK(differs);
  CHECK(over > 0);      // alerts fire…
  CHECK(over < 600);    // …now and then, not all the time
  CHECK(dev::to_json({21.5, 41.2, 97, 123}) == R"({"temperature":21.50,"humidity":41.2,"battery":97,"seq":123})");
}

TEST_CASE("lambkin-devices at QoS 1: every reading reaches a subscriber through lambkin run's broker") {
  lambkin::test::iot_lambkin lambkin(echo_template());
  constexpr int devices = 5, total = 300;
  auto sub = lambkin::test::subscriber(lambkin.mqtt_port(), "things/+/temperature", total);
  auto r = lambkin::test::run({devices_exe, "--host", "127.0.0.1", "--port", lambkin.mqtt_port(), "--devices",
                               std::to_string(devices), "--rate", "150", "--duration", "2", "--qos", "1", "--seed", "7",
                               "--json"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  const auto s = summary_of(r.out);
  CHECK(count(s, "scheduled") == total);
  CHECK(count(s, "sent") == total);
  CHECK(count(s, "acknowledged") == total);
  CHECK(count(s, "failed") == 0);

  REQUIRE(sub->wait(std::chrono::seconds(30)) == 0);  // -C: exits once all arrived
  const auto lines = lambkin::test::message_lines(sub->out());
  CHECK(lines.size() == total);
  const std::regex message(
      R"(things/(dev-[1-5])/temperature \{"temperature":-?\d+\.\d\d,"humidity":\d+\.\d,"battery":\d+,"seq":\d+\})");
  std::set<std::string> seen;
  for (const auto& line : lines) {
    std::smatch m;
    CHECK_MESSAGE(std::regex_match(line, m, message), line);
    if (!m.empty()) seen.insert(m[1]);
  }
  CHECK(seen.size() == devices);
}

TEST_CASE("lambkin-devices at QoS 0 against mosquitto, a peer broker") {
  const auto port = std::to_string(lambkin::test::unused_port());
  child_process broker({"/usr/sbin/mosquitto", "-p", port});
  // mosquitto logs to stderr; "mosquitto version … running" comes once its listeners are open.
  REQUIRE_MESSAGE(lambkin::test::wait_for_stderr(broker, " running", std::chrono::seconds(10)),
                  broker.err());
  auto sub = lambkin::test::subscriber(port, "fleet/+/temperature", 100);
  auto r = lambkin::test::run({devices_exe, "--port", port, "--devices", "4", "--rate", "100", "--duration", "1",
                               "--topic-prefix", "fleet", "--client-id-prefix", "sensor-", "--json"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  const auto s = summary_of(r.out);
  CHECK(count(s, "sent") == 100);
  CHECK(count(s, "acknowledged") == 0);  // QoS 0 has no PUBACK
  REQUIRE(sub->wait(std::chrono::seconds(30)) == 0);
  const auto lines = lambkin::test::message_lines(sub->out());
  CHECK(lines.size() == 100);
  CHECK(lines.front().starts_with("fleet/sensor-"));
}

TEST_CASE("lambkin-devices names host:port and exits 2 when nothing listens there") {
  const auto port = std::to_string(lambkin::test::unused_port());
  auto r = lambkin::test::run({devices_exe, "--port", port, "--devices", "2", "--duration", "1"});
  CHECK(r.code == 2);
  CHECK(r.err.find("cannot connect to 127.0.0.1:" + port) != std::string::npos);
  CHECK(r.out.empty());
}
