#include "emulator/io/lambda/runtime_api_server.hpp"

#include "io/runtime_api_harness.hpp"

#include <doctest/doctest.h>

using namespace lambkin::test;
using lambkin::io::lambda::runtime_state;

namespace {
const std::string accepted = R"({"status":"OK"})";
const std::string invalid_id = R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})";
std::string not_allowed(const std::string& from, const std::string& to) {
  return R"({"errorMessage":"State transition from )" + from + " to " + to +
         R"( failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})";
}
}  // namespace

TEST_CASE("GET /next long-polls until an event is delivered, then carries every header") {
  runtime_api_harness h;
  CHECK(h.server.address() == "127.0.0.1:" + std::to_string(h.server.port()));
  // Delivered only once the request is parked: the 200 proves the long poll.
  h.on_waiting = [&] { h.deliver_later(full_event("req-1")); };
  auto res = h.run([](unsigned short port) { return runtime_client(port).next(); });
  CHECK(res.result_int() == 200);
  CHECK(res.body() == R"({"n":1})");
  CHECK(res["Content-Type"] == "application/json");
  CHECK(res["Lambda-Runtime-Aws-Request-Id"] == "req-1");
  CHECK(res["Lambda-Runtime-Deadline-Ms"] == "1700000003000");
  CHECK(res["Lambda-Runtime-Invoked-Function-Arn"] == "arn:aws:lambda:us-east-1:000000000000:function:echo");
  CHECK(res["Lambda-Runtime-Trace-Id"] == "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
  CHECK(res["Lambda-Runtime-Client-Context"] == R"({"client":{"app_title":"t"}})");
  CHECK(res["Lambda-Runtime-Cognito-Identity"] == R"({"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"})");
  CHECK(h.calls == std::vector<std::string>{"ready", "waiting"});
  CHECK(h.server.state() == runtime_state::running);
}

TEST_CASE("GET /next leaves out empty headers and serves a queued event at once") {
  runtime_api_harness h;
  auto e = bare_event("req-1", "hello");
  e.content_type = "text/plain";
  CHECK(h.server.deliver(e) == lambkin::io::lambda::delivery::queued);
  auto res = h.run([](unsigned short port) { return runtime_client(port).next(); });
  CHECK(res.result_int() == 200);
  CHECK(res.body() == "hello");
  CHECK(res["Content-Type"] == "text/plain");
  CHECK(res["Lambda-Runtime-Aws-Request-Id"] == "req-1");
  for (const char* absent : {"Lambda-Runtime-Invoked-Function-Arn", "Lambda-Runtime-Trace-Id",
                             "Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity"})
    CHECK(res.find(absent) == res.end());
  CHECK(h.calls == std::vector<std::string>{"ready"});  // never parked
}

TEST_CASE("an event delivered from on_ready completes the first GET /next without parking") {
  runtime_api_harness h;
  h.on_ready = [&] { CHECK(h.server.deliver(bare_event("req-1")) == lambkin::io::lambda::delivery::handed_over); };
  auto res = h.run([](unsigned short port) { return runtime_client(port).next(); });
  CHECK(res["Lambda-Runtime-Aws-Request-Id"] == "req-1");
  CHECK(h.calls == std::vector<std::string>{"ready"});
}

TEST_CASE("POST /response answers 202 and reports the body and content type") {
  runtime_api_harness h;
  h.server.deliver(bare_event("req-1"));
  h.server.deliver(bare_event("req-2"));
  auto statuses = h.run([](unsigned short port) {
    runtime_client c(port);
    std::vector<std::string> out;
    c.next();
    auto r = c.respond("req-1", R"({"ok":true})", {{"Content-Type", "application/json"}});
    out.push_back(std::to_string(r.result_int()) + " " + r.body());
    CHECK(c.next()["Lambda-Runtime-Aws-Request-Id"] == "req-2");  // same keep-alive connection
    r = c.respond("req-2", "plain");
    out.push_back(std::to_string(r.result_int()));
    return out;
  });
  CHECK(statuses == std::vector<std::string>{"202 " + accepted, "202"});
  CHECK(h.calls == std::vector<std::string>{"ready", R"(response req-1 application/json {"ok":true})",
                                            "response req-2  plain"});
  CHECK(h.server.state() == runtime_state::response_sent);
}

TEST_CASE("POST /error passes the body through and normalises the error-type header") {
  runtime_api_harness h;
  for (auto id : {"a", "b", "c", "d", "e"}) h.server.deliver(bare_event(id));
  const std::string node_body = R"({"errorType":"TypeError","errorMessage":"boom","trace":["at x"]})";
  auto statuses = h.run([&](unsigned short port) {
    runtime_client c(port);
    std::vector<int> out;
    auto step = [&](const char* id, std::string body, header_list headers) {
      CHECK(c.next()["Lambda-Runtime-Aws-Request-Id"] == id);
      out.push_back(c.error(id, std::move(body), headers).result_int());
    };
    step("a", node_body, {{"Lambda-Runtime-Function-Error-Type", "Function.MyError"}});
    step("b", node_body, {{"Lambda-Runtime-Function-Error-Type", "Unhandled"}});
    step("c", node_body, {{"lambda-runtime-function-error-type", "Function.bad"}});
    step("d", "", {});
    step("e", "not json", {{"Lambda-Runtime-Function-Error-Type", "Runtime.ImportModuleError"}});
    return out;
  });
  CHECK(statuses == std::vector<int>{202, 202, 202, 202, 202});
  CHECK(h.calls == std::vector<std::string>{
                       "ready",
                       "error a Function.MyError " + node_body,
                       "error b Runtime.Unknown " + node_body,
                       "error c Function.Unknown " + node_body,
                       R"(error d Runtime.Unknown {"errorMessage":"","errorType":"Runtime.Unknown"})",
                       R"(error e Runtime.ImportModuleError {"errorMessage":"not json","errorType":"Runtime.ImportModuleError"})",
                   });
}

TEST_CASE("POST /init/error is accepted once, during init — GET /next then gets 403") {
  runtime_api_harness h;
  auto replies = h.run([](unsigned short port) {
    runtime_client c(port);
    std::vector<std::string> out;
    for (int i = 0; i < 2; ++i) {
      auto r = c.send(bhttp::verb::post, "/2018-06-01/runtime/init/error",
                      R"({"errorMessage":"no handler","errorType":"Runtime.NoSuchHandler"})",
                      {{"Lambda-Runtime-Function-Error-Type", "Runtime.NoSuchHandler"}});
      out.push_back(std::to_string(r.result_int()) + " " + r.body());
    }
    auto r = c.next();
    out.push_back(std::to_string(r.result_int()) + " " + r.body());
    return out;
  });
  CHECK(replies == std::vector<std::string>{"202 " + accepted, "403 " + not_allowed("InitError", "InitError"),
                                            "403 " + not_allowed("InitError", "Ready")});
  CHECK(h.calls == std::vector<std::string>{
                       R"(init_error Runtime.NoSuchHandler {"errorMessage":"no handler","errorType":"Runtime.NoSuchHandler"})"});
  CHECK(h.server.state() == runtime_state::init_error);
}

TEST_CASE("an unknown or stale request id gets 400 InvalidRequestID, checked before the state") {
  runtime_api_harness h;
  auto replies = h.run([&](unsigned short port) {
    runtime_client c(port);
    std::vector<std::string> out;
    auto record = [&](const bhttp::response<bhttp::string_body>& r) {
      out.push_back(std::to_string(r.result_int()) + " " + r.body());
    };
    record(c.respond("nobody", "{}"));  // state Started would be a 403: the id check comes first
    record(c.send(bhttp::verb::post, "/2018-06-01/runtime/invocation//response", "{}"));
    h.deliver_and_wait(bare_event("old"));
    c.next();
    record(c.respond("old", "{}"));
    h.deliver_and_wait(bare_event("new"));  // queued: "new" is now the current invoke
    record(c.respond("old", "{}"));
    record(c.error("old", "{}"));
    return out;
  });
  CHECK(replies == std::vector<std::string>{"400 " + invalid_id, "400 " + invalid_id, "202 " + accepted,
                                            "400 " + invalid_id, "400 " + invalid_id});
}

TEST_CASE("submissions the state machine forbids get 403 InvalidStateTransition") {
  runtime_api_harness h;
  h.server.deliver(bare_event("req-1"));  // current, but not fetched yet
  auto replies = h.run([](unsigned short port) {
    runtime_client c(port);
    std::vector<std::string> out;
    auto record = [&](const bhttp::response<bhttp::string_body>& r) {
      out.push_back(std::to_string(r.result_int()) + " " + r.body());
    };
    record(c.respond("req-1", "{}"));  // before GET /next
    record(c.error("req-1", "{}"));
    c.next();
    record(c.send(bhttp::verb::post, "/2018-06-01/runtime/init/error", "{}"));  // after init
    record(c.respond("req-1", "first"));
    record(c.respond("req-1", "second"));  // a second response for the same id
    record(c.error("req-1", "{}"));
    return out;
  });
  CHECK(replies == std::vector<std::string>{
                       "403 " + not_allowed("Started", "InvocationResponse"),
                       "403 " + not_allowed("Started", "InvocationErrorResponse"),
                       "403 " + not_allowed("Ready", "InitError"),
                       "202 " + accepted,
                       "403 " + not_allowed("RuntimeResponseSentState", "InvocationResponse"),
                       "403 " + not_allowed("RuntimeResponseSentState", "InvocationErrorResponse"),
                   });
  CHECK(h.calls == std::vector<std::string>{"ready", "response req-1  first"});
}

TEST_CASE("GET /next while the runtime holds an event serves the same event again") {
  runtime_api_harness h;
  h.server.deliver(full_event("req-1", "payload"));
  h.server.deliver(bare_event("req-2"));
  auto ids = h.run([](unsigned short port) {
    runtime_client c(port);
    std::vector<std::string> out;
    for (int i = 0; i < 2; ++i) {
      auto r = c.next();
      out.push_back(std::string(r["Lambda-Runtime-Aws-Request-Id"]) + " " + r.body());
    }
    c.respond("req-1", "done");
    out.push_back(std::string(c.next()["Lambda-Runtime-Aws-Request-Id"]));
    return out;
  });
  CHECK(ids == std::vector<std::string>{"req-1 payload", "req-1 payload", "req-2"});
  CHECK(h.calls == std::vector<std::string>{"ready", "response req-1  done"});
}

TEST_CASE("unknown paths get 404 and known paths with the wrong method 405") {
  runtime_api_harness h;
  auto statuses = h.run([](unsigned short port) {
    runtime_client c(port);
    return std::vector<unsigned>{c.send(bhttp::verb::get, "/2018-06-01/runtime/other").result_int(),
                            c.send(bhttp::verb::get, "/").result_int(),
                            c.send(bhttp::verb::post, next_path, "{}").result_int()};
  });
  CHECK(statuses == std::vector<unsigned>{404, 404, 405});
  CHECK(h.calls.empty());
}
