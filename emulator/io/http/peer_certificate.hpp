#pragma once
// The client certificate of a TLS session, in the form API Gateway hands it to functions
// (core/http/api_request.hpp `client_certificate`), read with OpenSSL's API.
#include "emulator/core/http/api_request.hpp"

#include <optional>

typedef struct ssl_st SSL;

namespace lambkin::io::http {

/// The peer's certificate on `ssl`, or nullopt when it presented none.
std::optional<lambkin::http::client_certificate> peer_certificate(SSL* ssl);

}  // namespace lambkin::io::http
