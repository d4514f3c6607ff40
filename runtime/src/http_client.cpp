// The public HTTP client over the runtime's own connection class (http_connection.hpp).
#include "lambkin/runtime/http_client.hpp"

#include "http_connection.hpp"

namespace lambkin::runtime {

http_client::http_client(const char* base_url) {
  std::string_view url = base_url ? base_url : "";
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) {
    url_error_ = "not an http:// URL: '" + std::string(url) + "'";
    return;
  }
  url.remove_prefix(scheme.size());
  if (url.ends_with('/')) url.remove_suffix(1);
  std::string host, port;
  if (url.find('/') != std::string_view::npos || !detail::split_host_port(url, host, port)) {
    url_error_ = "expected http://host:port, got '" + std::string(base_url) + "'";
    return;
  }
  connection_ = std::make_unique<detail::http_connection>(std::move(host), std::move(port));
}

http_client::~http_client() = default;

namespace {
http_result to_result(detail::http_reply&& r) { return {std::move(r.transport_error), r.status, std::move(r.body)}; }
}  // namespace

http_result http_client::post(std::string_view target, std::string_view body, std::string_view content_type) {
  if (!connection_) return {url_error_, 0, {}};
  return to_result(connection_->post(target, body, content_type));
}

http_result http_client::get(std::string_view target) {
  if (!connection_) return {url_error_, 0, {}};
  return to_result(connection_->get(target));
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

}  // namespace lambkin::runtime
