#pragma once
// OpenSSL's SHA-256 and HMAC-SHA256 for the core's tests (the shell injects the same).
#include "emulator/core/sigv4/verifier.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace lambkin::test {

inline sigv4::crypto test_crypto() {
  sigv4::crypto c;
  c.sha256 = [](std::string_view d) {
    std::string out(32, '\0');
    unsigned n = 0;
    EVP_Digest(d.data(), d.size(), reinterpret_cast<unsigned char*>(out.data()), &n, EVP_sha256(), nullptr);
    return out;
  };
  c.hmac_sha256 = [](std::string_view k, std::string_view d) {
    std::string out(32, '\0');
    unsigned n = 0;
    HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()), reinterpret_cast<const unsigned char*>(d.data()), d.size(),
         reinterpret_cast<unsigned char*>(out.data()), &n);
    return out;
  };
  return c;
}

}  // namespace lambkin::test
