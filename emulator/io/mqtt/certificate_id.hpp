#pragma once
// The id AWS IoT gives an X.509 certificate (certificateId, and the principal a device connected
// with it has): the SHA-256 of the certificate's DER encoding, 64 lower-case hex digits.
#include <optional>
#include <string>
#include <string_view>

typedef struct x509_st X509;

namespace lambkin::io::mqtt {

/// The id of `cert` ("" if it cannot be encoded).
std::string certificate_id(X509* cert);
/// The id of the first certificate in PEM text; nullopt if there is none.
std::optional<std::string> certificate_id_of_pem(std::string_view pem);

}  // namespace lambkin::io::mqtt
