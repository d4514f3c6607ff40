#include "emulator/io/mqtt/certificate_id.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace lambkin::io::mqtt {

std::string certificate_id(X509* cert) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  if (length <= 0) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  const bool ok = EVP_Digest(der, static_cast<std::size_t>(length), digest, &digest_length, EVP_sha256(), nullptr) == 1;
  OPENSSL_free(der);
  if (!ok) return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * digest_length);
  for (unsigned int i = 0; i < digest_length; ++i) {
    id += hex[digest[i] >> 4];
    id += hex[digest[i] & 0x0f];
  }
  return id;
}

std::optional<std::string> certificate_id_of_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return std::nullopt;
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return std::nullopt;
  auto id = certificate_id(cert.get());
  if (id.empty()) return std::nullopt;
  return id;
}

}  // namespace lambkin::io::mqtt
