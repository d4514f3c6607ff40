#include "emulator/config/iot_certificate.hpp"

#include "emulator/core/rules/hash.hpp"
#include "emulator/core/text/base64.hpp"

#include <fstream>
#include <sstream>

namespace lambkin::config {

std::optional<std::string> certificate_pem(std::string_view value, const std::filesystem::path& template_dir,
                                           std::string& error) {
  constexpr std::string_view scheme = "file://";
  if (!value.starts_with(scheme)) return std::string(value);
  const std::filesystem::path path = template_dir / std::filesystem::path(std::string(value.substr(scheme.size())));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    error = "cannot read " + path.string();
    return std::nullopt;
  }
  return text.str();
}

std::optional<std::string> pem_certificate_id(std::string_view pem, std::string& error) {
  constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view end = "-----END CERTIFICATE-----";
  const std::size_t b = pem.find(begin);
  const std::size_t e = b == std::string_view::npos ? b : pem.find(end, b);
  if (e == std::string_view::npos) {
    error = "must be a PEM certificate (-----BEGIN CERTIFICATE----- …) or file://PATH to one";
    return std::nullopt;
  }
  std::string body;
  for (char c : pem.substr(b + begin.size(), e - b - begin.size()))
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') body += c;
  const auto der = text::base64_decode(body);
  if (!der || der->empty()) {
    error = "the PEM certificate's body is not valid base64";
    return std::nullopt;
  }
  return rules::detail::sha256_hex(*der);
}

std::optional<std::string> certificate_id_of(std::string_view value, const std::filesystem::path& template_dir,
                                             std::string& error) {
  const auto pem = certificate_pem(value, template_dir, error);
  if (!pem) return std::nullopt;
  return pem_certificate_id(*pem, error);
}

}  // namespace lambkin::config
