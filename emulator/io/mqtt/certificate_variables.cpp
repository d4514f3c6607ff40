#include "emulator/io/mqtt/certificate_variables.hpp"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <map>
#include <memory>

namespace lambkin::io::mqtt {
namespace {

using variables = std::vector<std::pair<std::string, std::string>>;

constexpr std::pair<int, const char*> name_attributes[] = {
    {NID_commonName, "CommonName"},
    {NID_organizationName, "Organization"},
    {NID_organizationalUnitName, "OrganizationalUnit"},
    {NID_countryName, "Country"},
    {NID_stateOrProvinceName, "State"},
    {NID_dnQualifier, "DistinguishedNameQualifier"},
    {NID_serialNumber, "SerialNumber"},
    {NID_title, "Title"},
    {NID_surname, "Surname"},
    {NID_givenName, "GivenName"},
    {NID_initials, "Initials"},
    {NID_pseudonym, "Pseudonym"},
    {NID_generationQualifier, "GenerationQualifier"},
};

/// Values in order → the plain name for the first, `.1`, `.2`… for the others.
void add_values(const std::string& name, const std::vector<std::string>& values, variables& out) {
  for (std::size_t i = 0; i < values.size(); ++i)
    out.emplace_back(i == 0 ? name : name + "." + std::to_string(i), values[i]);
}

std::string utf8(const ASN1_STRING* s) {
  unsigned char* text = nullptr;
  const int n = ASN1_STRING_to_UTF8(&text, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n));
  OPENSSL_free(text);
  return out;
}

void add_name(const X509_NAME* name, const std::string& prefix, variables& out) {
  if (name == nullptr) return;
  for (const auto& [nid, attribute] : name_attributes) {
    std::vector<std::string> values;
    for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0; i = X509_NAME_get_index_by_NID(name, nid, i))
      values.push_back(utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i))));
    add_values(prefix + attribute, values, out);
  }
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  char text[INET6_ADDRSTRLEN] = {};
  const int family = ip->length == 4 ? AF_INET : ip->length == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, ip->data, text, sizeof text) == nullptr) return {};
  return text;
}

void add_alternative_names(X509* cert, int nid, const std::string& prefix, variables& out) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, nid, nullptr, nullptr));
  if (names == nullptr) return;
  std::map<std::string, std::vector<std::string>> by_kind;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    switch (g->type) {
      case GEN_DNS: by_kind["DNSName"].push_back(utf8(g->d.dNSName)); break;
      case GEN_EMAIL: by_kind["RFC822Name"].push_back(utf8(g->d.rfc822Name)); break;
      case GEN_URI: by_kind["UniformResourceIdentifier"].push_back(utf8(g->d.uniformResourceIdentifier)); break;
      case GEN_IPADD: by_kind["IPAddress"].push_back(ip_text(g->d.iPAddress)); break;
      default: break;
    }
  }
  GENERAL_NAMES_free(names);
  for (const auto& [kind, values] : by_kind) add_values(prefix + kind, values, out);
}

std::string decimal_serial(X509* cert) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr), &BN_free);
  if (!bn) return {};
  char* text = BN_bn2dec(bn.get());
  if (text == nullptr) return {};
  std::string out(text);
  OPENSSL_free(text);
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> certificate_variables(X509* cert) {
  variables out;
  if (cert == nullptr) return out;
  add_name(X509_get_subject_name(cert), "iot:Certificate.Subject.", out);
  add_name(X509_get_issuer_name(cert), "iot:Certificate.Issuer.", out);
  add_alternative_names(cert, NID_subject_alt_name, "iot:Certificate.Subject.AlternativeName.", out);
  add_alternative_names(cert, NID_issuer_alt_name, "iot:Certificate.Issuer.AlternativeName.", out);
  if (auto serial = decimal_serial(cert); !serial.empty()) out.emplace_back("iot:Certificate.SerialNumber", serial);
  return out;
}

}  // namespace lambkin::io::mqtt
