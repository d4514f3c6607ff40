// In-process functions (include/lambkin/function.hpp) through the embedding API: C++ callables
// run as execution environments with the pool's lifecycle — cold then warm, reserved concurrency,
// async retries and the DLQ, init errors, timeouts — and reach the table store. Every invocation
// goes through lambkin's real Invoke API over loopback HTTP, or through MQTT and a topic rule.
#include <lambkin/emulator.hpp>

#include "emulator/core/text/base64.hpp"
#include "examples/temperature/inprocess/store_temperature.hpp"
#include "io/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <thread>

namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

/// A template in a fresh directory (CodeUri: . — the directory must exist; its code never runs).
class temp_template {
 public:
  explicit temp_template(const std::string& resources, const std::string& metadata = "    timing: fast\n") {
    dir_ = std::filesystem::temp_directory_path() / ("lambkin-inproc-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "template.yaml") << "Transform: AWS::Serverless-2016-10-31\nMetadata:\n  lambkin:\n"
                                          << metadata << "Resources:\n"
                                          << resources;
  }
  ~temp_template() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path path() const { return dir_ / "template.yaml"; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

std::string function_yaml(const std::string& name, const std::string& extra = "") {
  return "  " + name + ":\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n"
         "      CodeUri: .\n      Handler: inproc\n" + extra;
}

bhttp::response<bhttp::string_body> invoke(std::uint16_t port, const std::string& function, const std::string& payload,
                                           bool event = false) {
  lambkin::test::http_client client(port);
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/2015-03-31/functions/" + function + "/invocations", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set("X-Amz-Log-Type", "Tail");
  if (event) req.set("X-Amz-Invocation-Type", "Event");
  req.body() = payload;
  req.prepare_payload();
  return client.send(req);
}

std::string log_tail(const bhttp::response<bhttp::string_body>& res) {
  return lambkin::text::base64_decode(std::string(res["X-Amz-Log-Result"])).value_or("");
}

boost::json::value json_of(const std::string& text) { return boost::json::parse(text); }

/// The value of `family{function="<function>"}` in /_lambkin/metrics.
double metric(std::uint16_t port, const std::string& family, const std::string& function) {
  lambkin::test::http_client client(port);
  const auto body = client.request(bhttp::verb::get, "/_lambkin/metrics").body();
  const auto key = family + "{function=\"" + function + "\"} ";
  const auto at = body.find(key);
  if (at == std::string::npos) return -1;
  return std::stod(body.substr(at + key.size(), body.find('\n', at) - at - key.size()));
}

/// Checks `done` (a query of lambkin's state over HTTP) each time lambkin has news: the events
/// stream (`/_lambkin/events?after=N`) holds its answer until something happens or 2 s pass, so
/// this waits on lambkin, not on a timer. Gives up after 30 s.
template <class Pred>
bool eventually(std::uint16_t port, Pred done) {
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  std::uint64_t seen = 0;
  while (std::chrono::steady_clock::now() < give_up) {
    if (done()) return true;
    lambkin::test::http_client client(port);
    const auto body = client.request(bhttp::verb::get, "/_lambkin/events?after=" + std::to_string(seen)).body();
    if (const auto id = body.rfind("id: "); id != std::string::npos) seen = std::stoull(body.substr(id + 4));
  }
  return done();
}

/// A gate handlers wait at until the test opens it, counting who arrived.
class gate {
 public:
  void arrive_and_wait() {
    std::unique_lock lock(m_);
    ++arrived_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  bool wait_arrived(int n) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, 30s, [&] { return arrived_ >= n; });
  }
  void open() {
    std::lock_guard lock(m_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int arrived_ = 0;
  bool open_ = false;
};

}  // namespace

TEST_CASE("in-process: the first invoke is a cold start with init, the next ones are warm on the same thread") {
  temp_template t(function_yaml("Echo", "      MemorySize: 256\n      Timeout: 7\n"));
  std::atomic<int> inits = 0;
  std::mutex m;
  std::set<std::thread::id> threads;
  lambkin::inprocess_function echo;
  echo.init = [&] { ++inits; };
  echo.handler = [&](const std::string& event, const lambkin::invocation_context& ctx) {
    {
      std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
    }
    ctx.log("handling " + event);
    boost::json::object o;
    o["event"] = json_of(event);
    o["requestId"] = ctx.request_id;
    o["function"] = ctx.function_name;
    o["version"] = ctx.function_version;
    o["arn"] = ctx.invoked_function_arn;
    o["memory"] = ctx.memory_limit_mb;
    o["remaining"] = ctx.remaining_time().count();
    o["logStream"] = ctx.log_stream_name;
    return boost::json::serialize(o);
  };
  lambkin::emulator lk({.template_file = t.path(), .functions = {{"Echo", echo}}});

  auto cold = invoke(lk.aws_port(), "Echo", R"({"n":1})");
  REQUIRE(cold.result_int() == 200);
  CHECK(cold["X-Amz-Function-Error"].empty());
  const auto body = json_of(cold.body()).as_object();
  CHECK(body.at("event").at("n") == 1);
  CHECK(body.at("requestId").as_string() == std::string(cold["x-amzn-RequestId"]).c_str());
  CHECK(body.at("function") == "Echo");
  CHECK(body.at("version") == "$LATEST");
  CHECK(body.at("arn") == "arn:aws:lambda:us-east-1:123456789012:function:Echo");
  CHECK(body.at("memory") == 256);
  CHECK(body.at("remaining").as_int64() > 0);
  CHECK(body.at("remaining").as_int64() <= 7000);
  const auto cold_log = log_tail(cold);
  CHECK(cold_log.find("START RequestId: " + std::string(cold["x-amzn-RequestId"])) != std::string::npos);
  CHECK(cold_log.find("handling {\"n\":1}") != std::string::npos);
  CHECK(cold_log.find("END RequestId") != std::string::npos);
  CHECK(cold_log.find("Init Duration") != std::string::npos);

  for (int i = 2; i <= 3; ++i) {
    auto warm = invoke(lk.aws_port(), "Echo", "{\"n\":" + std::to_string(i) + "}");
    REQUIRE(warm.result_int() == 200);
    CHECK(json_of(warm.body()).at("event").at("n") == i);
    CHECK(log_tail(warm).find("REPORT RequestId") != std::string::npos);
    CHECK(log_tail(warm).find("Init Duration") == std::string::npos);
  }
  CHECK(inits == 1);
  CHECK(threads.size() == 1);
  CHECK(!threads.contains(std::this_thread::get_id()));
  CHECK(metric(lk.aws_port(), "lambkin_lambda_cold_starts_total", "Echo") == 1);
  CHECK(metric(lk.aws_port(), "lambkin_lambda_warm_starts_total", "Echo") == 2);
}

TEST_CASE("in-process: a handler that throws is a function error with the C++ runtime client's error document") {
  temp_template t(function_yaml("Thrower"));
  lambkin::inprocess_function f;
  f.handler = [](const std::string& event, const lambkin::invocation_context&) -> std::string {
    if (event.find("custom") != std::string::npos) throw lambkin::function_error("Function.BadReading", "no temperature");
    throw std::out_of_range("index 7 is out of range");
  };
  lambkin::emulator lk({.template_file = t.path(), .functions = {{"Thrower", f}}});
  auto res = invoke(lk.aws_port(), "Thrower", "{}");
  REQUIRE(res.result_int() == 200);
  CHECK(res["X-Amz-Function-Error"] == "Unhandled");
  CHECK(res.body() == R"({"errorMessage":"index 7 is out of range","errorType":"std::out_of_range","stackTrace":[]})");
  auto custom = invoke(lk.aws_port(), "Thrower", R"({"custom":1})");
  CHECK(custom["X-Amz-Function-Error"] == "Unhandled");
  CHECK(json_of(custom.body()).at("errorType") == "Function.BadReading");
  // A function error keeps the environment: the second invoke was warm.
  CHECK(metric(lk.aws_port(), "lambkin_lambda_cold_starts_total", "Thrower") == 1);
}

TEST_CASE("in-process: reserved concurrency 2 with 5 concurrent sync invokes gives exactly 3 throttles") {
  temp_template t(function_yaml("Limited", "      ReservedConcurrentExecutions: 2\n      Timeout: 30\n"));
  gate g;
  lambkin::inprocess_function f;
  f.handler = [&](const std::string&, const lambkin::invocation_context&) {
    g.arrive_and_wait();
    return std::string(R"({"done":true})");
  };
  lambkin::emulator lk({.template_file = t.path(), .functions = {{"Limited", f}}});
  auto a = std::async(std::launch::async, [&] { return invoke(lk.aws_port(), "Limited", "{}"); });
  auto b = std::async(std::launch::async, [&] { return invoke(lk.aws_port(), "Limited", "{}"); });
  REQUIRE(g.wait_arrived(2));  // both environments are busy in their handlers
  int throttled = 0;
  for (int i = 0; i < 3; ++i) {
    auto res = invoke(lk.aws_port(), "Limited", "{}");
    if (res.result_int() == 429) {
      ++throttled;
      CHECK(res["x-amzn-ErrorType"] == "TooManyRequestsException");
      CHECK(json_of(res.body()).at("Reason") == "ReservedFunctionConcurrentInvocationLimitExceeded");
    }
  }
  g.open();
  CHECK(throttled == 3);
  CHECK(a.get().body() == R"({"done":true})");
  CHECK(b.get().body() == R"({"done":true})");
  CHECK(metric(lk.aws_port(), "lambkin_lambda_cold_starts_total", "Limited") == 2);
}

TEST_CASE("in-process: an async event whose handler throws is retried, then lands in the DLQ") {
  temp_template t(function_yaml("Failing",
                                "      EventInvokeConfig:\n        MaximumRetryAttempts: 1\n"
                                "      DeadLetterQueue:\n        Type: SQS\n"
                                "        TargetArn: arn:aws:sqs:us-east-1:123456789012:failing-dlq\n"));
  std::atomic<int> calls = 0;
  lambkin::inprocess_function f;
  f.handler = [&](const std::string&, const lambkin::invocation_context&) -> std::string {
    ++calls;
    throw std::runtime_error("cannot store");
  };
  lambkin::emulator lk({.template_file = t.path(), .functions = {{"Failing", f}}});
  auto res = invoke(lk.aws_port(), "Failing", R"({"order":7})", true);
  CHECK(res.result_int() == 202);
  lambkin::test::http_client client(lk.aws_port());
  boost::json::array records;
  REQUIRE(eventually(lk.aws_port(), [&] {
    records = json_of(client.request(bhttp::verb::get, "/_lambkin/destinations").body()).as_array();
    return !records.empty();
  }));
  REQUIRE(records.size() == 1);
  CHECK(records[0].at("destination") == "dlq");
  CHECK(records[0].at("record").at("requestPayload").at("order") == 7);  // the DLQ keeps the event
  CHECK(calls == 2);
}

TEST_CASE("in-process: an init that throws is an init error, retried once within the invoke, then cold again") {
  temp_template t(function_yaml("BadInit"));
  std::atomic<int> inits = 0, handled = 0;
  lambkin::inprocess_function f;
  f.init = [&] {
    if (++inits <= 2) throw std::runtime_error("missing configuration");
  };
  f.handler = [&](const std::string&, const lambkin::invocation_context&) {
    ++handled;
    return std::string("{}");
  };
  lambkin::emulator lk({.template_file = t.path(), .functions = {{"BadInit", f}}});
  auto res = invoke(lk.aws_port(), "BadInit", "{}");
  REQUIRE(res.result_int() == 200);
  CHECK(res["X-Amz-Function-Error"] == "Unhandled");
  CHECK(json_of(res.body()).at("errorMessage") == "missing configuration");
  CHECK(json_of(res.body()).at("errorType") == "std::runtime_error");
  CHECK(inits == 2);  // the normal init and the suppressed retry
  CHECK(handled == 0);
  auto next = invoke(lk.aws_port(), "BadInit", "{}");  // a new environment: init succeeds this time
  CHECK(next.result_int() == 200);
  CHECK(next["X-Amz-Function-Error"].empty());
  CHECK(log_tail(next).find("Init Duration") != std::string::npos);
  CHECK(inits == 3);
  CHECK(handled == 1);
}

TEST_CASE("in-process: a handler past the timeout is abandoned, its result discarded, the next invoke cold") {
  temp_template t(function_yaml("Slow", "      Timeout: 1\n"));
  gate g;
  std::atomic<int> inits = 0;
  lambkin::inprocess_function f;
  f.init = [&] { ++inits; };
  f.handler = [&](const std::string& event, const lambkin::invocation_context&) {
    if (event.find("block") != std::string::npos) g.arrive_and_wait();
    return std::string(R"({"finished":true})");
  };
  lambkin::emulator lk({.template_file = t.path(), .functions = {{"Slow", f}}});
  auto res = invoke(lk.aws_port(), "Slow", R"({"block":true})");
  REQUIRE(res.result_int() == 200);
  CHECK(res["X-Amz-Function-Error"] == "Unhandled");
  CHECK(json_of(res.body()).at("errorType") == "Sandbox.Timedout");
  CHECK(std::string(json_of(res.body()).at("errorMessage").as_string()).find("Task timed out after ") !=
        std::string::npos);
  const auto log = log_tail(res);
  CHECK(log.find("Status: timeout") != std::string::npos);
  g.open();  // the abandoned handler returns now; nobody hears of it
  auto next = invoke(lk.aws_port(), "Slow", "{}");
  CHECK(next.body() == R"({"finished":true})");
  CHECK(log_tail(next).find("Init Duration") != std::string::npos);
  CHECK(inits == 2);
}

TEST_CASE("in-process: readings published with mosquitto_pub go through the rule to a C++ StoreTemperature into the table") {
  // The example template unchanged; its Node StoreTemperature is replaced by the C++ one.
  for (const auto how : {lambkin::examples::transport::direct, lambkin::examples::transport::http}) {
    CAPTURE(how == lambkin::examples::transport::direct ? "call_aws" : "HTTP");
    lambkin::emulator lk({.template_file = LAMBKIN_SOURCE_DIR "/examples/temperature/template.yaml",
                          .functions = {{"StoreTemperature", lambkin::examples::store_temperature(how)}}});
    for (const auto* reading : {R"({"temperature":21.5})", R"({"temperature":"22.25"})", R"({"temperature":23})"}) {
      const auto cmd = "mosquitto_pub -p " + std::to_string(lk.mqtt_port()) +
                       " -q 1 -t things/dev-cpp/temperature -m '" + reading + "'";
      REQUIRE(std::system(cmd.c_str()) == 0);
    }
    lambkin::test::http_client client(lk.aws_port());
    auto query = [&] {
      bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/", 11};
      req.set(bhttp::field::host, "127.0.0.1");
      req.set("X-Amz-Target", "DynamoDB_20120810.Query");
      req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
      req.body() = R"({"TableName":"TemperatureReadings","KeyConditionExpression":"deviceId = :d",)"
                   R"("ExpressionAttributeValues":{":d":{"S":"dev-cpp"}}})";
      req.prepare_payload();
      return json_of(client.send(req).body());
    };
    boost::json::value page;
    REQUIRE(eventually(lk.aws_port(), [&] {
      page = query();
      return page.at("Count") == 3;
    }));
    std::multiset<std::string> temperatures;
    for (const auto& item : page.at("Items").as_array()) {
      temperatures.insert(std::string(item.at("temperature").at("N").as_string()));
      CHECK(item.at("storedAt").at("N").as_string().size() >= 13);  // epoch ms
    }
    CHECK(temperatures == std::multiset<std::string>{"21.5", "22.25", "23"});
    // Successful async events with no on-success destination leave no destination record.
    CHECK(client.request(bhttp::verb::get, "/_lambkin/destinations").body() == "[]");
  }
}

TEST_CASE("in-process: a name the template does not define is refused by the constructor") {
  temp_template t(function_yaml("Echo"));
  lambkin::inprocess_function f;
  f.handler = [](const std::string& e, const lambkin::invocation_context&) { return e; };
  CHECK_THROWS_WITH_AS(lambkin::emulator({.template_file = t.path(), .functions = {{"Nope", f}}}),
                       doctest::Contains("'Nope': the template defines no such function"), lambkin::emulator_error);
}
