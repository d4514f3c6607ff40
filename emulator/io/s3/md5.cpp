#include "emulator/io/s3/md5.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace lambkin::io::s3 {

std::string md5_digest(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out, &length, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("OpenSSL cannot compute an MD5");
  return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace lambkin::io::s3
