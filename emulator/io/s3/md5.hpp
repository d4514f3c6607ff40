#pragma once
// MD5 through OpenSSL (already linked for TLS): S3's ETags and Content-MD5.
#include <string>
#include <string_view>

namespace lambkin::io::s3 {

/// The 16-byte binary MD5 digest of `data`.
std::string md5_digest(std::string_view data);

}  // namespace lambkin::io::s3
