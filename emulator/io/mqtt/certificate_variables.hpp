#pragma once
// AWS IoT's X.509 certificate policy variables, read from a client certificate with OpenSSL
// (the broker core only substitutes them: core/iot_policy/policy_variables.hpp).
//
//  - `iot:Certificate.Subject.<attr>` and `iot:Certificate.Issuer.<attr>` for CommonName,
//    Organization, OrganizationalUnit, Country, State, DistinguishedNameQualifier, SerialNumber,
//    Title, Surname, GivenName, Initials, Pseudonym, GenerationQualifier;
//  - `iot:Certificate.Subject.AlternativeName.<kind>` and `…Issuer.AlternativeName.<kind>` for
//    DNSName, RFC822Name, UniformResourceIdentifier, IPAddress;
//  - `iot:Certificate.SerialNumber`: the serial in decimal.
// A multi-valued attribute gives its first value under the plain name and the others under a
// one-based index (`….Country.1` is the second), as AWS documents. `.List` is not produced.
#include <string>
#include <utility>
#include <vector>

typedef struct x509_st X509;

namespace lambkin::io::mqtt {

std::vector<std::pair<std::string, std::string>> certificate_variables(X509* cert);

}  // namespace lambkin::io::mqtt
