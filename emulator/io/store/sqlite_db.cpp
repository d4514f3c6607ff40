#include "emulator/io/store/sqlite_db.hpp"

#include <sqlite3.h>

namespace lambkin::io::store {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw sqlite_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK)
    fail(db, "prepare " + std::string(sql));
}

statement::~statement() { sqlite3_finalize(stmt_); }

statement& statement::bind(int i, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

statement& statement::bind_blob(int i, std::string_view bytes) {
  // A zero-length blob must still be a blob (not NULL): SQLite needs a non-null pointer for that.
  static const char empty = 0;
  if (sqlite3_bind_blob64(stmt_, i, bytes.empty() ? &empty : bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

statement& statement::bind_text(int i, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

statement& statement::bind_null(int i) {
  if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

void statement::run() {
  step();
  reset();
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t statement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }

std::string_view statement::column_blob(int i) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
  const auto n = sqlite3_column_bytes(stmt_, i);
  return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

bool statement::column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

database::database(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw sqlite_error(path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  if (path != ":memory:") {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
  }
}

database::~database() {
  cache_.clear();
  sqlite3_close(db_);
}

void database::exec(std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string m = message ? message : "error";
    sqlite3_free(message);
    throw sqlite_error(std::string(sql) + ": " + m);
  }
}

statement& database::prepare(std::string_view sql) {
  auto it = cache_.find(sql);  // heterogeneous: no allocation on the hot path
  if (it != cache_.end()) return *it->second;
  auto s = std::make_unique<statement>(db_, sql);
  auto& ref = *s;
  cache_.emplace(std::string(sql), std::move(s));
  return ref;
}

std::int64_t database::changes() const { return sqlite3_changes64(db_); }

std::int64_t database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

transaction::transaction(database& db) : db_(db) { db_.prepare("BEGIN IMMEDIATE").run(); }

transaction::~transaction() {
  if (!done_) {
    try {
      db_.prepare("ROLLBACK").run();
    } catch (const sqlite_error&) {  // nothing better to do in a destructor
    }
  }
}

void transaction::commit() {
  db_.prepare("COMMIT").run();
  done_ = true;
}

}  // namespace lambkin::io::store
