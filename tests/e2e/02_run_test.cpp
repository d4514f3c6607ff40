// `lambkin run`: listeners come up on port 0, the ready file tells where, SIGINT/SIGTERM stop it cleanly.
#include "e2e/lambkin_instance.hpp"
#include "io/http_client.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <csignal>
#include <fstream>
#include <sstream>

using lambkin::test::child_process;
namespace bhttp = boost::beast::http;

namespace {

const std::string temperature_template = std::string(LAMBKIN_SOURCE_DIR) + "/examples/temperature/template.yaml";

boost::json::object read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return boost::json::parse(s.str()).as_object();
}

}  // namespace

TEST_CASE("lambkin run writes the ready file, serves health, and stops on SIGTERM and SIGINT") {
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    lambkin::test::temp_dir dir;
    const auto ready = dir.path() / "ready.json";
    child_process lambkin({lambkin::test::lambkin_exe(), "run", temperature_template, "--aws-port", "0",
                           "--mqtt-port", "0", "--ws-port", "0", "--http-port", "0", "--ready-file",
                           ready.string(), "--data-dir", (dir.path() / "data").string()});
    REQUIRE_MESSAGE(lambkin::test::wait_for_file(ready, lambkin, std::chrono::seconds(30)), lambkin.err());
    auto ports = read_json(ready);
    CHECK(ports.at("pid") == lambkin.pid());
    const auto aws = static_cast<unsigned short>(ports.at("aws").as_int64());
    CHECK(aws != 0);
    CHECK(ports.at("mqtt").as_int64() != 0);
    CHECK(std::filesystem::is_directory(dir.path() / "data"));

    lambkin::test::http_client client(aws);
    auto res = client.request(bhttp::verb::get, "/_lambkin/health");
    CHECK(res.result_int() == 200);
    auto health = boost::json::parse(res.body()).as_object();
    CHECK(health.at("status") == "ok");
    CHECK(health.at("resources").at("functions") == 3);

    lambkin.signal(sig);
    auto code = lambkin.wait(std::chrono::seconds(10));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(lambkin.err().find("stopped") != std::string::npos);
  }
}

TEST_CASE("lambkin run fails with a clear message when its port is taken") {
  lambkin::test::temp_dir dir;
  const auto ready = dir.path() / "ready.json";
  // Each its own data directory: the second must fail on the port, not on the data directory's lock.
  child_process first({lambkin::test::lambkin_exe(), "run", temperature_template, "--aws-port", "0", "--mqtt-port", "0",
                       "--ws-port", "0", "--http-port", "0", "--ready-file", ready.string(), "--data-dir",
                       (dir.path() / "first").string()});
  REQUIRE(lambkin::test::wait_for_file(ready, first, std::chrono::seconds(30)));
  const auto port = read_json(ready).at("aws").as_int64();
  auto second = lambkin::test::run({lambkin::test::lambkin_exe(), "run", temperature_template, "--aws-port",
                                    std::to_string(port), "--data-dir", (dir.path() / "second").string()});
  CHECK(second.code == 1);
  CHECK(second.err.find("AWS endpoint: cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
  first.signal(SIGTERM);
  CHECK(first.wait(std::chrono::seconds(10)) == 0);
}

TEST_CASE("lambkin run refuses a broken template before opening any port") {
  lambkin::test::temp_dir dir;
  const auto bad = dir.path() / "bad.yaml";
  std::ofstream(bad) << "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                        "      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: .\n"
                        "      MemorySize: 64\n";
  auto r = lambkin::test::run({lambkin::test::lambkin_exe(), "run", bad.string(), "--aws-port", "0"});
  CHECK(r.code == 1);
  CHECK(r.err.find(bad.string() + ":8:19: Resources.Fn.Properties.MemorySize") != std::string::npos);
}

TEST_CASE("lambkin run's MQTT broker carries a device's reading to a subscriber (mosquitto clients)") {
  lambkin::test::temp_dir dir;
  const auto ready = dir.path() / "ready.json";
  child_process lambkin({lambkin::test::lambkin_exe(), "run", temperature_template, "--aws-port", "0", "--mqtt-port",
                         "0", "--ws-port", "0", "--http-port", "0", "--ready-file", ready.string(), "--data-dir",
                         (dir.path() / "data").string()});
  REQUIRE(lambkin::test::wait_for_file(ready, lambkin, std::chrono::seconds(30)));
  const auto mqtt = std::to_string(read_json(ready).at("mqtt").as_int64());
  // -d prints "received SUBACK" once subscribed; stdbuf keeps its stdout line-buffered in a file.
  child_process sub({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-p", mqtt, "-t",
                     "things/+/temperature", "-C", "1", "-W", "20", "-V", "mqttv5"});
  REQUIRE(lambkin::test::wait_for_stdout(sub, "SUBACK", std::chrono::seconds(20)));
  auto pub = lambkin::test::run({"/usr/bin/mosquitto_pub", "-p", mqtt, "-t", "things/dev-1/temperature", "-m",
                                 R"({"temperature":21.5})", "-q", "1", "-V", "mqttv311"});
  CHECK(pub.code == 0);
  CHECK(sub.wait(std::chrono::seconds(20)) == 0);
  CHECK(sub.out().find(R"({"temperature":21.5})") != std::string::npos);
  lambkin.signal(SIGTERM);
  CHECK(lambkin.wait(std::chrono::seconds(10)) == 0);
  CHECK(lambkin.err().find("MQTT broker (aws profile) listening") != std::string::npos);
}

TEST_CASE("lambkin run warns when --bind opens its listeners beyond this machine, and not by default") {
  const auto tmpl = lambkin::test::template_for(
      {{"Echo", "nodejs20.x", "index.handler", std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/node-basic", ""}});
  lambkin::test::lambkin_instance open(tmpl, {"--bind", "0.0.0.0"});
  CHECK(open.log().find("--bind 0.0.0.0: every listener is reachable from other machines") != std::string::npos);
  lambkin::test::lambkin_instance local(tmpl);
  CHECK(local.log().find("reachable from other machines") == std::string::npos);
}
