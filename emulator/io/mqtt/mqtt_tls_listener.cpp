#include "emulator/io/mqtt/mqtt_tls_listener.hpp"

#include "emulator/io/log.hpp"
#include "emulator/io/mqtt/certificate_id.hpp"
#include "emulator/io/mqtt/certificate_variables.hpp"
#include "emulator/io/mqtt/mqtt_server.hpp"
#include "emulator/io/mqtt/tls_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <utility>

namespace lambkin::io::mqtt {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

mqtt_tls_listener::mqtt_tls_listener(net::any_io_executor executor, mqtt_server& server, std::string bind_address,
                                     unsigned short port, tls_files files,
                                     std::chrono::steady_clock::duration handshake_timeout)
    : transport_listener(std::move(executor), std::move(bind_address), port, handshake_timeout),
      server_(server),
      files_(std::move(files)),
      context_(ssl::context::tls_server) {}

std::optional<std::string> mqtt_tls_listener::load() {
  boost::system::error_code ec;
  context_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (ec) return "TLS: " + ec.message();
  auto fail = [&](const char* what, const std::filesystem::path& p) {
    return std::string("--tls-") + what + " " + p.string() + ": " + ec.message();
  };
  context_.use_certificate_chain_file(files_.cert.string(), ec);
  if (ec) return fail("cert", files_.cert);
  context_.use_private_key_file(files_.key.string(), ssl::context::pem, ec);
  if (ec) return fail("key", files_.key);
  if (SSL_CTX_check_private_key(context_.native_handle()) != 1)
    return "--tls-key " + files_.key.string() + ": does not match --tls-cert " + files_.cert.string();
  context_.load_verify_file(files_.ca.string(), ec);
  if (ec) return fail("ca", files_.ca);
  // Mutual TLS: no certificate, or one the CA did not sign, fails the handshake.
  context_.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  if (ec) return "TLS: " + ec.message();
  return std::nullopt;
}

net::awaitable<void> mqtt_tls_listener::handshake(tcp::socket socket, std::string remote_ip) {
  auto alive = alive_;
  auto tls = std::make_shared<tls_stream>(std::move(socket), context_);
  lambkin::mqtt::connection_info info{std::move(remote_ip), {}, {}};
  {
    tracked deadline(*this, [weak = std::weak_ptr<tls_stream>(tls)] {
      if (auto s = weak.lock()) transport_ops<tls_stream>::close_now(*s);
    });
    auto [ec] = co_await tls->async_handshake(ssl::stream_base::server, net::as_tuple(net::use_awaitable));
    if (!*alive) co_return;
    if (ec) {
      logger("mqtt")->info("TLS handshake with {} failed: {}", info.ip_address, ec.message());
      co_return;
    }
    std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(tls->native_handle()), &X509_free);
    if (cert) {
      info.principal = certificate_id(cert.get());
      info.certificate_variables = certificate_variables(cert.get());
    }
  }
  server_.adopt(std::move(*tls), std::move(info));
}

}  // namespace lambkin::io::mqtt
