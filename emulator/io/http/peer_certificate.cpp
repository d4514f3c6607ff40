#include "emulator/io/http/peer_certificate.hpp"

#include "emulator/core/text/hex.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace lambkin::io::http {
namespace {

using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

/// `CN=dev-1,O=lambkin`: RFC 2253 order and escaping, UTF-8 kept as is.
std::string distinguished_name(const X509_NAME* name) {
  bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) return {};
  return drain(bio.get());
}

/// `May 28 12:30:02 2019 GMT`, as OpenSSL prints ASN.1 times.
std::string asn1_time(const ASN1_TIME* t) {
  bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || ASN1_TIME_print(bio.get(), t) != 1) return {};
  return drain(bio.get());
}

/// The serial number's bytes in lower-case hex, joined by ':' (`0a:1b:…`).
std::string serial(const ASN1_INTEGER* n) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(n, nullptr), &BN_free);
  if (!bn) return {};
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  if (bytes.empty()) bytes.push_back('\0');
  const auto hex = text::to_hex(bytes);
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    if (i) out.push_back(':');
    out.append(hex, i, 2);
  }
  return out;
}

}  // namespace

std::optional<lambkin::http::client_certificate> peer_certificate(SSL* ssl) {
  if (!ssl) return std::nullopt;
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), &X509_free);
  if (!cert) return std::nullopt;
  lambkin::http::client_certificate c;
  if (bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free); bio && PEM_write_bio_X509(bio.get(), cert.get()) == 1)
    c.pem = drain(bio.get());
  c.subject_dn = distinguished_name(X509_get_subject_name(cert.get()));
  c.issuer_dn = distinguished_name(X509_get_issuer_name(cert.get()));
  c.serial_number = serial(X509_get0_serialNumber(cert.get()));
  c.not_before = asn1_time(X509_get0_notBefore(cert.get()));
  c.not_after = asn1_time(X509_get0_notAfter(cert.get()));
  return c;
}

}  // namespace lambkin::io::http
