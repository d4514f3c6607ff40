// busy_poll: the io thread's demand follows the runtime API server's `running` state and an
// in-process environment's events, and
// busy_poll::run behaves like io_context::run (returns when the work is done, runs handlers and
// timers) whether it polls or sleeps.
#include "emulator/io/busy_poll.hpp"

#include "emulator/io/lambda/inprocess_environment.hpp"
#include "io/runtime_api_harness.hpp"

#include <doctest/doctest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

using namespace lambkin::test;
using namespace std::chrono_literals;
namespace busy_poll = lambkin::io::busy_poll;

namespace {
/// busy_poll's demand as the io_context's thread sees it (called from the client's thread).
int demand_on(boost::asio::io_context& ioc) {
  std::promise<int> n;
  boost::asio::post(ioc, [&] { n.set_value(busy_poll::in_flight()); });
  return n.get_future().get();
}
void reset_on(runtime_api_harness& h) {
  std::promise<void> done;
  boost::asio::post(h.ioc, [&] {
    h.server.reset();
    done.set_value();
  });
  done.get_future().get();
}
}  // namespace

TEST_CASE("busy_poll: demand while a runtime holds an event, ended by its response, its error, a reset and a close") {
  REQUIRE(busy_poll::in_flight() == 0);
  runtime_api_harness h;
  h.server.deliver(bare_event("a"));
  const auto seen = h.run([&h](unsigned short port) {
    runtime_client c(port);
    std::vector<int> out;
    out.push_back(demand_on(h.ioc));  // delivered, not fetched: the runtime does not hold it yet
    c.next();
    out.push_back(demand_on(h.ioc));
    c.respond("a", "{}");
    out.push_back(demand_on(h.ioc));
    h.deliver_later(bare_event("b"));
    c.next();
    out.push_back(demand_on(h.ioc));
    c.error("b", R"({"errorMessage":"x","errorType":"E"})");
    out.push_back(demand_on(h.ioc));
    h.deliver_later(bare_event("c"));
    c.next();
    out.push_back(demand_on(h.ioc));
    reset_on(h);  // the environment is retired with the event in hand
    out.push_back(demand_on(h.ioc));
    runtime_client fresh(port);
    h.deliver_later(bare_event("d"));
    fresh.next();
    out.push_back(demand_on(h.ioc));
    return out;  // the harness closes the server with "d" in hand
  });
  CHECK(seen == std::vector<int>{0, 1, 0, 1, 0, 1, 0, 1});
  CHECK(busy_poll::in_flight() == 0);
}

TEST_CASE("busy_poll::run: handlers and timers run, and it returns when the work is done, polling or not") {
  for (const auto budget : {0us, 50us, 10'000'000us}) {
    CAPTURE(budget.count());
    boost::asio::io_context ioc{1};
    std::vector<std::string> ran;
    boost::asio::steady_timer timer(ioc, 20ms);
    timer.async_wait([&](boost::system::error_code ec) {
      ran.push_back(ec ? "timer failed" : "timer");
      busy_poll::end();
    });
    boost::asio::post(ioc, [&] {
      ran.push_back("posted");
      busy_poll::begin();  // polls until the timer's handler ends the demand (or the budget ends)
    });
    busy_poll::run(ioc, budget);
    CHECK(ran == std::vector<std::string>{"posted", "timer"});
    CHECK(busy_poll::in_flight() == 0);
    CHECK(ioc.stopped());
  }
}

TEST_CASE("busy_poll::run: stop() from a handler ends it while demand lasts") {
  boost::asio::io_context ioc{1};
  auto guard = boost::asio::make_work_guard(ioc);  // work that never ends by itself
  boost::asio::post(ioc, [&] {
    busy_poll::begin();
    boost::asio::post(ioc, [&] { ioc.stop(); });
  });
  busy_poll::run(ioc, 10'000'000us);
  CHECK(ioc.stopped());
  busy_poll::end();
  CHECK(busy_poll::in_flight() == 0);
}

TEST_CASE("busy_poll: an in-process environment's event is demand until its answer, or until it is abandoned") {
  REQUIRE(busy_poll::in_flight() == 0);
  namespace rt = lambkin::io::lambda;
  boost::asio::io_context ioc{1};
  std::promise<void> release_promise;
  auto release = release_promise.get_future().share();
  auto fn = std::make_shared<lambkin::inprocess_function>();
  fn->handler = [release](const std::string& event, const lambkin::invocation_context&) {
    if (event == "hold") release.wait();  // a handler still running when its environment goes
    return std::string(R"({"ok":true})");
  };
  std::vector<std::string> seen;
  rt::inprocess_events events;
  events.on_ready = [&] {
    seen.push_back("ready");
    ioc.stop();
  };
  events.on_answer = [&](std::string id, std::string body, bool) {
    seen.push_back("answer " + id + " " + body + " in_flight=" + std::to_string(busy_poll::in_flight()));
    ioc.stop();
  };
  auto env = std::make_unique<rt::inprocess_environment>(ioc.get_executor(), fn, events);
  auto guard = boost::asio::make_work_guard(ioc);
  env->start_init();
  busy_poll::run(ioc, std::chrono::microseconds(100));  // until on_ready
  CHECK(busy_poll::in_flight() == 0);                   // init is not an event
  ioc.restart();
  lambkin::invocation_context context;
  context.request_id = "r1";
  env->deliver(context, "{}");
  CHECK(busy_poll::in_flight() == 1);
  busy_poll::run(ioc, std::chrono::microseconds(100));  // until on_answer
  CHECK(seen == std::vector<std::string>{"ready", R"(answer r1 {"ok":true} in_flight=0)"});
  CHECK(busy_poll::in_flight() == 0);

  context.request_id = "r2";
  env->deliver(context, "hold");
  CHECK(busy_poll::in_flight() == 1);
  env.reset();  // abandoned with the handler running: its answer will never come
  CHECK(busy_poll::in_flight() == 0);
  release_promise.set_value();  // the detached worker ends on its own
}

TEST_CASE("busy_poll::run: within a keep_awake deadline it polls without demand, runs what comes, returns when done") {
  boost::asio::io_context ioc{1};
  std::vector<std::string> ran;
  boost::asio::steady_timer timer(ioc, 5ms);
  timer.async_wait([&](boost::system::error_code ec) { ran.push_back(ec ? "timer failed" : "timer"); });
  boost::asio::post(ioc, [&] {
    ran.push_back("posted");
    busy_poll::keep_awake(10'000'000us);  // far past the timer: run must still return when the work is done
  });
  busy_poll::run(ioc, 100us);
  CHECK(ran == std::vector<std::string>{"posted", "timer"});
  CHECK(busy_poll::in_flight() == 0);
  CHECK(ioc.stopped());
}
