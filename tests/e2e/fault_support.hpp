#pragma once
// Test support for the fault suites: `lambkin run` on a data directory the test keeps (so a
// killed lambkin can be restarted on it), a counter of stderr lines that reads the log
// incrementally (10,000 events log ~50,000 lines: re-reading the whole log per change would cost
// more than the events), the fault each event carries, and the tally of the destination records.
#include "e2e/lambkin_instance.hpp"
#include "io/http_client.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <poll.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace lambkin::test {

/// `{"i": N}` plus the fault N asks for: N % 100 in 0–9 throws, 10–11 exits the process (crash),
/// 12 sleeps 5 s, far past the 1 s timeout (even on a loaded machine); the rest succeed.
inline std::string event_payload(int i) {
  const int k = i % 100;
  std::string p = R"({"i":)" + std::to_string(i);
  if (k < 10) p += R"(,"throw":"boom")";
  else if (k < 12) p += R"(,"exit":3)";
  else if (k == 12) p += R"(,"sleep_ms":5000)";
  return p + "}";
}
inline bool succeeds(int i) { return i % 100 >= 13; }
inline std::size_t expected_successes(const std::vector<int>& ids) {
  std::size_t n = 0;
  for (int i : ids) n += succeeds(i) ? 1 : 0;
  return n;
}

/// `lambkin run <dir>/template.yaml --data-dir <dir>/data` on port 0, ready when this returns; the
/// directory is the test's, so a killed lambkin can be restarted on it. `env`: extra `NAME=value`
/// environment entries.
class lambkin_run : public lambkin_instance {
 public:
  using lambkin_instance::lambkin_instance;
  /// `LAMBKIN_TEST_CLOCK_OFFSET_MS` (test-only), for `env`: lambkin's wall clock `offset` ahead.
  static std::vector<std::string> clock_ahead(std::chrono::milliseconds offset) {
    return {"LAMBKIN_TEST_CLOCK_OFFSET_MS=" + std::to_string(offset.count())};
  }
  /// N of the start's `restored N async events` line.
  std::size_t restored() {
    REQUIRE(wait_for_stderr(process(), " async events", std::chrono::seconds(10)));
    std::smatch m;
    const auto log = process().err();
    REQUIRE(std::regex_search(log, m, std::regex("restored ([0-9]+) async events")));
    return std::stoul(m[1].str());
  }
};

/// Counts the occurrences of `text` in a child's stderr, reading only what was appended since.
class stderr_counter {
 public:
  stderr_counter(child_process& child, std::string text)
      : child_(child), path_(child.dir() / "stderr"), text_(std::move(text)) {}

  std::size_t count() {
    std::ifstream in(path_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    offset_ += chunk.size();
    tail_ += chunk;
    std::size_t p = 0;
    for (auto f = tail_.find(text_); f != std::string::npos; f = tail_.find(text_, p)) {
      ++count_;
      p = f + text_.size();
    }
    // Keep what could be the start of a match cut by the end of the chunk.
    const auto keep = std::min(tail_.size() - std::min(p, tail_.size()), text_.size() - 1);
    tail_ = tail_.substr(tail_.size() - keep);
    return count_;
  }

  /// Waits (inotify and the child's pidfd, no sleeping) until `n` occurrences, the child's exit or
  /// `timeout`. True when reached.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    ::inotify_add_watch(fd, path_.c_str(), IN_MODIFY);
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child_.pid(), 0));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (count() < n && child_.running()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p[2] = {{fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
      ::poll(p, pidfd >= 0 ? 2 : 1, static_cast<int>(left.count()));
      char buf[4096];
      while (::read(fd, buf, sizeof buf) > 0) {
      }
    }
    if (pidfd >= 0) ::close(pidfd);
    ::close(fd);
    return count() >= n;
  }

 private:
  child_process& child_;
  std::filesystem::path path_;
  std::string text_;
  std::size_t offset_ = 0, count_ = 0;
  std::string tail_;
};

/// Every destination record lambkin keeps, by event (`requestPayload.i`).
struct record_tally {
  std::map<int, std::vector<std::string>> by_event;  // the destinations of its records
  std::map<std::string, std::size_t> error_types;    // responsePayload.errorType of failure records
  std::size_t timeouts = 0;                          // records whose last attempt timed out
  std::set<int> timed_out;                           // the events of those records
  std::int64_t max_attempts = 0;
  std::size_t records = 0;
};

/// Pages through GET /_lambkin/destinations?after=SEQ&limit=5000.
inline record_tally tally_records(unsigned short aws_port) {
  record_tally t;
  std::int64_t after = 0;
  http_client client(aws_port);
  for (;;) {
    const auto res = client.request(bhttp::verb::get, "/_lambkin/destinations?after=" + std::to_string(after) +
                                                          "&limit=5000");
    REQUIRE(res.result_int() == 200);
    const auto page = boost::json::parse(res.body()).as_array();
    if (page.empty()) break;
    for (const auto& entry : page) {
      const auto& e = entry.as_object();
      after = e.at("seq").as_int64();
      ++t.records;
      const auto& record = e.at("record").as_object();
      const auto* payload = record.at("requestPayload").as_object().if_contains("i");
      if (!payload) continue;
      const int i = static_cast<int>(payload->as_int64());
      t.by_event[i].push_back(e.at("destination").is_null() ? "" : std::string(e.at("destination").as_string()));
      t.max_attempts =
          std::max(t.max_attempts, record.at("requestContext").at("approximateInvokeCount").as_int64());
      if (const auto* response = record.if_contains("responsePayload"); response && response->is_object()) {
        if (const auto* type = response->as_object().if_contains("errorType"); type && type->is_string())
          ++t.error_types[std::string(type->as_string())];
        if (const auto* message = response->as_object().if_contains("errorMessage"); message && message->is_string())
          if (std::string(message->as_string()).find("Task timed out") != std::string::npos) {
            ++t.timeouts;
            t.timed_out.insert(i);
          }
      }
    }
  }
  return t;
}

struct outcome_report {
  std::size_t succeeded = 0, dead_lettered = 0, lost = 0, duplicates = 0;
  /// Events meant to succeed that were dead-lettered because their last attempt really ran past
  /// the 1 s timeout: a machine starved of CPU (a sanitizer build beside other jobs) can make an
  /// echo that slow. lambkin did what Lambda does with such an event; counted in dead_lettered.
  std::size_t starved = 0;
  /// Events whose record went to the wrong destination for their fault (the first few listed).
  std::size_t wrong = 0;
  std::string wrong_examples;
};

/// "Runtime.ExitError=200 Sandbox.Timedout=100 …", for failure messages.
inline std::string error_summary(const record_tally& t) {
  std::string s;
  for (const auto& [type, n] : t.error_types) s += type + "=" + std::to_string(n) + " ";
  return s + "timeouts=" + std::to_string(t.timeouts) + " max_attempts=" + std::to_string(t.max_attempts);
}

/// Each accepted event: lost (no record), else succeeded or dead-lettered; records beyond the first
/// are at-least-once duplicates.
inline outcome_report check_outcomes(const record_tally& t, const std::vector<int>& accepted) {
  outcome_report r;
  for (int i : accepted) {
    const auto it = t.by_event.find(i);
    if (it == t.by_event.end()) {
      ++r.lost;
      continue;
    }
    r.duplicates += it->second.size() - 1;
    const bool starved = succeeds(i) && t.timed_out.count(i) != 0 &&
                         std::all_of(it->second.begin(), it->second.end(), [](const std::string& d) { return d == "on-failure"; });
    const std::string expected = succeeds(i) && !starved ? "on-success" : "on-failure";
    for (const auto& d : it->second)
      if (d != expected) {
        if (++r.wrong <= 5) r.wrong_examples += std::to_string(i) + "→" + (d.empty() ? "none" : d) + " ";
      }
    if (starved) ++r.starved;
    if (succeeds(i) && !starved) ++r.succeeded;
    else ++r.dead_lettered;
  }
  return r;
}

}  // namespace lambkin::test
