#include "emulator/io/http/http_server.hpp"

#include "io/http_client.hpp"
#include "io/http_server_support.hpp"
#include "io/slow_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace lambkin::io::http;
namespace bhttp = boost::beast::http;

namespace {

using lambkin::test::with_server;

handler echo_handler() {
  return [](request req) -> net::awaitable<response> {
    co_return make_response(req, 200, "text/plain",
                            std::string(req.method_string()) + " " + std::string(req.target()) + " " + req.body());
  };
}

}  // namespace

TEST_CASE("http_server answers requests and keeps the connection alive between them") {
  net::io_context ioc;
  http_server server(ioc.get_executor(), "test", echo_handler());
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  CHECK(server.port() != 0);
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    lambkin::test::http_client client(port);
    auto a = client.request(bhttp::verb::post, "/one", "hello");
    auto b = client.request(bhttp::verb::get, "/two?x=1");
    CHECK(a.result_int() == 200);
    CHECK(a.body() == "POST /one hello");
    CHECK(b.body() == "GET /two?x=1 ");
    CHECK(b[bhttp::field::server] == "lambkin");
    return 0;
  });
}

TEST_CASE("http_server refuses a body over its limit with 413 and closes the connection") {
  net::io_context ioc;
  server_options options;
  options.body_limit = 1024;
  http_server server(ioc.get_executor(), "test", echo_handler(), options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    lambkin::test::http_client client(port);
    auto res = client.request(bhttp::verb::post, "/big", std::string(2048, 'x'));
    CHECK(res.result_int() == 413);
    CHECK(res.body().find("1024") != std::string::npos);
    CHECK(client.closed_by_server());
    return 0;
  });
}

TEST_CASE("http_server takes a per-request body limit, answers Expect: 100-continue, and keeps HEAD lengths") {
  net::io_context ioc;
  server_options options;
  options.body_limit = 16;
  options.body_limit_for = [](const request& head) -> std::size_t { return head.target() == "/big" ? 4096 : 16; };
  auto h = [](request req) -> net::awaitable<response> {
    if (req.method() == bhttp::verb::head) {
      auto res = make_response(req, 200, "text/plain", {});
      res.content_length(12345);  // the length a GET would send
      co_return res;
    }
    co_return make_response(req, 200, "text/plain", std::to_string(req.body().size()));
  };
  http_server server(ioc.get_executor(), "test", h, options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    lambkin::test::http_client client(port);
    CHECK(client.request(bhttp::verb::put, "/big", std::string(2048, 'x')).body() == "2048");
    // Expect: 100-continue: the interim answer comes before the body is sent.
    bhttp::request<bhttp::string_body> req{bhttp::verb::put, "/big", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::expect, "100-continue");
    req.body() = std::string(100, 'y');
    req.prepare_payload();
    bhttp::request_serializer<bhttp::string_body> sr{req};
    bhttp::write_header(client.socket(), sr);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::empty_body> interim;
    bhttp::read(client.socket(), buffer, interim);
    CHECK(interim.result() == bhttp::status::continue_);
    bhttp::write(client.socket(), sr);
    bhttp::response<bhttp::string_body> final_answer;
    bhttp::read(client.socket(), buffer, final_answer);
    CHECK(final_answer.body() == "100");
    // HEAD: the stated Content-Length is kept although no body is sent.
    bhttp::request<bhttp::string_body> head{bhttp::verb::head, "/x", 11};
    head.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(client.socket(), head);
    bhttp::response_parser<bhttp::empty_body> hp;
    hp.skip(true);
    bhttp::read(client.socket(), buffer, hp);
    CHECK(hp.get()[bhttp::field::content_length] == "12345");
    // Other targets keep the small limit.
    lambkin::test::http_client other(port);
    CHECK(other.request(bhttp::verb::put, "/small", std::string(64, 'z')).result_int() == 413);
    return 0;
  });
}

TEST_CASE("http_server::listen reports an address in use instead of throwing") {
  net::io_context ioc;
  http_server first(ioc.get_executor(), "first", echo_handler());
  REQUIRE_FALSE(first.listen({net::ip::make_address("127.0.0.1"), 0}));
  http_server second(ioc.get_executor(), "second", echo_handler());
  auto ec = second.listen({net::ip::make_address("127.0.0.1"), first.port()});
  CHECK(ec == boost::asio::error::address_in_use);
}

TEST_CASE("http_server::stop closes idle keep-alive connections") {
  net::io_context ioc;
  http_server server(ioc.get_executor(), "test", echo_handler());
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  std::promise<void> answered;
  auto client_done = std::async(std::launch::async, [&, port = server.port()] {
    lambkin::test::http_client client(port);
    CHECK(client.request(bhttp::verb::get, "/").result_int() == 200);
    answered.set_value();
    return client.closed_by_server();  // blocks until the server closes the idle connection
  });
  std::thread stopper([&, f = answered.get_future()]() mutable {
    f.wait();
    net::post(ioc, [&] { server.stop(); });
  });
  ioc.run();
  stopper.join();
  CHECK(client_done.get());
}

// ---- slowloris limits (issue 11) ----------------------------------------------------------------

TEST_CASE("http_server hangs up on a client that sends its request head a byte every 100 ms") {
  net::io_context ioc;
  server_options options;
  options.read_timeout = std::chrono::seconds(0);  // no idle timeout, as the runtime API: the limit still holds
  options.header_timeout = std::chrono::milliseconds(300);
  http_server server(ioc.get_executor(), "test", echo_handler(), options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    // 1 KB of head at 10 bytes a second would take 100 s.
    const std::string head = "GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(1000, 'a') + "\r\n\r\n";
    lambkin::test::http_client client(port);
    const auto sent = lambkin::test::dribble_until_closed(client.socket(), head, std::chrono::milliseconds(100));
    CHECK(sent < head.size());
    return 0;
  });
}

TEST_CASE("http_server hangs up on a client that sends its body a byte every 100 ms") {
  net::io_context ioc;
  server_options options;
  options.request_timeout = std::chrono::milliseconds(300);
  http_server server(ioc.get_executor(), "test", echo_handler(), options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    const std::string body(1000, 'b');
    const std::string head = "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
    lambkin::test::http_client client(port);
    boost::asio::write(client.socket(), boost::asio::buffer(head));
    const auto sent = lambkin::test::dribble_until_closed(client.socket(), body, std::chrono::milliseconds(100));
    CHECK(sent < body.size());
    return 0;
  });
}

TEST_CASE("http_server's header timeout starts with a request's first byte, not while the connection is idle") {
  net::io_context ioc;
  server_options options;
  options.read_timeout = std::chrono::seconds(0);
  options.header_timeout = std::chrono::milliseconds(100);
  http_server server(ioc.get_executor(), "test", echo_handler(), options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    lambkin::test::http_client client(port);
    CHECK(client.request(bhttp::verb::get, "/first").result_int() == 200);
    // Idle for several header timeouts (a frozen runtime's keep-alive connection), then a request.
    CHECK_FALSE(lambkin::test::closed_within(client.socket(), std::chrono::milliseconds(400)));
    CHECK(client.request(bhttp::verb::get, "/after-idle").body() == "GET /after-idle ");
    return 0;
  });
}

TEST_CASE("http_server answers a request head over its limit with 431 and closes the connection") {
  net::io_context ioc;
  server_options options;
  options.header_limit = 1024;
  http_server server(ioc.get_executor(), "test", echo_handler(), options);
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  with_server(ioc, server, [](unsigned short port) {
    lambkin::test::http_client client(port);
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/", 11};
    req.set("X-Big", std::string(2048, 'h'));
    auto res = client.send(req);
    CHECK(res.result_int() == 431);
    CHECK(res.body().find("1024") != std::string::npos);
    CHECK(client.closed_by_server());
    return 0;
  });
}

TEST_CASE("http_server parses requests that arrive pipelined in one write, chunked, or in pieces") {
  // A request found whole in the buffer is parsed there; one still arriving is read on: both must
  // give the same requests, in order, and leave a pipelined request's bytes for the next one.
  net::io_context ioc;
  http_server server(ioc.get_executor(), "test", echo_handler());
  REQUIRE_FALSE(server.listen({net::ip::make_address("127.0.0.1"), 0}));
  server.start();
  const auto bodies = with_server(ioc, server, [](unsigned short port) {
    net::io_context client_ioc;
    net::ip::tcp::socket socket(client_ioc);
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    std::vector<std::string> out;
    boost::beast::flat_buffer buffer;
    const auto read_answer = [&] {
      bhttp::response<bhttp::string_body> res;
      bhttp::read(socket, buffer, res);
      out.push_back(std::to_string(res.result_int()) + " " + res.body());
    };
    net::write(socket, net::buffer(std::string("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                                               "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                                               "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                               "2\r\nhi\r\n3\r\n th\r\n0\r\n\r\n")));
    for (int i = 0; i < 3; ++i) read_answer();
    // The head cut in two, the body in two: whether the pieces meet in one read or not.
    for (const std::string piece : {"POST /d HTTP/1.1\r\nHo", "st: x\r\nContent-Length: 5\r\n\r\n12", "345"})
      net::write(socket, net::buffer(piece));
    read_answer();
    return out;
  });
  REQUIRE(bodies.size() == 4);
  CHECK(bodies[0] == "200 POST /a abc");
  CHECK(bodies[1] == "200 GET /b ");
  CHECK(bodies[2] == "200 POST /c hi th");
  CHECK(bodies[3] == "200 POST /d 12345");
}
