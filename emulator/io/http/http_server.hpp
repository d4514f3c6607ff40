#pragma once
// A small HTTP/1.1 server on Beast and C++20 coroutines, shared by every HTTP listener of lambkin
// (AWS endpoint, HTTP API, runtime API). It owns the listening socket and one coroutine per
// connection; what to answer is decided by a `handler`, which does no socket I/O itself. With
// `server_options::tls` it serves HTTPS instead: the same sessions over a TLS stream.
//
// Thread safety: single-threaded; all members are called on the io_context's thread.
#include "emulator/core/http/api_request.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

// Declared, not included: code that only needs the request and response types (the fuzz targets,
// their corpus replays) then needs no OpenSSL. http_server.cpp includes the definition.
namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace lambkin::io::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

using request = beast::http::request<beast::http::string_body>;
using response = beast::http::response<beast::http::string_body>;

/// Computes the answer to one request. It may suspend (a sync invoke waits for the function);
/// it must not throw for expected errors — it answers them in the protocol's terms instead.
using handler = std::function<net::awaitable<response>(request)>;

/// Who is at the other end of a connection, for handlers that report it (API Gateway's `sourceIp`
/// and `clientCert`).
struct peer_info {
  /// The client's IP address (`127.0.0.1`, `::1`); empty if the socket could not tell.
  std::string address;
  /// The certificate the client presented over mutual TLS (`--https-client-ca`); null otherwise.
  std::shared_ptr<const lambkin::http::client_certificate> certificate;
};

/// A handler that is also told who sent the request.
using peer_handler = std::function<net::awaitable<response>(request, const peer_info&)>;

/// Answers a request whose body is over `body_limit`. It gets the request head (method, target,
/// fields; the body is empty) and runs instead of the handler; the connection closes afterwards
/// because the rest of the body was never read.
using body_too_large_handler = std::function<response(const request& head)>;

struct server_options {
  /// Largest request body accepted; larger bodies get 413 before the handler runs.
  std::size_t body_limit = 6 * 1024 * 1024 + 1024;
  /// How long a connection may stay idle waiting for its next request, and take a response.
  /// Zero means never: the runtime API serves processes that may stay frozen (SIGSTOP) for
  /// minutes on a keep-alive connection.
  std::chrono::seconds read_timeout{60};
  /// Slowloris limits, which apply even when `read_timeout` is zero: once the first byte of a
  /// request has arrived, its head must be complete within `header_timeout` and the whole request
  /// within `request_timeout` (zero: no limit beyond the head's); otherwise the connection is
  /// closed without an answer.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};
  /// Largest request head (request line and fields); larger heads get 431 and the connection closes.
  std::size_t header_limit = 16 * 1024;
  /// Replaces the default 413 (`{"message":"Request must be smaller than N bytes"}`) when set.
  body_too_large_handler on_body_too_large;
  /// When set, the body limit of each request, decided from its head (S3 uploads on the AWS
  /// endpoint are larger than the Lambda payloads it otherwise takes); `body_limit` otherwise.
  std::function<std::size_t(const request& head)> body_limit_for;
  /// When set, the listener serves HTTPS with this context (certificate and key loaded): the TLS
  /// handshake must complete within `header_timeout`; a client that fails it (plain HTTP among
  /// them, which gets a plain 400 first) is closed and logged.
  std::shared_ptr<net::ssl::context> tls;
  /// When set, called instead of the server's `handler` (which may then be empty), with the
  /// connection's peer.
  peer_handler with_peer;
};

/// (https_context.cpp) A TLS server context for the HTTP listeners from PEM files (`lambkin run --https-cert
/// --https-key`): TLS 1.2 and later. Null with `error` set ("--https-cert FILE: why") when a file
/// cannot be read or the key does not match the certificate. With `client_ca_file`
/// (`--https-client-ca`): mutual TLS, as API Gateway's: a client must present a certificate
/// that CA bundle signed, else the handshake fails.
std::shared_ptr<net::ssl::context> make_https_context(const std::string& cert_file, const std::string& key_file,
                                                      std::string& error, const std::string& client_ca_file = {});

class http_server {
 public:
  /// `name` appears in logs ("aws", "http", "runtime").
  http_server(net::any_io_executor executor, std::string name, handler h, server_options options = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and listens (port 0 picks a free port). Errors (address in use…) are returned, not thrown.
  boost::system::error_code listen(const tcp::endpoint& endpoint);
  /// The bound port, after a successful `listen`.
  unsigned short port() const;
  /// Starts accepting; each connection runs as its own coroutine.
  void start();
  /// Stops accepting and closes every open connection; pending handlers see cancellation.
  void stop();
  /// Closes every open connection but keeps accepting new ones. Requests already read from a
  /// closed connection still reach the handler; their answers are dropped.
  void close_sessions();

 private:
  /// Keeps a connection in `sessions_` (so `stop` closes it) while it lives.
  struct registration;
  net::awaitable<void> accept_loop();
  net::awaitable<void> plain_session(beast::tcp_stream stream);
  net::awaitable<void> tls_session(beast::tcp_stream stream);
  template <class Stream>
  net::awaitable<void> session(Stream& stream, beast::flat_buffer buffer, peer_info peer);
  void arm_timeout(beast::tcp_stream& stream) const;

  net::any_io_executor executor_;
  std::string name_;
  handler handler_;
  server_options options_;
  tcp::acceptor acceptor_;
  std::unordered_set<beast::tcp_stream*> sessions_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// A response with `status`, content type and body, HTTP/1.1, keep-alive as the request asked.
response make_response(const request& req, unsigned status, std::string content_type, std::string body);

}  // namespace lambkin::io::http
