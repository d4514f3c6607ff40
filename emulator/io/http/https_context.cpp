// make_https_context (declared in http_server.hpp): the TLS server context of the HTTP
// listeners, from `lambkin run --https-cert/--https-key [--https-client-ca]`, with errors that
// name the option and the file.
#include "emulator/io/http/http_server.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace lambkin::io::http {

namespace {

/// Empty when `path` can be opened for reading, else why not.
std::string unreadable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) return {};
  return std::strerror(errno);
}

/// Mutual TLS: verify the client's certificate against `ca_file`; no certificate fails too.
bool require_client_certificates(net::ssl::context& ctx, const std::string& ca_file, std::string& error) {
  if (auto why = unreadable(ca_file); !why.empty()) {
    error = "--https-client-ca " + ca_file + ": " + why;
    return false;
  }
  boost::system::error_code ec;
  ctx.load_verify_file(ca_file, ec);
  if (ec) {
    error = "--https-client-ca " + ca_file + ": not a PEM certificate bundle (" + ec.message() + ")";
    return false;
  }
  ctx.set_verify_mode(net::ssl::verify_peer | net::ssl::verify_fail_if_no_peer_cert, ec);
  // A verifying server must name its session context, or OpenSSL refuses resumed sessions.
  static constexpr unsigned char session_context[] = "lambkin-https";
  if (!ec && SSL_CTX_set_session_id_context(ctx.native_handle(), session_context, sizeof session_context - 1) != 1)
    ec = boost::system::error_code(static_cast<int>(ERR_get_error()), net::error::get_ssl_category());
  if (ec) {
    error = "TLS: " + ec.message();
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<net::ssl::context> make_https_context(const std::string& cert_file, const std::string& key_file,
                                                      std::string& error, const std::string& client_ca_file) {
  namespace ssl = net::ssl;
  if (auto why = unreadable(cert_file); !why.empty()) {
    error = "--https-cert " + cert_file + ": " + why;
    return nullptr;
  }
  if (auto why = unreadable(key_file); !why.empty()) {
    error = "--https-key " + key_file + ": " + why;
    return nullptr;
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  if (ec) {
    error = "TLS: " + ec.message();
    return nullptr;
  }
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    error = "--https-cert " + cert_file + ": not a PEM certificate (" + ec.message() + ")";
    return nullptr;
  }
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec && ec.category() == net::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    error = "--https-key " + key_file + ": does not match --https-cert " + cert_file;
    return nullptr;
  }
  if (ec) {
    error = "--https-key " + key_file + ": not a PEM private key (" + ec.message() + ")";
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    error = "--https-key " + key_file + ": does not match --https-cert " + cert_file;
    return nullptr;
  }
  if (!client_ca_file.empty() && !require_client_certificates(*ctx, client_ca_file, error)) return nullptr;
  return ctx;
}

}  // namespace lambkin::io::http
