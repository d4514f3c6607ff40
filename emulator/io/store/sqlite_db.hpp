#pragma once
// A thin RAII layer over the SQLite C API: one connection, prepared statements cached by their
// SQL text, and IMMEDIATE transactions. SQLite failures are unexpected here (the schema is ours,
// the disk is local), so they throw `sqlite_error`; callers map that to a 500.
//
// Thread safety: one thread (the io_context's) uses a connection.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace lambkin::io::store {

class sqlite_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A prepared statement; `bind` positions start at 1, `column` at 0.
class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::int64_t v);
  statement& bind_blob(int i, std::string_view bytes);
  statement& bind_text(int i, std::string_view text);
  statement& bind_null(int i);
  /// True while a row is available.
  bool step();
  /// Runs a statement that returns no rows, then resets it.
  void run();
  void reset();
  std::int64_t column_int(int i) const;
  std::string_view column_blob(int i) const;
  bool column_is_null(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a statement (and drops its bindings) when the scope ends, so it can be reused.
class statement_use {
 public:
  explicit statement_use(statement& s) : s_(s) {}
  ~statement_use() { s_.reset(); }
  statement* operator->() { return &s_; }
  statement& operator*() { return s_; }

 private:
  statement& s_;
};

class database {
 public:
  /// Opens (creating) `path`; ":memory:" is a private in-memory database. File databases use WAL.
  explicit database(const std::string& path);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  void exec(std::string_view sql);
  /// The cached statement for `sql` (prepared on first use).
  statement& prepare(std::string_view sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<statement>, text_hash, std::equal_to<>> cache_;
};

/// BEGIN IMMEDIATE … COMMIT, rolled back if `commit` was not reached. Nesting is not supported.
class transaction {
 public:
  explicit transaction(database& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit();

 private:
  database& db_;
  bool done_ = false;
};

}  // namespace lambkin::io::store
