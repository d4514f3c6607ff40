// The runtime API server at its edges: payload limits, response modes, reset and close with a
// parked long poll, and curl as a real runtime-side client.
#include "emulator/io/lambda/runtime_api_server.hpp"

#include "io/runtime_api_harness.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>

using namespace lambkin::test;
using namespace std::chrono_literals;
using lambkin::io::lambda::delivery;
using lambkin::io::lambda::max_payload_size;

namespace {
const std::string too_large =
    R"({"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"})";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a response over 6,291,556 bytes gets 413 and the invocation ends as too large") {
  runtime_api_harness h;
  for (auto id : {"exact", "over", "after"}) h.server.deliver(bare_event(id));
  auto replies = h.run([](unsigned short port) {
    runtime_client c(port);
    std::vector<std::string> out;
    c.next();
    out.push_back(std::to_string(c.respond("exact", std::string(max_payload_size, 'x')).result_int()));
    c.next();
    auto r = c.respond("over", std::string(max_payload_size + 1, 'x'));
    out.push_back(std::to_string(r.result_int()) + " " + r.body());
    // The body was read whole, so the connection is still usable.
    out.push_back(std::string(c.next()["Lambda-Runtime-Aws-Request-Id"]));
    return out;
  });
  CHECK(replies == std::vector<std::string>{"202", "413 " + too_large, "after"});
  REQUIRE(h.calls.size() == 3);
  CHECK(h.calls[1].starts_with("response exact "));
  CHECK(h.calls[2] == "too_large over 6291557");
}

TEST_CASE("a body over the buffering limit gets 413 from its head alone, and the connection closes") {
  lambkin::io::lambda::runtime_api_options options;
  options.buffer_limit = 0;  // raised to the payload limit: never buffer more than a valid response
  runtime_api_harness h(options);
  h.server.deliver(bare_event("big"));
  auto reply = h.run([](unsigned short port) {
    runtime_client c(port);
    c.next();
    // Only the head: the server must answer without waiting for 7 MB that never come.
    const std::string head =
        "POST /2018-06-01/runtime/invocation/big/response HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\n\r\n";
    boost::asio::write(c.socket(), boost::asio::buffer(head));
    auto r = c.read();
    return std::to_string(r.result_int()) + " " + r.body() + (r.keep_alive() ? " keep-alive" : " close");
  });
  CHECK(reply == "413 " + too_large + " close");
  CHECK(h.calls == std::vector<std::string>{"ready", "too_large big 7000000"});
}

TEST_CASE("a response mode other than streaming gets 400 InvalidFunctionResponseMode") {
  runtime_api_harness h;
  h.server.deliver(bare_event("req-1"));
  auto replies = h.run([](unsigned short port) {
    runtime_client c(port);
    c.next();
    auto bad = c.respond("req-1", "{}", {{"Lambda-Runtime-Function-Response-Mode", "buffered"}});
    auto good = c.respond("req-1", "streamed", {{"Lambda-Runtime-Function-Response-Mode", "streaming"}});
    return std::vector<std::string>{std::to_string(bad.result_int()) + " " + bad.body(),
                                    std::to_string(good.result_int())};
  });
  CHECK(replies == std::vector<std::string>{
                       R"(400 {"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"})",
                       "202"});
  CHECK(h.calls.back() == "response req-1  streamed");
}

TEST_CASE("close() releases a parked GET /next — later deliveries are dropped") {
  runtime_api_harness h;
  h.on_waiting = [&] { boost::asio::post(h.ioc, [&] { h.server.close(); }); };
  auto released = h.run([](unsigned short port) {
    runtime_client c(port);
    try {
      return c.next().result_int();
    } catch (const boost::system::system_error&) {
      return 0u;  // the connection closed under the parked request: what a runtime sees
    }
  });
  CHECK((released == 0u || released == 500u));
  CHECK(h.server.deliver(bare_event("late")) == delivery::closed);
}

TEST_CASE("destroying the server with a parked GET /next does not crash") {
  boost::asio::io_context ioc;
  std::unique_ptr<lambkin::io::lambda::runtime_api_server> server;
  lambkin::io::lambda::runtime_api_events events;
  events.on_waiting = [&] { boost::asio::post(ioc, [&] { server.reset(); }); };
  server = std::make_unique<lambkin::io::lambda::runtime_api_server>(ioc.get_executor(), events);
  REQUIRE_FALSE(server->start());
  auto client = std::async(std::launch::async, [&, port = server->port()] {
    bool closed = false;
    try {
      runtime_client(port).next();
    } catch (const boost::system::system_error&) {
      closed = true;
    }
    boost::asio::post(ioc, [&] { ioc.stop(); });
    return closed;
  });
  ioc.run();
  CHECK(client.get());
  CHECK_FALSE(static_cast<bool>(server));
}

TEST_CASE("reset() drops the old runtime's connections and events — the next GET /next is a new init") {
  runtime_api_harness h;
  int parks = 0;
  h.on_waiting = [&] {
    if (++parks == 1)
      boost::asio::post(h.ioc, [&] {
        h.server.reset();
        CHECK(h.server.deliver(bare_event("dropped")) == delivery::queued);
        h.server.reset();  // drops it
      });
    else
      h.deliver_later(bare_event("fresh"));
  };
  auto id = h.run([](unsigned short port) {
    try {
      runtime_client(port).next();
    } catch (const boost::system::system_error&) {
    }
    // A new process: new connection, first GET /next.
    return std::string(runtime_client(port).next()["Lambda-Runtime-Aws-Request-Id"]);
  });
  CHECK(id == "fresh");
  CHECK(h.calls == std::vector<std::string>{"ready", "waiting", "ready", "waiting"});
}

TEST_CASE("curl as the runtime: GET /next waits for the event, POST /response is accepted") {
  runtime_api_harness h;
  h.on_waiting = [&] { h.deliver_later(full_event("curl-1", R"({"from":"lambkin"})")); };
  auto [next, posted] = h.run([](unsigned short port) {
    const auto base = "http://127.0.0.1:" + std::to_string(port) + "/2018-06-01/runtime/invocation/";
    auto got = run({"/usr/bin/curl", "-sS", "-i", base + "next"}, 60s);
    auto sent = run({"/usr/bin/curl", "-sS", "-i", "-X", "POST", "-H", "Content-Type: application/json",
                     "--data-binary", R"({"ok":1})", base + "curl-1/response"},
                    60s);
    return std::pair{got, sent};
  });
  CHECK(next.code == 0);
  CHECK(contains(next.out, "HTTP/1.1 200"));
  CHECK(contains(next.out, "Lambda-Runtime-Aws-Request-Id: curl-1\r\n"));
  CHECK(contains(next.out, "Lambda-Runtime-Deadline-Ms: 1700000003000\r\n"));
  CHECK(contains(next.out, "\r\n\r\n{\"from\":\"lambkin\"}"));
  CHECK(posted.code == 0);
  CHECK(contains(posted.out, "HTTP/1.1 202"));
  CHECK(contains(posted.out, R"({"status":"OK"})"));
  CHECK(h.calls == std::vector<std::string>{"ready", "waiting", R"(response curl-1 application/json {"ok":1})"});
}
