// Faults a CI pipeline produces, against `lambkin run` as a user runs it (issue 11): 10,000 async
// events where the function throws, crashes and times out; `kill -9` of lambkin in the middle of
// that load and a restart on the same data directory; events acknowledged by a QoS 1 PUBACK that
// survive a `kill -9`; runtimes killed from outside; a full disk under the data directory.
//
// The function is the C++ `provided.al2023` cpp-echo (examples/functions/cpp-echo): a warm invoke
// costs it microseconds, so 10,000 events fit in seconds. Every event is `{"i": N, …}`; N decides
// its fault, so the expected outcome of every event is known.
#include "e2e/fault_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

using namespace lambkin::test;
using namespace std::chrono_literals;

namespace {

constexpr int events = 10000;

/// The template: Faulty (cpp-echo) with a 1 s timeout, one retry, on-success and on-failure
/// destinations; `extra` adds resources.
std::string faulty_template(const std::string& reserved = "50", const std::string& extra = "") {
  return "Transform: AWS::Serverless-2016-10-31\nMetadata:\n  lambkin:\n    timing: fast\nResources:\n"
         "  Faulty:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n"
         "      Handler: echo\n      CodeUri: " CPP_ECHO_DIR "\n      Timeout: 1\n"
         "      ReservedConcurrentExecutions: " + reserved + "\n"
         "      EventInvokeConfig:\n        MaximumRetryAttempts: 1\n        DestinationConfig:\n"
         "          OnSuccess:\n            Type: SQS\n            Destination: arn:aws:sqs:us-east-1:123456789012:ok\n"
         "          OnFailure:\n            Type: SQS\n            Destination: arn:aws:sqs:us-east-1:123456789012:dlq\n" +
         extra;
}

/// Sends events [from, to) as Event invokes from `clients` connections; returns the ids that got
/// a 202. A connection that fails (lambkin killed) ends its client. `accepted(n)` is called
/// (on a client's thread) with the running total after each 202. The first answer that was not a
/// 202 goes to `refused` (status and body), for the test's message.
std::vector<int> send_events(unsigned short port, int from, int to, int clients,
                             const std::function<void(int)>& accepted = {}, std::string* refused = nullptr) {
  std::atomic<int> total{0};
  std::mutex refused_mutex;
  std::vector<std::vector<int>> got(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      try {
        http_client client(port);
        for (int i = from + c; i < to; i += clients) {
          bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/2015-03-31/functions/Faulty/invocations", 11};
          req.set(bhttp::field::host, "127.0.0.1");
          req.set("X-Amz-Invocation-Type", "Event");
          req.body() = event_payload(i);
          req.prepare_payload();
          const auto res = client.send(req);
          if (res.result_int() != 202) {
            const std::lock_guard lock(refused_mutex);
            if (refused && refused->empty())
              *refused = "event " + std::to_string(i) + ": " + std::to_string(res.result_int()) + " " + res.body();
            return;
          }
          got[static_cast<std::size_t>(c)].push_back(i);
          const int n = ++total;
          if (accepted) accepted(n);
        }
      } catch (const std::exception& e) {  // lambkin is gone
        const std::lock_guard lock(refused_mutex);
        if (refused && refused->empty()) *refused = std::string("client ") + std::to_string(c) + ": " + e.what();
      }
    });
  for (auto& t : threads) t.join();
  std::vector<int> all;
  for (auto& g : got) all.insert(all.end(), g.begin(), g.end());
  return all;
}

/// The end of lambkin's stderr without the per-event lines, for a failure's message.
std::string log_tail(const child_process& lambkin) {
  std::istringstream all(lambkin.err());
  std::string line, kept;
  while (std::getline(all, line))
    if (line.find("async event finished") == std::string::npos && line.find("REPORT") == std::string::npos &&
        line.find("START") == std::string::npos && line.find("END") == std::string::npos)
      kept += line + "\n";
  return kept.size() > 4000 ? kept.substr(kept.size() - 4000) : kept;
}

}  // namespace

TEST_CASE("10,000 async events that throw, crash and time out: each one succeeds or is dead-lettered, exactly once") {
  temp_dir dir;
  lambkin_run lk(dir.path(), faulty_template());
  stderr_counter finished(lk.process(), "async event finished");
  std::string refused;
  const auto accepted = send_events(lk.aws_port(), 0, events, 8, {}, &refused);
  REQUIRE_MESSAGE(accepted.size() == events, refused << "\n" << log_tail(lk.process()));
  REQUIRE_MESSAGE(finished.wait_for(events, 120s), "finished " << finished.count() << " of " << events);

  const auto tally = tally_records(lk.aws_port());
  const auto report = check_outcomes(tally, accepted);
  MESSAGE("no kill: events in " << events << ", succeeded " << report.succeeded << ", dead-lettered "
                                << report.dead_lettered << ", lost " << report.lost << ", duplicates "
                                << report.duplicates << "; " << error_summary(tally));
  CHECK(report.lost == 0);
  CHECK(report.duplicates == 0);
  CHECK_MESSAGE(report.wrong == 0, report.wrong_examples);
  // An event meant to succeed may only fail by really timing out (see outcome_report::starved).
  MESSAGE("meant to succeed, timed out on a starved machine: " << report.starved);
  CHECK(report.succeeded + report.starved == expected_successes(accepted));
  CHECK(report.dead_lettered == events - report.succeeded);
  // A timer that fired early, or an echo that hung, would starve thousands, not a few.
  CHECK(report.starved < 100);
  // Every failure kind really happened: the records say how each event's last attempt ended. The
  // 100 sleeping events end with a timeout; ">= 100" because on a loaded machine (the sanitizer
  // run) the last attempt of a crashing or throwing event can pass the 1 s timeout first, which
  // changes how that attempt failed, not how the event ends (checked exactly above).
  CHECK(tally.error_types.count("Runtime.ExitError") == 1);
  CHECK(tally.error_types.count("std::runtime_error") == 1);
  CHECK(tally.timeouts >= 100);
  CHECK(tally.max_attempts == 2);
  CHECK(lk.stop() == 0);
}

TEST_CASE("kill -9 in the middle of 10,000 async events, restart on the same data directory: nothing accepted is lost") {
  temp_dir dir;
  std::vector<int> accepted;
  std::size_t finished_before = 0;
  {
    lambkin_run lk(dir.path(), faulty_template());
    stderr_counter finished(lk.process(), "async event finished");
    // Half the events accepted: SIGKILL, while clients are still sending and the queue is full.
    accepted = send_events(lk.aws_port(), 0, events, 8, [&](int n) {
      if (n == events / 2) lk.process().signal(SIGKILL);
    });
    lk.process().wait(10s);
    finished_before = finished.count();
  }
  REQUIRE(accepted.size() >= events / 2);
  int next = 0;
  for (int i : accepted) next = std::max(next, i + 1);

  lambkin_run lk(dir.path(), faulty_template());
  stderr_counter finished(lk.process(), "async event finished");
  const auto restored = lk.restored();
  MESSAGE("killed after " << accepted.size() << " accepted, " << finished_before << " finished; restored "
                          << restored);
  CHECK(restored > 0);
  // The rest of the load goes to the restarted lambkin.
  std::string refused;
  const auto rest = send_events(lk.aws_port(), next, events, 8, {}, &refused);
  REQUIRE_MESSAGE(rest.size() == static_cast<std::size_t>(events - next), refused << "\n" << log_tail(lk.process()));
  accepted.insert(accepted.end(), rest.begin(), rest.end());
  REQUIRE_MESSAGE(finished.wait_for(restored + rest.size(), 120s),
                  "finished " << finished.count() << " of " << restored + rest.size());

  const auto tally = tally_records(lk.aws_port());
  const auto report = check_outcomes(tally, accepted);
  MESSAGE("kill -9: events in " << accepted.size() << ", succeeded " << report.succeeded << ", dead-lettered "
                                << report.dead_lettered << ", lost " << report.lost << ", duplicates (at-least-once) "
                                << report.duplicates);
  CHECK(report.lost == 0);
  CHECK_MESSAGE(report.wrong == 0, report.wrong_examples << error_summary(tally));
  CHECK(report.succeeded + report.dead_lettered == accepted.size());
  CHECK(report.succeeded + report.starved == expected_successes(accepted));
  CHECK(lk.stop() == 0);
}

TEST_CASE("events a rule queued for messages acknowledged with PUBACK survive kill -9") {
  temp_dir dir;
  const auto rule = std::string(
      "      Events:\n        Reading:\n          Type: IoTRule\n          Properties:\n"
      "            AwsIotSqlVersion: '2016-03-23'\n            Sql: \"SELECT * FROM 'faults/+/reading'\"\n");
  // One slow environment: when mosquitto_pub has its PUBACKs, most events still wait in the queue.
  const auto tmpl = faulty_template("1", "") + rule;
  constexpr int messages = 200;
  {
    lambkin_run lk(dir.path(), tmpl);
    std::string lines;
    for (int i = 0; i < messages; ++i) lines += R"({"i":)" + std::to_string(20000 + i) + R"(,"sleep_ms":20})" + "\n";
    const auto file = dir.path() / "messages.txt";
    std::ofstream(file) << lines;
    // -l: one message per line of stdin, QoS 1; mosquitto_pub exits once every PUBACK arrived.
    auto pub = run({"/bin/sh", "-c",
                    "/usr/bin/mosquitto_pub -p " + std::to_string(lk.mqtt_port()) +
                        " -t faults/dev-1/reading -q 1 -l < " + file.string()});
    REQUIRE(pub.code == 0);
    lk.process().signal(SIGKILL);
    lk.process().wait(10s);
  }
  lambkin_run lk(dir.path(), tmpl);
  stderr_counter finished(lk.process(), "async event finished");
  const auto restored = lk.restored();
  MESSAGE("PUBACKed " << messages << " messages; restored " << restored << " events after kill -9");
  CHECK(restored > 0);
  REQUIRE(finished.wait_for(restored, 60s));
  const auto tally = tally_records(lk.aws_port());
  std::size_t seen = 0;
  for (int i = 0; i < messages; ++i) seen += tally.by_event.contains(20000 + i) ? 1 : 0;
  CHECK(seen == messages);
  CHECK(lk.stop() == 0);
}

TEST_CASE("async events that succeed with no destination leave the durable queue: a restart runs none again") {
  temp_dir dir;
  // Faulty without destinations: a success has nowhere to go and keeps no record.
  const std::string tmpl =
      "Transform: AWS::Serverless-2016-10-31\nMetadata:\n  lambkin:\n    timing: fast\nResources:\n"
      "  Faulty:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n"
      "      Handler: echo\n      CodeUri: " CPP_ECHO_DIR "\n";
  {
    lambkin_run lk(dir.path(), tmpl);
    stderr_counter finished(lk.process(), "async event finished");
    std::string refused;
    const auto accepted = send_events(lk.aws_port(), 13, 100, 2, {}, &refused);  // 13..99 all succeed
    REQUIRE_MESSAGE(accepted.size() == 87u, refused);
    REQUIRE(expected_successes(accepted) == 87u);
    REQUIRE(finished.wait_for(87, 60s));
    CHECK(lk.stop() == 0);
  }
  lambkin_run lk(dir.path(), tmpl);
  CHECK(lk.restored() == 0);
  CHECK(lk.stop() == 0);
}
