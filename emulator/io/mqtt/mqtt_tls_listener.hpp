#pragma once
// MQTT over TLS with X.509 client certificates (mutual TLS), as AWS IoT Core's port 8883: the
// server presents `cert`/`key`; every client must present a certificate that verifies against
// `ca`, or the handshake fails (logged) and MQTT never starts. The client certificate's id
// (certificate_id.hpp: SHA-256 of its DER, lower-case hex) becomes the connection's principal:
// the rules' principal() and the lifecycle events' principalIdentifier. TLS 1.2 and 1.3.
//
// Typical wiring (after the mqtt_server is listening):
//   io::mqtt::mqtt_tls_listener tls(ioc.get_executor(), mqtt, "127.0.0.1", 8883, files);
//   if (auto err = tls.load()) fail(*err);
//   if (auto ec = tls.listen()) fail(ec);
//   tls.start();  …  tls.stop() before mqtt.stop().
//
// Logs (logger "mqtt"): one info line per failed handshake (address and OpenSSL's reason).
#include "emulator/io/mqtt/transport_listener.hpp"

#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace lambkin::io::mqtt {

class mqtt_server;

/// PEM files (`lambkin run --tls-cert --tls-key --tls-ca`).
struct tls_files {
  std::filesystem::path cert;  // the server's certificate (chain)
  std::filesystem::path key;   // its private key
  std::filesystem::path ca;    // the CA(s) client certificates must chain to
};

class mqtt_tls_listener : public transport_listener {
 public:
  /// `server` must outlive this listener.
  mqtt_tls_listener(boost::asio::any_io_executor executor, mqtt_server& server, std::string bind_address,
                    unsigned short port, tls_files files,
                    std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(10));

  /// Reads the certificate, key and CA; the error names the file and OpenSSL's reason.
  std::optional<std::string> load();

 protected:
  boost::asio::awaitable<void> handshake(tcp::socket socket, std::string remote_ip) override;

 private:
  mqtt_server& server_;
  tls_files files_;
  boost::asio::ssl::context context_;
};

}  // namespace lambkin::io::mqtt
