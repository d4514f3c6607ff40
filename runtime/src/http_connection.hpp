#pragma once
// Internal: one keep-alive HTTP/1.1 connection to the Runtime API, synchronous (a runtime does
// one thing at a time). Beast and Asio stay inside http_connection.cpp, compiled header-only
// there, so the library is self-contained and its users never see them.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambkin::runtime::detail {

struct http_reply {
  /// Empty when the exchange completed; otherwise what failed (connect, write, read).
  std::string transport_error;
  unsigned status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  /// The value of header `name` (case-insensitive), empty when absent.
  std::string header(std::string_view name) const;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

class http_connection {
 public:
  /// `host_port` is `AWS_LAMBDA_RUNTIME_API` (`127.0.0.1:9001`). Nothing connects yet.
  http_connection(std::string host, std::string port);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// Sends one request and reads its answer, with no timeout (GET /next may wait for hours).
  /// Connects on first use. A broken keep-alive connection is re-opened and the request sent
  /// once more; a second failure is returned in `transport_error`.
  http_reply get(std::string_view target);
  http_reply post(std::string_view target, std::string_view body, std::string_view content_type,
                  const header_list& extra_headers = {});

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Splits `host:port`; false when there is no ':' or either side is empty.
bool split_host_port(std::string_view host_port, std::string& host, std::string& port);

}  // namespace lambkin::runtime::detail
