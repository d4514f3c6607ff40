#pragma once
// A local certificate authority for MQTT over TLS (`lambkin certs DIR --devices dev-1,dev-2`):
// what AWS IoT Core gives a developer (its server certificate, device certificates from
// CreateKeysAndCertificate), made offline with OpenSSL's API.
//
// In DIR:
//   ca.pem, ca.key           the CA (self-signed, 10 years), reused when both files exist
//   server.pem, server.key   the broker's certificate: SAN IP 127.0.0.1, IP ::1, DNS localhost
//                            (for `lambkin run --tls-cert server.pem --tls-key server.key --tls-ca ca.pem`)
//   <device>.pem, .key       one client certificate per device, CN = the device name
// Keys are ECDSA P-256, certificates X.509 v3 signed with SHA-256, leaves valid 2 years. Keys are
// written mode 0600. With a new CA every file is (re)written; with a reused CA, server and device
// files that already exist are kept, so devices can be added later.
#include <filesystem>
#include <string>
#include <vector>

namespace lambkin::io::mqtt {

struct certificate_files {
  std::string name;            // "ca", "server" or the device name
  std::filesystem::path cert;  // PEM certificate
  std::filesystem::path key;   // PEM private key
  std::string id;              // certificate_id(): what principal() returns for a device
  bool written = false;        // false: the files existed and were kept
};

struct local_certificates {
  std::vector<certificate_files> files;  // ca, server, then the devices in order
  std::string error;                     // empty on success; otherwise what failed, and nothing after it ran
};

/// A device name may hold letters, digits and `_ - . :` (AWS thing names, and a safe file name);
/// "ca" and "server" are taken.
bool valid_device_name(const std::string& name);

/// Creates `dir` if needed and makes (or keeps) the files above.
local_certificates make_local_certificates(const std::filesystem::path& dir, const std::vector<std::string>& devices);

}  // namespace lambkin::io::mqtt
