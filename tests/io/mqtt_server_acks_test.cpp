// Acknowledgements on the wire, seen by mosquitto_pub -V mqttv5 -d: PUBACK 0x10 "No matching
// subscribers" (standard profile only) and 0x99 "Payload format invalid".
#include "io/mqtt_server_support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace lambkin::test;

TEST_CASE("mosquitto_pub -V mqttv5: PUBACK 0x10 when nobody subscribed (standard profile), 0x00 in the aws profile") {
  mqtt_broker_thread standard(lambkin::mqtt::profile::standard());
  auto pub = run(pub_args(standard, "mqttv5", "nobody/here", "x", {"-q", "1"}), client_timeout);
  CHECK_MESSAGE(pub.out.find("received PUBACK (Mid: 1, RC:16)") != std::string::npos, pub.out, pub.err);
  CHECK(pub.code == 0);  // 0x10 is a success code

  mqtt_broker_thread aws;
  pub = run(pub_args(aws, "mqttv5", "nobody/here", "x", {"-q", "1"}), client_timeout);
  CHECK_MESSAGE(pub.out.find("received PUBACK (Mid: 1, RC:0)") != std::string::npos, pub.out, pub.err);
}

TEST_CASE("mosquitto_pub -V mqttv5 with payload-format-indicator 1 and bytes that are not UTF-8: PUBACK 0x99") {
  mqtt_broker_thread b(lambkin::mqtt::profile::standard());
  temp_dir dir;
  const auto file = dir.path() / "payload.bin";
  std::ofstream(file, std::ios::binary) << std::string("\xC3\x28 not utf-8", 12);
  std::vector<std::string> args{"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", b.port(), "-V", "mqttv5", "-d", "-q",
                                "1", "-t", "t/bytes", "-f", file.string(), "-D", "publish", "payload-format-indicator", "1"};
  auto pub = run(args, client_timeout);
  CHECK_MESSAGE(pub.out.find("received PUBACK (Mid: 1, RC:153)") != std::string::npos, pub.out, pub.err);
  // The same bytes without the indicator are just bytes.
  args.resize(args.size() - 4);
  pub = run(args, client_timeout);
  CHECK_MESSAGE(pub.out.find("received PUBACK (Mid: 1, RC:16)") != std::string::npos, pub.out, pub.err);
}
