// Beast over a blocking socket. This is the one translation unit of lambkin_runtime that sees
// Asio, compiled header-only (no BOOST_ASIO_SEPARATE_COMPILATION here, unlike lambkin_io).
#include "http_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <boost/beast/http/parser.hpp>
#include <optional>

namespace lambkin::runtime::detail {
namespace {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// An event is at most 6 MB; leave room for whatever a future service sends.
constexpr std::uint64_t max_reply_body = 64ull * 1024 * 1024;

}  // namespace

std::string http_reply::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return {};
}

bool split_host_port(std::string_view host_port, std::string& host, std::string& port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == host_port.size()) return false;
  host.assign(host_port.substr(0, colon));
  port.assign(host_port.substr(colon + 1));
  return true;
}

struct http_connection::impl {
  impl(std::string h, std::string p) : host(std::move(h)), port(std::move(p)), socket(ioc) {}

  boost::system::error_code connect() {
    boost::system::error_code ec;
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return ec;
    net::connect(socket, endpoints, ec);
    if (!ec) socket.set_option(tcp::no_delay(true), ec);
    return ec;
  }

  // One attempt; returns the failing step's error, or fills `out`.
  std::optional<std::string> exchange(const bhttp::request<bhttp::string_body>& req, http_reply& out) {
    boost::system::error_code ec;
    if (!socket.is_open()) {
      if ((ec = connect())) return "connect to " + host + ":" + port + ": " + ec.message();
    }
    bhttp::write(socket, req, ec);
    if (ec) return "write: " + ec.message();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_reply_body);
    bhttp::read(socket, buffer, parser, ec);
    if (ec) return "read: " + ec.message();
    auto res = parser.release();
    out.status = res.result_int();
    for (const auto& field : res)
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) close();
    return std::nullopt;
  }

  void close() {
    boost::system::error_code ignored;
    socket.close(ignored);
    buffer.clear();
  }

  http_reply send(bhttp::request<bhttp::string_body> req) {
    req.set(bhttp::field::host, host + ":" + port);
    req.set(bhttp::field::user_agent, "lambkin-runtime/0.1");
    req.prepare_payload();
    http_reply reply;
    const bool reused = socket.is_open();
    auto failure = exchange(req, reply);
    if (failure && reused) {
      // The service may have closed an idle keep-alive connection: one fresh attempt.
      close();
      reply = {};
      failure = exchange(req, reply);
    }
    if (failure) {
      close();
      reply.transport_error = std::move(*failure);
    }
    return reply;
  }

  std::string host, port;
  net::io_context ioc;
  tcp::socket socket;
  boost::beast::flat_buffer buffer;
};

http_connection::http_connection(std::string host, std::string port)
    : impl_(std::make_unique<impl>(std::move(host), std::move(port))) {}
http_connection::~http_connection() = default;

http_reply http_connection::get(std::string_view target) {
  return impl_->send(bhttp::request<bhttp::string_body>{bhttp::verb::get, target, 11});
}

http_reply http_connection::post(std::string_view target, std::string_view body, std::string_view content_type,
                                 const header_list& extra_headers) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::content_type, content_type);
  for (const auto& [name, value] : extra_headers) req.set(name, value);
  req.body().assign(body.data(), body.size());
  return impl_->send(std::move(req));
}

}  // namespace lambkin::runtime::detail
