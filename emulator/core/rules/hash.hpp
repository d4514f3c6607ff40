#pragma once
// The digests behind md2() … sha512(): small pure implementations (the core may not link
// OpenSSL). Each returns the lower-case hex digest of `data`.
#include <string>
#include <string_view>

namespace lambkin::rules::detail {

std::string md2_hex(std::string_view data);
std::string md5_hex(std::string_view data);
std::string sha1_hex(std::string_view data);
std::string sha224_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string sha384_hex(std::string_view data);
std::string sha512_hex(std::string_view data);

}  // namespace lambkin::rules::detail
