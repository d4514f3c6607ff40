#pragma once
// One request as API Gateway sees it, and what API Gateway knows about itself at that moment.
// The shell fills both in (it owns the socket and the clock); the event builders read them.
#include "emulator/core/lambda/random.hpp"
#include "lambkin/clock.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::http {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// The certificate a client presented over mutual TLS, as API Gateway passes it on
/// (`requestContext.authentication.clientCert` in 2.0 events, `requestContext.identity.clientCert`
/// in 1.0 ones). The shell reads it from the TLS session.
struct client_certificate {
  std::string pem;            // clientCertPem: the whole PEM text
  std::string subject_dn;     // subjectDN, RFC 2253 (`CN=dev-1,O=lambkin`)
  std::string issuer_dn;      // issuerDN, the same form
  std::string serial_number;  // serialNumber: lower-case hex bytes joined by ':'
  std::string not_before;     // validity.notBefore, as `May 28 12:30:02 2019 GMT`
  std::string not_after;      // validity.notAfter
};

struct api_request {
  std::string method;      // as sent, e.g. GET
  std::string raw_path;    // as sent, still percent-encoded, e.g. /items/a%20b
  std::string raw_query;   // after `?`, as sent; empty when none
  header_list headers;     // as received: original case and order, repeats kept
  std::string body;        // raw bytes
  std::string source_ip;
  std::string protocol = "HTTP/1.1";
  /// Set when the client presented a certificate (`--https-client-ca`).
  std::optional<client_certificate> client_cert;
};

struct gateway_context {
  std::string api_id;      // make_api_id(logical id)
  std::string stage;       // `$default`, `Prod`, …
  std::string account_id;
  std::string domain_name; // the Host header without its port
  std::string request_id;
  /// HTTP API 1.0 / REST `extendedRequestId` (HTTP API's own request id format).
  std::string extended_request_id;
  epoch_ms time = 0;
  /// The listener's port (`x-forwarded-port`).
  unsigned short port = 0;
  /// The listener's scheme (`x-forwarded-proto`): "http", or "https" with --https-cert.
  std::string proto = "http";
};

/// The last value of header `name` (case-insensitive), or nullopt.
std::optional<std::string> find_header(const header_list& headers, std::string_view name);

/// HTTP APIs pass the body as text only for these content types (parameters ignored, case
/// insensitive): text/*, application/json, application/xml, application/javascript. Everything
/// else, a missing Content-Type included, is base64-encoded with isBase64Encoded true.
bool is_text_content_type(std::string_view content_type) noexcept;

/// API Gateway's time format: `12/Mar/2020:19:03:58 +0000` (UTC).
std::string format_request_time(epoch_ms t);

/// A 10-character API id (lower-case letters and digits) derived from the API's logical id, the
/// same on every run, like `a1b2c3d4e5`.
std::string make_api_id(std::string_view logical_id);

/// An HTTP API request id: 11 random bytes in base64, e.g. `JKJaXmPLvHcESHA=`. Two draws.
std::string make_gateway_request_id(lambda::splitmix64& rng);

/// ASCII lower case.
std::string lower(std::string_view s);

}  // namespace lambkin::http
