// The durable async queue on SQLite: group commit per io_context turn, reopened from a file after
// the process that wrote it is gone, records paged in order, and a failed transaction rolled back.
#include "emulator/io/store/async_event_store.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

using namespace lambkin::io::store;
namespace net = boost::asio;

namespace {

stored_event event(std::string function, std::string request_id, std::string payload) {
  stored_event e;
  e.function = std::move(function);
  e.request_id = std::move(request_id);
  e.version = "$LATEST";
  e.invoked_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + e.function;
  e.payload = std::move(payload);
  e.enqueued_ms = 1700000000000;
  return e;
}

/// One number read through a separate read-only connection: what another process would see.
std::int64_t rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::int64_t n = -1;
  if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST_CASE("changes made in one turn of the io_context are committed together, before waiters resume") {
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  // Two callers in the same turn, each adding an event and waiting for it to be stored.
  std::vector<std::int64_t> keys, seen_by_waiters;
  for (int i = 0; i < 2; ++i)
    net::co_spawn(
        ioc,
        [&, i]() -> net::awaitable<void> {
          keys.push_back(store.add(event("F", "r" + std::to_string(i + 1), R"({"n":)" + std::to_string(i + 1) + "}")));
          CHECK(store.pending());
          CHECK(rows(path, "SELECT count(*) FROM async_events") == 0);  // queued, not written yet
          auto err = co_await store.async_flushed();
          CHECK_FALSE(err.has_value());
          seen_by_waiters.push_back(rows(path, "SELECT count(*) FROM async_events"));
        },
        net::detached);
  ioc.run();
  CHECK_FALSE(store.pending());
  CHECK(seen_by_waiters == std::vector<std::int64_t>{2, 2});  // one transaction held both
  REQUIRE(keys.size() == 2);
  const auto a = keys[0], b = keys[1];
  CHECK(b == a + 1);

  store.set_attempts(a, 2);
  store.finish(b, {0, "F", "on-success", R"({"ok":true})"});
  ioc.restart();
  ioc.run();
  const auto left = store.unfinished();
  REQUIRE(left.size() == 1);
  CHECK(left[0].key == a);
  CHECK(left[0].request_id == "r1");
  CHECK(left[0].payload == R"({"n":1})");
  CHECK(left[0].invoke_count == 2);
  const auto records = store.records(0, 10);
  REQUIRE(records.size() == 1);
  CHECK(records[0].destination == "on-success");
  CHECK(records[0].record_json == R"({"ok":true})");
}

TEST_CASE("a store reopened on the same file after a kill finds the unfinished events and new keys follow") {
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  // A child process writes and is killed without any shutdown (no destructor, no checkpoint).
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    net::io_context ioc;
    auto* store = new async_event_store(ioc.get_executor(), path);
    for (int i = 0; i < 5; ++i) store->add(event("F", "r" + std::to_string(i), "{}"));
    ioc.run();  // commits the batch
    store->finish(1, {0, "F", "on-failure", "{}"});
    ioc.restart();
    ioc.run();
    store->add(event("F", "never-committed", "{}"));  // queued, then the process dies
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  const auto left = store.unfinished();
  REQUIRE(left.size() == 4);
  CHECK(left.front().request_id == "r1");
  CHECK(left.back().request_id == "r4");
  CHECK(store.records(0, 10).size() == 1);
  CHECK(store.add(event("F", "next", "{}")) == 6);
}

TEST_CASE("records page by seq and by function, the newest are kept") {
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), ":memory:", false, 1500);
  for (int i = 0; i < 2500; ++i) {
    const auto k = store.add(event(i % 2 ? "Odd" : "Even", "r" + std::to_string(i), "{}"));
    store.finish(k, {0, i % 2 ? "Odd" : "Even", "dlq", std::to_string(i)});
  }
  ioc.run();
  CHECK(store.stored_events() == 0);
  const auto odd = store.records(0, 10, "Odd");
  REQUIRE(odd.size() == 10);
  CHECK(odd[0].function == "Odd");
  CHECK(odd[1].seq > odd[0].seq);
  const auto latest = store.latest_records(3);
  REQUIRE(latest.size() == 3);
  CHECK(latest.back().record_json == "2499");
  CHECK(latest.front().record_json == "2497");
  // Pruned after each thousand records: at most keep + 999 remain, and the oldest went first.
  const auto all = store.records(0, 10000);
  CHECK(all.size() >= 1500);
  CHECK(all.size() < 2500);
  CHECK(all.back().record_json == "2499");
}

TEST_CASE("a transaction that fails is rolled back whole and its waiters get the error") {
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  const auto kept = store.add(event("F", "kept", "{}"));
  ioc.run();
  {
    // Another connection holds the write lock past the busy timeout: the commit cannot happen.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(other, 0);
    std::optional<std::string> error;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
          store.add(event("F", "lost", "{}"));
          store.finish(kept, {0, "F", "dlq", "{}"});
          error = co_await store.async_flushed();
        },
        net::detached);
    ioc.restart();
    ioc.run();
    REQUIRE(error.has_value());
    CHECK(error->find("locked") != std::string::npos);
    CHECK(store.last_error() == error);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
  }
  const auto left = store.unfinished();
  REQUIRE(left.size() == 1);  // the finish was rolled back with the insert: the event runs again
  CHECK(left[0].request_id == "kept");
  CHECK(store.records(0, 10).empty());
}

TEST_CASE("retry due times, MQTT sessions and meta values survive a reopen, erase and --reset forget them") {
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  {
    net::io_context ioc;
    async_event_store store(ioc.get_executor(), path);
    const auto key = store.add(event("F", "r1", "{}"));
    store.set_attempts(key, 1, 1700000060000);
    store.put_session({"reader", R"({"v":1})", 0, {{1, 7, false, "p1", 0}, {2, 0, false, "p2", 1700000090000}}});
    store.put_session({"gone", "{}", 1700000001000, {}});
    store.put_meta("mqtt_alive_ms", 1700000005000);
    ioc.run();
    store.erase_session("gone");
    // A later put replaces the whole session: its messages too.
    store.put_session({"reader", R"({"v":2})", 0, {{5, 9, true, "p3", 0}}});
    ioc.restart();
    ioc.run();
  }
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  const auto events = store.unfinished();
  REQUIRE(events.size() == 1);
  CHECK(events[0].invoke_count == 1);
  CHECK(events[0].due_ms == 1700000060000);
  const auto sessions = store.sessions();
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].client_id == "reader");
  CHECK(sessions[0].state == R"({"v":2})");
  REQUIRE(sessions[0].messages.size() == 1);
  CHECK(sessions[0].messages[0].packet_id == 9);
  CHECK(sessions[0].messages[0].released);
  CHECK(sessions[0].messages[0].packet == "p3");
  CHECK(store.meta("mqtt_alive_ms") == 1700000005000);
  CHECK_FALSE(store.meta("other").has_value());

  async_event_store reset(ioc.get_executor(), (dir.path() / "durable.sqlite3").string(), true);
  CHECK(reset.sessions().empty());
  CHECK_FALSE(reset.meta("mqtt_alive_ms").has_value());
}

TEST_CASE("a schema 1 file (before retry due times) is upgraded in place, its events kept") {
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE async_events(key INTEGER PRIMARY KEY, function TEXT NOT NULL, request_id TEXT "
                         "NOT NULL, version TEXT NOT NULL, invoked_arn TEXT NOT NULL, payload BLOB NOT NULL, "
                         "enqueued_ms INTEGER NOT NULL, invoke_count INTEGER NOT NULL);"
                         "INSERT INTO async_events VALUES(4, 'F', 'r4', '$LATEST', 'arn', '{}', 1700000000000, 2);"
                         "PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  const auto events = store.unfinished();
  REQUIRE(events.size() == 1);
  CHECK(events[0].invoke_count == 2);
  CHECK(events[0].due_ms == 0);  // ready: runs at once
  CHECK(rows(path, "PRAGMA user_version") == 2);
  CHECK(store.sessions().empty());
}

TEST_CASE("an event finished with no record (a success with no destination) leaves the queue and keeps nothing") {
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), ":memory:");
  const auto kept = store.add(event("F", "kept", "{}"));
  const auto done = store.add(event("F", "done", "{}"));
  ioc.run();
  REQUIRE(store.stored_events() == 2);
  store.finish(done, {});
  ioc.restart();
  ioc.run();
  const auto left = store.unfinished();
  REQUIRE(left.size() == 1);
  CHECK(left.front().key == kept);
  CHECK(store.records(0, 10).empty());
}

TEST_CASE("session rows: a head replaced alone keeps the messages, messages inserted, updated and deleted one by one") {
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  {
    net::io_context ioc;
    async_event_store store(ioc.get_executor(), path);
    store.put_session({"reader", R"({"v":1})", 0, {{3, 0, false, "p3", 0}}});
    store.put_session_head({"reader", R"({"v":2})", 1700000001000, {{99, 1, false, "ignored", 0}}});
    store.put_session_message("reader", {4, 0, false, "p4", 1700000090000});
    store.put_session_message("reader", {5, 0, false, "p5", 0});
    store.update_session_message("reader", 3, 17, false);    // sent
    store.update_session_message("reader", 3, std::nullopt, true);  // released, packet id kept
    store.update_session_message("reader", 4, 18, false);
    store.erase_session_message("reader", 5);
    store.erase_session_message("reader", 77);  // not there: nothing
    ioc.run();
  }
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  const auto sessions = store.sessions();
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].state == R"({"v":2})");
  CHECK(sessions[0].expires_ms == 1700000001000);
  const auto& m = sessions[0].messages;
  REQUIRE(m.size() == 2);
  CHECK(m[0].seq == 3);
  CHECK(m[0].packet_id == 17);
  CHECK(m[0].released);
  CHECK(m[1].seq == 4);
  CHECK(m[1].packet_id == 18);
  CHECK_FALSE(m[1].released);
  CHECK(m[1].expires_ms == 1700000090000);
  CHECK(rows(path, "SELECT count(*) FROM mqtt_session_messages") == 2);
}

TEST_CASE("sessions written by the lambkin that rewrote them whole (seq 1..n per write) read back in order") {
  // Same tables and schema version: the rows of the earlier format are rows of this one.
  lambkin::test::temp_dir dir;
  const auto path = (dir.path() / "durable.sqlite3").string();
  {
    net::io_context ioc;
    async_event_store created(ioc.get_executor(), path);
  }
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "INSERT INTO mqtt_sessions VALUES('old', '{\"version\":4}', 0);"
                         "INSERT INTO mqtt_session_messages VALUES('old', 1, 12, 0, 'a', 0);"
                         "INSERT INTO mqtt_session_messages VALUES('old', 2, 0, 0, 'b', 0);",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  net::io_context ioc;
  async_event_store store(ioc.get_executor(), path);
  CHECK(rows(path, "PRAGMA user_version") == 2);
  const auto sessions = store.sessions();
  REQUIRE(sessions.size() == 1);
  REQUIRE(sessions[0].messages.size() == 2);
  CHECK(sessions[0].messages[0].seq == 1);
  CHECK(sessions[0].messages[0].packet_id == 12);
  CHECK(sessions[0].messages[1].seq == 2);
  CHECK(sessions[0].messages[1].packet == "b");
}
