#pragma once
// Test support for the IoT suites (devices, IoT Data API, TemperatureAlert): `lambkin run` with
// both the AWS endpoint's and the broker's ports known, and mosquitto_sub/_pub as real clients.
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lambkin::test {

/// `lambkin run` on `template_text` (written to a temp dir), ports 0, ready when the ready file is.
class iot_lambkin {
 public:
  explicit iot_lambkin(const std::string& template_text) {
    const auto tmpl = dir_.path() / "template.yaml";
    std::ofstream(tmpl) << template_text;
    const auto ready = dir_.path() / "ready.json";
    process_ = std::make_unique<child_process>(std::vector<std::string>{
        lambkin_exe(), "run", tmpl.string(), "--aws-port", "0", "--mqtt-port", "0", "--ws-port", "0", "--ready-file", ready.string(),
        "--data-dir", (dir_.path() / "data").string()});
    REQUIRE_MESSAGE(wait_for_file(ready, *process_, std::chrono::seconds(30)), process_->err());
    std::ifstream in(ready);
    std::stringstream text;
    text << in.rdbuf();
    const auto ports = boost::json::parse(text.str()).as_object();
    aws_ = static_cast<unsigned short>(ports.at("aws").as_int64());
    mqtt_ = static_cast<unsigned short>(ports.at("mqtt").as_int64());
  }
  ~iot_lambkin() {
    if (process_->running()) {
      process_->signal(SIGTERM);
      process_->wait(std::chrono::seconds(10));
    }
  }

  unsigned short aws_port() const { return aws_; }
  std::string mqtt_port() const { return std::to_string(mqtt_); }
  child_process& process() { return *process_; }

 private:
  temp_dir dir_;
  std::unique_ptr<child_process> process_;
  unsigned short aws_ = 0, mqtt_ = 0;
};

/// `mosquitto_sub -d` on `topic` that exits after `count` messages (or 30 s), printing `-F format`
/// per message; stdbuf keeps its stdout line-buffered in the file the test watches.
inline std::unique_ptr<child_process> subscriber(const std::string& port, const std::string& topic, int count,
                                                 const std::string& format = "%t %p", const std::string& version = "mqttv311") {
  auto sub = std::make_unique<child_process>(std::vector<std::string>{
      "/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1",
      "-t", topic, "-C", std::to_string(count), "-W", "30", "-F", format});
  const bool subscribed = wait_for_stdout(*sub, "received SUBACK", std::chrono::seconds(20));
  REQUIRE_MESSAGE(subscribed, (sub->out() + sub->err()));
  return sub;
}

/// The lines of a `mosquitto_sub -d` output that are messages (not its debug lines).
inline std::vector<std::string> message_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("Client ") && !line.starts_with("Subscribed (mid: ") && !line.empty()) lines.push_back(line);
  return lines;
}

/// A loopback port nothing listens on (bound, then released).
inline unsigned short unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace lambkin::test
