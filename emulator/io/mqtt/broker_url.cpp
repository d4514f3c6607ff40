#include "emulator/io/mqtt/broker_url.hpp"

#include "emulator/core/text/url.hpp"

#include <charconv>

namespace lambkin::io::mqtt {

std::string broker_url::display() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "mqtts://" : "mqtt://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<broker_url> parse_broker_url(std::string_view url, std::string& error) {
  broker_url out;
  if (url.starts_with("mqtt://")) {
    url.remove_prefix(7);
  } else if (url.starts_with("mqtts://")) {
    url.remove_prefix(8);
    out.tls = true;
    out.port = 8883;
  } else {
    error = "expected mqtt://host:port or mqtts://host:port";
    return std::nullopt;
  }
  if (url.ends_with('/')) url.remove_suffix(1);
  if (url.find_first_of("/?#") != std::string_view::npos) {
    error = "a broker URL has no path, query or fragment";
    return std::nullopt;
  }
  if (const auto at = url.rfind('@'); at != std::string_view::npos) {
    const auto credentials = url.substr(0, at);
    url.remove_prefix(at + 1);
    const auto colon = credentials.find(':');
    auto user = text::percent_decode(credentials.substr(0, colon));
    std::optional<std::string> password;
    if (colon != std::string_view::npos) password = text::percent_decode(credentials.substr(colon + 1));
    if (!user || (colon != std::string_view::npos && !password) || user->empty()) {
      error = "the user name (before @) is empty or badly percent-encoded";
      return std::nullopt;
    }
    out.username = std::move(*user);
    out.password = std::move(password);
  }
  std::string_view port_text;
  if (url.starts_with('[')) {  // [IPv6]:port
    const auto close = url.find(']');
    if (close == std::string_view::npos) {
      error = "an IPv6 address needs its closing ]";
      return std::nullopt;
    }
    out.host = std::string(url.substr(1, close - 1));
    url.remove_prefix(close + 1);
    if (!url.empty() && !url.starts_with(':')) {
      error = "expected :port after the IPv6 address";
      return std::nullopt;
    }
    if (!url.empty()) port_text = url.substr(1);
  } else {
    const auto colon = url.find(':');
    out.host = std::string(url.substr(0, colon));
    if (colon != std::string_view::npos) port_text = url.substr(colon + 1);
  }
  if (out.host.empty()) {
    error = "the host is missing";
    return std::nullopt;
  }
  if (!port_text.empty() || url.ends_with(':')) {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      error = "the port must be 1-65535";
      return std::nullopt;
    }
    out.port = static_cast<unsigned short>(port);
  }
  return out;
}

}  // namespace lambkin::io::mqtt
