#pragma once
// An `AWS::IoT::Certificate`'s `CertificatePem` → its certificate id (what AWS IoT computes: the
// SHA-256 of the certificate's DER encoding, 64 lower-case hex digits; the same as
// io/mqtt/certificate_id.hpp computes from a TLS peer's certificate, here without OpenSSL).
//
// The value is the PEM text itself, or (lambkin only; CloudFormation would take it literally)
// `file://PATH`: the PEM file at PATH, relative to the template's directory — e.g. a device
// certificate made by `lambkin certs certs --devices dev-1`: `CertificatePem: file://certs/dev-1.pem`.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace lambkin::config {

/// The PEM `value` names (itself, or the file it points to); nullopt with `error` set.
std::optional<std::string> certificate_pem(std::string_view value, const std::filesystem::path& template_dir,
                                           std::string& error);

/// The id of the first certificate in `pem`; nullopt with `error` set.
std::optional<std::string> pem_certificate_id(std::string_view pem, std::string& error);

/// Both: the id of the certificate `value` gives.
std::optional<std::string> certificate_id_of(std::string_view value, const std::filesystem::path& template_dir,
                                             std::string& error);

}  // namespace lambkin::config
