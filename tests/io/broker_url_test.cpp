// `--broker` URLs of bridge mode (emulator/io/mqtt/broker_url.hpp).
#include "emulator/io/mqtt/broker_url.hpp"

#include <doctest/doctest.h>

using lambkin::io::mqtt::parse_broker_url;

TEST_CASE("broker URLs: scheme, host, port, credentials, IPv6") {
  std::string why;
  auto u = parse_broker_url("mqtt://127.0.0.1:1884", why);
  REQUIRE(u);
  CHECK_FALSE(u->tls);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 1884);
  CHECK(u->display() == "mqtt://127.0.0.1:1884");

  u = parse_broker_url("mqtts://broker.example.com", why);
  REQUIRE(u);
  CHECK(u->tls);
  CHECK(u->port == 8883);
  CHECK(u->display() == "mqtts://broker.example.com:8883");

  u = parse_broker_url("mqtt://emqx", why);
  REQUIRE(u);
  CHECK(u->port == 1883);

  u = parse_broker_url("mqtt://lambkin:s%40cret@10.0.0.2:1883/", why);
  REQUIRE(u);
  CHECK(u->username == "lambkin");
  CHECK(u->password == "s@cret");
  CHECK(u->host == "10.0.0.2");
  CHECK(u->display() == "mqtt://10.0.0.2:1883");  // no credentials in logs

  u = parse_broker_url("mqtt://[::1]:1885", why);
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->port == 1885);
  CHECK(u->display() == "mqtt://[::1]:1885");
}

TEST_CASE("broker URLs: what is refused, and why") {
  const std::pair<const char*, const char*> bad[] = {
      {"http://127.0.0.1:1883", "expected mqtt://host:port or mqtts://host:port"},
      {"127.0.0.1:1883", "expected mqtt://host:port or mqtts://host:port"},
      {"mqtt://", "the host is missing"},
      {"mqtt://:1883", "the host is missing"},
      {"mqtt://h:0", "the port must be 1-65535"},
      {"mqtt://h:65536", "the port must be 1-65535"},
      {"mqtt://h:x", "the port must be 1-65535"},
      {"mqtt://h:", "the port must be 1-65535"},
      {"mqtt://h:1883/topic", "a broker URL has no path, query or fragment"},
      {"mqtt://h?x=1", "a broker URL has no path, query or fragment"},
      {"mqtt://[::1", "an IPv6 address needs its closing ]"},
      {"mqtt://@h", "the user name (before @) is empty or badly percent-encoded"},
      {"mqtt://u%zz@h", "the user name (before @) is empty or badly percent-encoded"},
  };
  for (const auto& entry : bad) {
    const std::string& url = entry.first;  // INFO captures it: no structured binding (clang 14)
    const auto& reason = entry.second;
    std::string why;
    INFO(url);
    CHECK_FALSE(parse_broker_url(url, why));
    CHECK(why == reason);
  }
}
