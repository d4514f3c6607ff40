#pragma once
// The external broker of bridge mode (`lambkin run --broker URL`, `Metadata.lambkin.broker`):
//   mqtt://host[:port]            MQTT over TCP, port 1883 by default
//   mqtts://host[:port]           MQTT over TLS (the system's CA certificates), port 8883 by default
//   mqtt://user:password@host…    credentials for CONNECT (percent-decoded)
//   mqtt://[::1]:1883             an IPv6 literal in brackets
// No path, query or fragment.
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::io::mqtt {

struct broker_url {
  bool tls = false;
  std::string host;
  unsigned short port = 1883;
  std::string username;
  std::optional<std::string> password;

  /// `mqtt://host:port` (credentials left out: this is what logs and the ready file show).
  std::string display() const;
};

/// The URL's parts, or `error` set to why it is not one ("expected mqtt:// or mqtts://", …).
std::optional<broker_url> parse_broker_url(std::string_view url, std::string& error);

}  // namespace lambkin::io::mqtt
