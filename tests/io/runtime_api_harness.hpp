#pragma once
// Test support for the runtime API server: the server on an io_context run by the test's thread,
// a blocking runtime-side client on another thread, and a log of every callback.
#include "emulator/io/lambda/runtime_api_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <doctest/doctest.h>

#include <future>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::test {

namespace bhttp = boost::beast::http;
namespace rt = lambkin::io::lambda;
using header_list = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* next_path = "/2018-06-01/runtime/invocation/next";
inline std::string invocation_path(const std::string& id, const char* what) {
  return "/2018-06-01/runtime/invocation/" + id + "/" + what;
}

/// A blocking HTTP/1.1 client playing the runtime process.
class runtime_client {
 public:
  explicit runtime_client(unsigned short port) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  bhttp::response<bhttp::string_body> send(bhttp::verb verb, const std::string& target, std::string body = {},
                                            const header_list& headers = {}) {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
    return read();
  }
  bhttp::response<bhttp::string_body> next() { return send(bhttp::verb::get, next_path); }
  bhttp::response<bhttp::string_body> respond(const std::string& id, std::string body, const header_list& h = {}) {
    return send(bhttp::verb::post, invocation_path(id, "response"), std::move(body), h);
  }
  bhttp::response<bhttp::string_body> error(const std::string& id, std::string body, const header_list& h = {}) {
    return send(bhttp::verb::post, invocation_path(id, "error"), std::move(body), h);
  }
  bhttp::response<bhttp::string_body> read() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

/// The server, its io_context, and the callbacks it made, as text:
/// "ready", "waiting", "response <id> <content type> <body>", "error <id> <type> <body>",
/// "init_error <type> <body>", "too_large <id> <size>".
struct runtime_api_harness {
  explicit runtime_api_harness(rt::runtime_api_options options = {})
      : server(ioc.get_executor(), events(), std::move(options)) {
    REQUIRE_FALSE(server.start());
  }

  /// Runs `client(port)` on its own thread while the io_context runs here; returns its result.
  template <class F>
  auto run(F client) {
    // Read before the io_context runs: afterwards the server belongs to its thread.
    const auto port = server.port();
    auto done = std::async(std::launch::async, [&, port] {
      struct stopper {
        runtime_api_harness& h;
        ~stopper() {
          boost::asio::post(h.ioc, [&s = h.server, &ctx = h.ioc] {
            s.close();
            ctx.stop();
          });
        }
      } stop{*this};
      return client(port);
    });
    ioc.run();
    return done.get();
  }

  /// Delivers from the io_context's thread (callable from the client's thread).
  void deliver_later(rt::invocation_event e) {
    boost::asio::post(ioc, [this, e = std::move(e)]() mutable { server.deliver(std::move(e)); });
  }

  /// Delivers on the io_context's thread and waits until it is done (from the client's thread).
  rt::delivery deliver_and_wait(rt::invocation_event e) {
    std::promise<rt::delivery> done;
    boost::asio::post(ioc, [&] { done.set_value(server.deliver(std::move(e))); });
    return done.get_future().get();
  }

  boost::asio::io_context ioc;
  std::vector<std::string> calls;
  /// Extra behaviour when a GET /next parks (e.g. deliver).
  std::function<void()> on_waiting;
  std::function<void()> on_ready;
  rt::runtime_api_server server;

 private:
  rt::runtime_api_events events() {
    rt::runtime_api_events e;
    e.on_ready = [this] {
      calls.push_back("ready");
      if (on_ready) on_ready();
    };
    e.on_waiting = [this] {
      calls.push_back("waiting");
      if (on_waiting) on_waiting();
    };
    e.on_response = [this](std::string id, std::string body, std::string type) {
      calls.push_back("response " + id + " " + type + " " + body);
    };
    e.on_error = [this](std::string id, std::string type, std::string body) {
      calls.push_back("error " + id + " " + type + " " + body);
    };
    e.on_init_error = [this](std::string type, std::string body) { calls.push_back("init_error " + type + " " + body); };
    e.on_response_too_large = [this](std::string id, std::uint64_t size) {
      calls.push_back("too_large " + id + " " + std::to_string(size));
    };
    return e;
  }
};

/// An event with every field set.
inline rt::invocation_event full_event(std::string id, std::string payload = R"({"n":1})") {
  rt::invocation_event e;
  e.request_id = std::move(id);
  e.payload = std::move(payload);
  e.deadline_epoch_ms = 1'700'000'003'000;
  e.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:echo";
  e.trace_id = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
  e.client_context = R"({"client":{"app_title":"t"}})";
  e.cognito_identity = R"({"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"})";
  return e;
}

/// An event with only the required fields.
inline rt::invocation_event bare_event(std::string id, std::string payload = "{}") {
  rt::invocation_event e;
  e.request_id = std::move(id);
  e.payload = std::move(payload);
  e.deadline_epoch_ms = 1'700'000'003'000;
  return e;
}

}  // namespace lambkin::test
