// http_server with `server_options::tls` (lambkin run --https-cert): a TLS client with the CA
// (Asio's SSL stream) gets answers; a client that never starts the handshake, or dribbles its
// ClientHello, is closed by the header timeout (slowloris); make_https_context names bad files.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/mqtt/local_certificates.hpp"

#include "io/http_server_support.hpp"
#include "io/slow_client.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <future>
#include <string>

using namespace lambkin::io::http;
namespace bhttp = boost::beast::http;

namespace {

using lambkin::test::with_server;

handler echo_handler() {
  return [](request req) -> net::awaitable<response> {
    co_return make_response(req, 200, "text/plain", std::string(req.method_string()) + " " + std::string(req.target()));
  };
}

struct tls_files {
  lambkin::test::temp_dir dir;
  std::filesystem::path ca, cert, key;
  tls_files() {
    const auto made = lambkin::io::mqtt::make_local_certificates(dir.path(), {});
    REQUIRE_MESSAGE(made.error.empty(), made.error);
    ca = dir.path() / "ca.pem";
    cert = dir.path() / "server.pem";
    key = dir.path() / "server.key";
  }
};

}  // namespace

TEST_CASE("http_server over TLS: a verifying TLS client gets answers, no handshake or a dribbled one is cut off") {
  tls_files files;
  std::string error;
  server_options options;
  options.tls = make_https_context(files.cert.string(), files.key.string(), error);
  REQUIRE_MESSAGE(options.tls, error);
  options.read_timeout = std::chrono::seconds(0);
  options.header_timeout = std::chrono::milliseconds(300);
  net::io_context ioc;
  http_server server(ioc.get_executor(), "test", echo_handler(), options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [&](unsigned short port) {
    net::io_context client_ioc;
    const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    {  // TLS with the CA, the certificate's IP SAN checked; two requests on one connection
      net::ssl::context ctx(net::ssl::context::tls_client);
      ctx.load_verify_file(files.ca.string());
      ctx.set_verify_mode(net::ssl::verify_peer);
      ctx.set_verify_callback(net::ssl::host_name_verification("127.0.0.1"));
      net::ssl::stream<tcp::socket> tls(client_ioc, ctx);
      tls.next_layer().connect(ep);
      tls.handshake(net::ssl::stream_base::client);
      for (const char* target : {"/one", "/two"}) {
        bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        bhttp::write(tls, req);
        boost::beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> res;
        bhttp::read(tls, buffer, res);
        CHECK(res.result_int() == 200);
        CHECK(res.body() == std::string("GET ") + target);
      }
    }
    {  // connects and sends nothing: closed by the header timeout
      tcp::socket idle(client_ioc);
      idle.connect(ep);
      CHECK(lambkin::test::closed_within(idle, std::chrono::seconds(10)));
    }
    {  // a ClientHello's record header, a byte every 100 ms: closed before it is all sent
      tcp::socket slow(client_ioc);
      slow.connect(ep);
      const std::string hello = std::string("\x16\x03\x01\x02\x00", 5) + std::string(512, '\x01');
      CHECK(lambkin::test::dribble_until_closed(slow, hello, std::chrono::milliseconds(100)) < hello.size());
    }
    return 0;
  });
}

TEST_CASE("make_https_context names the file it cannot use") {
  tls_files files;
  std::string error;
  const auto missing = (files.dir.path() / "missing.pem").string();
  CHECK_FALSE(make_https_context(missing, files.key.string(), error));
  CHECK(error == "--https-cert " + missing + ": No such file or directory");
  CHECK_FALSE(make_https_context(files.cert.string(), files.ca.string(), error));  // a certificate, not a key
  CHECK(error.starts_with("--https-key " + files.ca.string() + ": not a PEM private key"));
  CHECK_FALSE(make_https_context(files.cert.string(), (files.dir.path() / "ca.key").string(), error));
  CHECK(error == "--https-key " + (files.dir.path() / "ca.key").string() + ": does not match --https-cert " +
                     files.cert.string());
}
