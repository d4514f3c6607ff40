#include "emulator/io/http/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace lambkin::io::http {
namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

struct url_parts {
  std::string host, port, target;
};

std::optional<url_parts> split_url(const std::string& url) {
  constexpr std::string_view scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
  const auto rest = std::string_view(url).substr(scheme.size());
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  url_parts p;
  p.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.starts_with('[')) {  // [::1]:8080
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    p.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    p.port = after.starts_with(':') ? std::string(after.substr(1)) : "80";
  } else {
    const auto colon = authority.rfind(':');
    p.host = std::string(authority.substr(0, colon));
    p.port = colon == std::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
  }
  if (p.host.empty() || p.port.empty()) return std::nullopt;
  return p;
}

}  // namespace

net::awaitable<client_response> async_send(net::any_io_executor executor, client_request request) {
  client_response out;
  const auto parts = split_url(request.url);
  if (!parts) {
    out.error = request.url.starts_with("https://") ? "https URLs are not supported by lambkin (use http://)"
                                                     : "not an http:// URL: " + request.url;
    co_return out;
  }
  try {
    net::ip::tcp::resolver resolver(executor);
    beast::tcp_stream stream(executor);
    stream.expires_after(request.timeout);
    const auto endpoints = co_await resolver.async_resolve(parts->host, parts->port, net::use_awaitable);
    co_await stream.async_connect(endpoints, net::use_awaitable);
    beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(request.method), parts->target,
                                                       11};
    req.set(beast::http::field::host, parts->host + ":" + parts->port);
    req.set(beast::http::field::user_agent, "lambkin");
    for (const auto& [k, v] : request.headers) req.set(k, v);
    req.body() = std::move(request.body);
    req.prepare_payload();
    co_await beast::http::async_write(stream, req, net::use_awaitable);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    co_await beast::http::async_read(stream, buffer, res, net::use_awaitable);
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    boost::system::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  } catch (const boost::system::system_error& e) {
    out.error = e.code() == beast::error::timeout ? "no answer within " + std::to_string(request.timeout.count()) + " ms"
                                                  : e.code().message();
  }
  co_return out;
}

}  // namespace lambkin::io::http
