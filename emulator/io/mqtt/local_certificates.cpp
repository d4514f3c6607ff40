#include "emulator/io/mqtt/local_certificates.hpp"

#include "emulator/io/mqtt/certificate_id.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

namespace lambkin::io::mqtt {
namespace {

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr long day = 24L * 60 * 60;

/// Thrown inside this file only, turned into `local_certificates::error` at the boundary.
struct failure {
  std::string what;
};

std::string openssl_error() {
  const unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

void check(int ok, const std::string& what) {
  if (ok != 1) throw failure{what + ": " + openssl_error()};
}

pkey_ptr new_key() {
  pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
  if (!key) throw failure{"generating a P-256 key: " + openssl_error()};
  return key;
}

void add_extension(X509* cert, X509V3_CTX& ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  if (!ext) throw failure{std::string("certificate extension ") + value + ": " + openssl_error()};
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(ok, "adding a certificate extension");
}

/// A certificate for `key` named `common_name`, signed by `issuer` (self-signed when null).
x509_ptr new_certificate(const std::string& common_name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                         long days, const std::vector<std::pair<int, std::string>>& extensions) {
  x509_ptr cert(X509_new(), &X509_free);
  if (!cert) throw failure{"X509_new: " + openssl_error()};
  check(X509_set_version(cert.get(), X509_VERSION_3), "setting the certificate version");
  // A random positive 127-bit serial, as CAs must make them unpredictable.
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial), "random serial");
  serial[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), &BN_free);
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
    throw failure{"certificate serial: " + openssl_error()};
  // Valid from an hour ago, so a clock a little behind does not reject a fresh certificate.
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * day))
    throw failure{"certificate validity: " + openssl_error()};
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("lambkin"), -1,
                                   -1, 0),
        "certificate subject");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
        "certificate subject");
  check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name), "certificate issuer");
  check(X509_set_pubkey(cert.get(), key), "certificate key");
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) add_extension(cert.get(), ctx, nid, value.c_str());
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) throw failure{"signing: " + openssl_error()};
  return cert;
}

std::string pem_of(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
  check(PEM_write_bio_X509(bio.get(), cert), "PEM certificate");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* key) {
  bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM key");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

/// Writes `text` to `path` with `mode` (applied even when the file existed: a key never stays
/// readable by others).
void write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw failure{path.string() + ": cannot write"};
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) ok = false;
    else done += static_cast<std::size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw failure{path.string() + ": cannot write"};
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw failure{path.string() + ": cannot read"};
  return text.str();
}

struct loaded_ca {
  x509_ptr cert{nullptr, &X509_free};
  pkey_ptr key{nullptr, &EVP_PKEY_free};
};

loaded_ca read_ca(const std::filesystem::path& cert_path, const std::filesystem::path& key_path) {
  loaded_ca ca;
  const auto cert_text = read_file(cert_path);
  const auto key_text = read_file(key_path);
  bio_ptr cb(BIO_new_mem_buf(cert_text.data(), static_cast<int>(cert_text.size())), &BIO_free);
  ca.cert.reset(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
  if (!ca.cert) throw failure{cert_path.string() + ": not a PEM certificate"};
  bio_ptr kb(BIO_new_mem_buf(key_text.data(), static_cast<int>(key_text.size())), &BIO_free);
  ca.key.reset(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
  if (!ca.key) throw failure{key_path.string() + ": not a PEM private key"};
  if (X509_check_private_key(ca.cert.get(), ca.key.get()) != 1)
    throw failure{key_path.string() + ": does not match " + cert_path.string()};
  return ca;
}

/// Issues `name`.pem/.key signed by the CA, unless `keep_existing` and both files exist.
certificate_files issue(const std::filesystem::path& dir, const std::string& name, const loaded_ca& ca,
                        bool keep_existing, const std::vector<std::pair<int, std::string>>& extensions) {
  certificate_files f{name, dir / (name + ".pem"), dir / (name + ".key"), {}, false};
  if (keep_existing && std::filesystem::exists(f.cert) && std::filesystem::exists(f.key)) {
    f.id = certificate_id_of_pem(read_file(f.cert)).value_or("");
    return f;
  }
  auto key = new_key();
  auto cert = new_certificate(name, key.get(), ca.cert.get(), ca.key.get(), 2 * 365, extensions);
  write_file(f.key, pem_of(key.get()), 0600);
  write_file(f.cert, pem_of(cert.get()), 0644);
  f.id = certificate_id(cert.get());
  f.written = true;
  return f;
}

}  // namespace

bool valid_device_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name == "ca" || name == "server" || name == "." || name == "..")
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
  });
}

local_certificates make_local_certificates(const std::filesystem::path& dir, const std::vector<std::string>& devices) {
  local_certificates out;
  try {
    for (const auto& d : devices)
      if (!valid_device_name(d))
        throw failure{"device name '" + d + "': use letters, digits, _ - . : (not ca or server)"};
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw failure{dir.string() + ": " + ec.message()};

    certificate_files ca_files{"ca", dir / "ca.pem", dir / "ca.key", {}, false};
    loaded_ca ca;
    const bool reuse = std::filesystem::exists(ca_files.cert) && std::filesystem::exists(ca_files.key);
    if (reuse) {
      ca = read_ca(ca_files.cert, ca_files.key);
    } else {
      ca.key = new_key();
      ca.cert = new_certificate("lambkin local CA", ca.key.get(), nullptr, ca.key.get(), 10 * 365,
                                {{NID_basic_constraints, "critical,CA:TRUE"},
                                 {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                 {NID_subject_key_identifier, "hash"}});
      write_file(ca_files.key, pem_of(ca.key.get()), 0600);
      write_file(ca_files.cert, pem_of(ca.cert.get()), 0644);
      ca_files.written = true;
    }
    ca_files.id = certificate_id(ca.cert.get());
    out.files.push_back(ca_files);

    const std::vector<std::pair<int, std::string>> leaf{{NID_basic_constraints, "critical,CA:FALSE"},
                                                        {NID_key_usage, "critical,digitalSignature"},
                                                        {NID_subject_key_identifier, "hash"},
                                                        {NID_authority_key_identifier, "keyid"}};
    auto server_ext = leaf;
    server_ext.push_back({NID_ext_key_usage, "serverAuth"});
    server_ext.push_back({NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost"});
    out.files.push_back(issue(dir, "server", ca, reuse, server_ext));
    auto client_ext = leaf;
    client_ext.push_back({NID_ext_key_usage, "clientAuth"});
    for (const auto& d : devices) out.files.push_back(issue(dir, d, ca, reuse, client_ext));
  } catch (const failure& f) {
    out.error = f.what;
  }
  return out;
}

}  // namespace lambkin::io::mqtt
