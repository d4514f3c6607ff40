// lambkin_runtime's run_handler, in the cpp-echo bootstrap, against the real runtime API server.
// The server runs on its own io_context thread; the test waits on its callbacks (condition
// variable, generous timeouts as failure guards only) and never sleeps.
#include "emulator/io/lambda/runtime_api_server.hpp"

#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace net = boost::asio;
namespace rt = lambkin::io::lambda;
using namespace std::chrono_literals;

namespace {

struct call {
  std::string kind, id, type, body;
};

/// One execution environment's runtime API, served on a background io_context thread.
class live_environment {
 public:
  live_environment() : server_(ioc_.get_executor(), events()) {
    REQUIRE_FALSE(server_.start());
    address_ = server_.address();  // read before the server belongs to the io thread
    io_ = std::thread([this] { ioc_.run(); });
  }
  ~live_environment() {
    net::post(ioc_, [this] {
      server_.close();
      work_.reset();
      ioc_.stop();
    });
    io_.join();
  }

  /// Starts the bootstrap as this environment's runtime process.
  std::unique_ptr<lambkin::test::child_process> spawn(std::vector<std::string> env = {}) {
    env.push_back("AWS_LAMBDA_RUNTIME_API=" + address_);
    return std::make_unique<lambkin::test::child_process>(std::vector<std::string>{CPP_ECHO_BOOTSTRAP}, env);
  }

  void deliver(rt::invocation_event e) {
    net::post(ioc_, [this, e = std::move(e)]() mutable { server_.deliver(std::move(e)); });
  }
  void close() {
    net::post(ioc_, [this] { server_.close(); });
  }

  /// Waits until a callback of `kind` arrives after the ones already taken; fails after 30 s.
  call next(const std::string& kind) {
    std::unique_lock lock(mutex_);
    const bool arrived = cv_.wait_for(lock, 30s, [&] {
      for (; taken_ < calls_.size(); ++taken_)
        if (calls_[taken_].kind == kind) return true;
      return false;
    });
    REQUIRE_MESSAGE(arrived, "no " << kind << " callback");
    return calls_[taken_++];
  }
  std::vector<std::string> kinds() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& c : calls_) out.push_back(c.kind);
    return out;
  }

 private:
  void record(call c) {
    {
      std::lock_guard lock(mutex_);
      calls_.push_back(std::move(c));
    }
    cv_.notify_all();
  }
  rt::runtime_api_events events() {
    rt::runtime_api_events e;
    e.on_ready = [this] { record({"ready", {}, {}, {}}); };
    e.on_waiting = [this] { record({"waiting", {}, {}, {}}); };
    e.on_response = [this](std::string id, std::string body, std::string type) {
      record({"response", std::move(id), std::move(type), std::move(body)});
    };
    e.on_error = [this](std::string id, std::string type, std::string body) {
      record({"error", std::move(id), std::move(type), std::move(body)});
    };
    e.on_init_error = [this](std::string type, std::string body) {
      record({"init_error", {}, std::move(type), std::move(body)});
    };
    e.on_response_too_large = [this](std::string id, std::uint64_t size) {
      record({"too_large", std::move(id), {}, std::to_string(size)});
    };
    return e;
  }

  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(ioc_);
  rt::runtime_api_server server_;
  std::string address_;
  std::thread io_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<call> calls_;
  std::size_t taken_ = 0;
};

rt::invocation_event event(std::string id, std::string payload) {
  rt::invocation_event e;
  e.request_id = std::move(id);
  e.payload = std::move(payload);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  e.deadline_epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now + 30s).count();
  e.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:echo";
  e.trace_id = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
  return e;
}

boost::json::object parse_object(const std::string& text) { return boost::json::parse(text).as_object(); }

}  // namespace

TEST_CASE("run_handler serves events from GET /next and posts the handler's answers") {
  live_environment env;
  auto child = env.spawn();
  env.next("ready");
  env.deliver(event("req-1", R"({"hello":"world"})"));
  auto first = env.next("response");
  CHECK(first.id == "req-1");
  CHECK(first.type == "application/json");
  auto body = parse_object(first.body);
  CHECK(body["echo"] == boost::json::parse(R"({"hello":"world"})"));
  CHECK(body["request_id"] == "req-1");
  CHECK(body["function_arn"] == "arn:aws:lambda:us-east-1:000000000000:function:echo");
  CHECK(body["trace_id"] == "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
  const auto remaining = body["remaining_ms"].as_int64();
  CHECK(remaining > 0);
  CHECK(remaining <= 30'000);

  env.deliver(event("req-2", "[1,2,3]"));
  auto second = env.next("response");
  CHECK(second.id == "req-2");
  CHECK(parse_object(second.body)["echo"] == boost::json::parse("[1,2,3]"));
  CHECK(child->running());
}

TEST_CASE("a failure and a thrown exception are posted to /error — the process serves on") {
  live_environment env;
  auto child = env.spawn();
  env.deliver(event("fail", R"({"fail":true,"message":"nope"})"));
  auto failed = env.next("error");
  CHECK(failed.id == "fail");
  CHECK(failed.type == "Runtime.Unknown");  // "EchoFailure" has no Runtime./Function. prefix
  CHECK(failed.body == R"({"errorMessage":"nope","errorType":"EchoFailure","stackTrace":[]})");

  env.deliver(event("throw", R"({"throw":"boom \"quoted\""})"));
  auto thrown = env.next("error");
  CHECK(thrown.id == "throw");
  CHECK(thrown.body == R"({"errorMessage":"boom \"quoted\"","errorType":"std::runtime_error","stackTrace":[]})");

  env.deliver(event("ok", "{}"));
  CHECK(env.next("response").id == "ok");
  CHECK(child->running());
}

TEST_CASE("a response over the payload limit gets 413 — the runtime goes on to the next event") {
  live_environment env;
  auto child = env.spawn();
  env.deliver(event("big", R"({"pad_bytes":7000000})"));
  auto big = env.next("too_large");
  CHECK(big.id == "big");
  CHECK(std::stoull(big.body) > rt::max_payload_size);
  env.deliver(event("small", "{}"));
  CHECK(env.next("response").id == "small");
  CHECK(child->err().find("was refused (413)") != std::string::npos);
}

TEST_CASE("post_init_error reports a failed init, then the bootstrap exits") {
  live_environment env;
  auto child = env.spawn({"CPP_ECHO_INIT_ERROR=missing config"});
  auto init = env.next("init_error");
  CHECK(init.type == "Runtime.EchoInitError");
  CHECK(init.body == R"({"errorMessage":"missing config","errorType":"Runtime.EchoInitError"})");
  CHECK(child->wait(30s) == 1);
  CHECK(env.kinds() == std::vector<std::string>{"init_error"});  // never became ready
}

TEST_CASE("the process exits with the code an event asks for, answering nothing") {
  live_environment env;
  auto child = env.spawn();
  env.deliver(event("crash", R"({"exit":42})"));
  CHECK(child->wait(30s) == 42);
  for (const auto& kind : env.kinds()) CHECK((kind == "ready" || kind == "waiting"));
}

TEST_CASE("run_handler returns non-zero when the runtime API goes away or is not configured") {
  live_environment env;
  auto child = env.spawn();
  env.next("waiting");  // parked in GET /next
  env.close();
  CHECK(child->wait(30s) == 1);
  CHECK(child->err().find("GET next failed") != std::string::npos);

  lambkin::test::child_process unconfigured({CPP_ECHO_BOOTSTRAP}, {"AWS_LAMBDA_RUNTIME_API="});
  CHECK(unconfigured.wait(30s) == 1);
}
