#pragma once
// A small blocking HTTP/1.1 client for functions that call a plain-HTTP endpoint, such as
// lambkin's AWS endpoint (`AWS_ENDPOINT_URL`, e.g. `http://127.0.0.1:4566`): the IoT Data API's
// `POST /topics/{topic}` needs no SDK. It keeps one keep-alive connection (re-opened once when the
// server closed it), so a warm function reuses it across invocations.
//
//   lambkin::runtime::http_client aws(std::getenv("AWS_ENDPOINT_URL"));
//   auto r = aws.post("/topics/" + lambkin::runtime::url_encode("things/dev-1/alerts") + "?qos=1", body);
//   if (!r.error.empty() || r.status != 200) …
//
// Only `http://host:port` URLs (no TLS, no request signing): on AWS itself, call the service
// through an SDK instead.
//
// Thread safety: one object per thread.
#include <memory>
#include <string>
#include <string_view>

namespace lambkin::runtime {

namespace detail {
class http_connection;
}

struct http_result {
  /// Empty when the exchange completed; otherwise what failed (bad URL, connect, write, read).
  std::string error;
  unsigned status = 0;
  std::string body;
};

class http_client {
 public:
  /// `base_url`: `http://host:port`, optionally with a trailing `/`. Anything else (null, https,
  /// a path) makes every request fail with an `error` saying so.
  explicit http_client(const char* base_url);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// POST `target` (path and query, already encoded) with `body`.
  http_result post(std::string_view target, std::string_view body, std::string_view content_type = "application/json");
  /// GET `target`.
  http_result get(std::string_view target);

 private:
  std::string url_error_;
  std::unique_ptr<detail::http_connection> connection_;
};

/// Percent-encodes everything but RFC 3986's unreserved characters (so `/` becomes `%2F`), as
/// the AWS SDKs encode a path label such as the IoT Data API's `{topic}`.
std::string url_encode(std::string_view text);

}  // namespace lambkin::runtime
