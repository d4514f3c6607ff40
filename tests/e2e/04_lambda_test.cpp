// Live functions: real runtime processes behind the Invoke API, as `aws lambda invoke` sees them.
#include "e2e/lambkin_instance.hpp"
#include "emulator/core/text/base64.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <fstream>
#include <future>
#include <thread>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

using lambkin::test::count_of;
using lambkin::test::fn;
using lambkin::test::lambkin_instance;
using lambkin::test::template_for;

namespace {

const std::string data = std::string(LAMBKIN_TEST_DATA_DIR) + "/functions/";

boost::json::object json_of(const std::string& body) { return boost::json::parse(body).as_object(); }

bool process_gone(pid_t pid, std::chrono::milliseconds timeout) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // already gone
  pollfd p{fd, POLLIN, 0};
  const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  ::close(fd);
  return r == 1;
}

}  // namespace

TEST_CASE("a Node function runs cold, then warm in the same environment, logging as Lambda does") {
  lambkin_instance lk(template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""}}));
  auto first = lk.invoke("Echo", R"({"n":1})");
  REQUIRE(first.result_int() == 200);
  auto body = json_of(first.body());
  CHECK(body.at("event").at("n") == 1);
  CHECK(body.at("awsRequestId").as_string() == std::string(first["x-amzn-RequestId"]).c_str());
  CHECK(body.at("functionName") == "Echo");
  CHECK(first["X-Amz-Executed-Version"] == "$LATEST");
  CHECK(first.find("X-Amz-Function-Error") == first.end());

  auto second = lk.invoke("Echo", R"({"n":2})");
  REQUIRE(second.result_int() == 200);
  CHECK(json_of(second.body()).at("event").at("n") == 2);

  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "REPORT RequestId", std::chrono::seconds(10), 2));
  const auto log = lk.log();
  CHECK(count_of(log, "INIT_START Runtime Version: nodejs:20") == 1);
  CHECK(count_of(log, "START RequestId: ") == 2);
  CHECK(count_of(log, "END RequestId: ") == 2);
  CHECK(count_of(log, "REPORT RequestId: ") == 2);
  CHECK(count_of(log, "Init Duration: ") == 1);
  CHECK(log.find("INFO\tevent {\"n\":1}") != std::string::npos);
  CHECK(lk.stop() == 0);
}

TEST_CASE("function errors are 200 with X-Amz-Function-Error: Unhandled, the environment stays warm") {
  lambkin_instance lk(template_for({{"Fails", "nodejs20.x", "index.handler", data + "node-error", ""}}));
  for (int i = 0; i < 2; ++i) {
    auto res = lk.invoke("Fails", R"({"x":1})");
    REQUIRE(res.result_int() == 200);
    CHECK(res["X-Amz-Function-Error"] == "Unhandled");
    auto body = json_of(res.body());
    CHECK(body.at("errorType") == "TypeError");
    CHECK(body.at("errorMessage") == R"(bad input: {"x":1})");
  }
  CHECK(count_of(lk.log(), "INIT_START") == 1);
}

TEST_CASE("a Python function runs on lambkin's Python runtime") {
  lambkin_instance lk(template_for({{"Py", "python3.11", "app.handler", data + "python-basic", ""}}));
  auto res = lk.invoke("Py", R"({"k":"v"})");
  REQUIRE(res.result_int() == 200);
  auto body = json_of(res.body());
  CHECK(body.at("event").at("k") == "v");
  CHECK(body.at("function_name") == "Py");
}

TEST_CASE("a C++ function on lambkin_runtime: success, failure, exception, timeout, crash") {
  lambkin_instance lk(template_for(
      {{"Cpp", "provided.al2023", "echo", CPP_ECHO_DIR, "      Timeout: 1\n"}}));
  auto ok = lk.invoke("Cpp", R"({"hello":"world"})");
  REQUIRE(ok.result_int() == 200);
  CHECK(json_of(ok.body()).at("echo").at("hello") == "world");

  auto failed = lk.invoke("Cpp", R"({"fail":true,"message":"nope"})");
  CHECK(failed["X-Amz-Function-Error"] == "Unhandled");
  CHECK(json_of(failed.body()).at("errorType") == "EchoFailure");
  CHECK(count_of(lk.log(), "INIT_START") == 1);

  auto timed_out = lk.invoke("Cpp", R"({"sleep_ms":3000})");
  REQUIRE(timed_out.result_int() == 200);
  CHECK(timed_out["X-Amz-Function-Error"] == "Unhandled");
  auto t = json_of(timed_out.body());
  CHECK(t.at("errorType") == "Sandbox.Timedout");
  CHECK(std::string(t.at("errorMessage").as_string()).find("Task timed out after 1.") != std::string::npos);
  CHECK(lk.log().find("Status: timeout") != std::string::npos);

  // The timed-out environment was killed: the next invocation is a cold start.
  auto after = lk.invoke("Cpp", R"({"again":true})");
  CHECK(after.result_int() == 200);
  CHECK(count_of(lk.log(), "INIT_START") == 2);

  auto crashed = lk.invoke("Cpp", R"({"exit":3})");
  CHECK(crashed["X-Amz-Function-Error"] == "Unhandled");
  auto c = json_of(crashed.body());
  CHECK(c.at("errorType") == "Runtime.ExitError");
  CHECK(std::string(c.at("errorMessage").as_string()) ==
        "RequestId: " + std::string(crashed["x-amzn-RequestId"]) + " Error: Runtime exited with error: exit status 3");
}

TEST_CASE("init errors are the first invocation's result, a missing bootstrap is Runtime.InvalidEntrypoint") {
  lambkin_instance lk(template_for({{"InitFails", "nodejs20.x", "index.handler", data + "node-init-error", ""},
                                    {"NoBootstrap", "provided.al2023", "x", data + "node-basic", ""}}));
  auto init = lk.invoke("InitFails", "{}");
  CHECK(init.result_int() == 200);
  CHECK(init["X-Amz-Function-Error"] == "Unhandled");
  auto body = json_of(init.body());
  CHECK(body.at("errorType") == "Error");
  CHECK(body.at("errorMessage") == "boom at init");

  auto missing = lk.invoke("NoBootstrap", "{}");
  CHECK(missing["X-Amz-Function-Error"] == "Unhandled");
  CHECK(json_of(missing.body()).at("errorType") == "Runtime.InvalidEntrypoint");
}

TEST_CASE("reserved concurrency 1: concurrent sync invocations beyond it get 429 with AWS's Reason") {
  lambkin_instance lk(template_for(
      {{"Single", "provided.al2023", "echo", CPP_ECHO_DIR, "      Timeout: 10\n      ReservedConcurrentExecutions: 1\n"}}));
  auto slow = std::async(std::launch::async, [&] { return lk.invoke("Single", R"({"sleep_ms":1500})"); });
  // The first invocation is in flight once its START line is logged; everything after it is over the limit.
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "START RequestId", std::chrono::seconds(20)));
  int throttled = 0;
  for (int i = 0; i < 3; ++i) {
    auto res = lk.invoke("Single", "{}");
    if (res.result_int() == 429) {
      ++throttled;
      CHECK(res["x-amzn-ErrorType"] == "TooManyRequestsException");
      CHECK(json_of(res.body()).at("Reason") == "ReservedFunctionConcurrentInvocationLimitExceeded");
    }
  }
  CHECK(throttled == 3);
  CHECK(slow.get().result_int() == 200);
}

TEST_CASE("async events: 202, retries after a function error, then the on-failure record") {
  lambkin_instance lk(template_for(
      {{"Fails", "nodejs20.x", "index.handler", data + "node-error",
        "      EventInvokeConfig:\n        MaximumRetryAttempts: 1\n        DestinationConfig:\n"
        "          OnFailure:\n            Type: SQS\n            Destination: arn:aws:sqs:us-east-1:123456789012:dlq\n"}},
      "    timing: fast\n"));
  auto res = lk.invoke("Fails", R"({"order":7})", {{"X-Amz-Invocation-Type", "Event"}});
  CHECK(res.result_int() == 202);
  REQUIRE(lambkin::test::wait_for_stderr(lk.process(), "async event finished", std::chrono::seconds(20)));
  lambkin::test::http_client client(lk.aws_port());
  auto records = boost::json::parse(client.request(boost::beast::http::verb::get, "/_lambkin/destinations").body()).as_array();
  REQUIRE(records.size() == 1);
  const auto& r = records[0].as_object();
  CHECK(r.at("destination") == "on-failure");
  const auto& rec = r.at("record").as_object();
  CHECK(rec.at("version") == "1.0");
  CHECK(rec.at("requestContext").at("condition") == "RetriesExhausted");
  CHECK(rec.at("requestContext").at("approximateInvokeCount") == 2);
  CHECK(rec.at("requestPayload").at("order") == 7);
  CHECK(rec.at("responseContext").at("functionError") == "Unhandled");
  CHECK(rec.at("responsePayload").at("errorType") == "TypeError");
  CHECK(count_of(lk.log(), "START RequestId") == 2);
}

TEST_CASE("X-Amz-Log-Type: Tail returns the invocation's log, base64") {
  lambkin_instance lk(template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""}}));
  auto res = lk.invoke("Echo", "{}", {{"X-Amz-Log-Type", "Tail"}});
  REQUIRE(res.result_int() == 200);
  auto log = lambkin::text::base64_decode(std::string(res["X-Amz-Log-Result"]));
  REQUIRE(log);
  CHECK(log->find("START RequestId: " + std::string(res["x-amzn-RequestId"])) != std::string::npos);
  CHECK(log->find("REPORT RequestId: ") != std::string::npos);
  CHECK(log->find("Init Duration: ") != std::string::npos);
}

TEST_CASE("the Invoke API answers bad requests in AWS's terms") {
  lambkin_instance lk(template_for({{"Echo", "nodejs20.x", "index.handler", data + "node-basic", ""}}));
  auto missing = lk.invoke("Nope", "{}");
  CHECK(missing.result_int() == 404);
  CHECK(missing["x-amzn-ErrorType"] == "ResourceNotFoundException");
  CHECK(json_of(missing.body()).at("message") == "Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope");
  auto qualifier = lk.invoke("Echo%3Alive", "{}");
  CHECK(qualifier.result_int() == 404);
  auto not_json = lk.invoke("Echo", "{not json");
  CHECK(not_json.result_int() == 400);
  CHECK(not_json["x-amzn-ErrorType"] == "InvalidRequestContentException");
  auto too_big = lk.invoke("Echo", "\"" + std::string(1048580, 'x') + "\"", {{"X-Amz-Invocation-Type", "Event"}});
  CHECK(too_big.result_int() == 413);
  CHECK(too_big["x-amzn-ErrorType"] == "RequestEntityTooLargeException");
  auto dry = lk.invoke("arn:aws:lambda:us-east-1:123456789012:function:Echo", "{}", {{"X-Amz-Invocation-Type", "DryRun"}});
  CHECK(dry.result_int() == 204);
  auto bad_type = lk.invoke("Echo", "{}", {{"X-Amz-Invocation-Type", "Later"}});
  CHECK(bad_type.result_int() == 400);
}

TEST_CASE("between invocations the runtime is frozen, no runtime outlives lambkin") {
  lambkin_instance lk(template_for({{"Pid", "nodejs20.x", "index.handler", data + "node-pid", ""}}));
  auto res = lk.invoke("Pid", "{}");
  REQUIRE(res.result_int() == 200);
  const auto pid = static_cast<pid_t>(json_of(res.body()).at("pid").as_int64());
  // lambkin sends SIGSTOP before it writes the answer; the kernel stops the process when it next
  // handles the signal, so watch /proc for state T (bounded; this is no sleep standing in for a
  // synchronisation lambkin could offer).
  const auto state_of = [pid] {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, comm, state;
    stat >> pid_field >> comm >> state;
    return state;
  };
  std::string state = state_of();
  for (auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
       state != "T" && std::chrono::steady_clock::now() < give_up; state = state_of())
    std::this_thread::yield();
  CHECK(state == "T");
  CHECK(lk.invoke("Pid", "{}").result_int() == 200);  // thawed for the next one
  CHECK(lk.stop() == 0);
  CHECK(process_gone(pid, std::chrono::seconds(5)));
}

TEST_CASE("a runtime dies with a SIGKILLed lambkin (no orphan)") {
  lambkin_instance lk(template_for({{"Pid", "nodejs20.x", "index.handler", data + "node-pid", ""}}));
  auto res = lk.invoke("Pid", "{}");
  REQUIRE(res.result_int() == 200);
  const auto pid = static_cast<pid_t>(json_of(res.body()).at("pid").as_int64());
  lk.process().signal(SIGKILL);
  lk.process().wait(std::chrono::seconds(5));
  CHECK(process_gone(pid, std::chrono::seconds(5)));
}
